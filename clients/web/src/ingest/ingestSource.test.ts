import { describe, expect, it } from "vitest";
import { detectFormat, mappingTemplate, parseSpec } from "./ingestSource.ts";

describe("detectFormat", () => {
  it("reads the extension and recognises STIX bundles", () => {
    expect(detectFormat("people.CSV", "")).toBe("CSV");
    expect(detectFormat("feed.ndjson", "")).toBe("NDJSON");
    expect(detectFormat("feed.jsonl", "")).toBe("NDJSON");
    expect(detectFormat("incidents.json", '{ "items": [] }')).toBe("JSON");
    expect(detectFormat("bundle.json", '{ "type": "bundle", "id": "bundle--1", "objects": [')).toBe("STIX");
    expect(detectFormat("notes.txt", "")).toBeNull();
  });
});

describe("mappingTemplate", () => {
  it("keys people by e-mail when the CSV has an e-mail column", () => {
    expect(mappingTemplate("CSV", "full_name,email,company")).toEqual({
      entities: [{ as: "person", type: "Person", key: ["email"], properties: { name: "full_name", email: "email" } }],
      relationships: [],
    });
    expect(mappingTemplate("STIX")).toBeNull();
  });
});

describe("parseSpec", () => {
  it("accepts an object with entities and explains anything else", () => {
    expect(parseSpec('{"entities": []}')).toEqual({ ok: true, spec: { entities: [] } });
    expect(parseSpec("")).toMatchObject({ ok: false, message: expect.stringMatching(/empty/) });
    expect(parseSpec("[1]")).toMatchObject({ ok: false, message: expect.stringMatching(/JSON object/) });
    expect(parseSpec("{}")).toMatchObject({ ok: false, message: expect.stringMatching(/entities array/) });
    expect(parseSpec("{oops")).toMatchObject({ ok: false, message: expect.stringMatching(/^Not valid JSON/) });
  });
});
