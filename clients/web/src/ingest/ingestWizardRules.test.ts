import { describe, expect, it } from "vitest";
import {
  approvalOverride,
  canStart,
  fileDefaults,
  ingestJobInput,
  mappingsFor,
  NEW_MAPPING,
  newMappingSpec,
  specTemplateText,
} from "./ingestWizardRules.ts";

const approved = { id: "m1", format: "CSV", state: "APPROVED" } as const;
const pending = { id: "m2", format: "CSV", state: "PENDING_APPROVAL" } as const;
const stix = { id: "m3", format: "STIX", state: "APPROVED" } as const;

describe("fileDefaults", () => {
  it("detects the format, names the mapping after the file and offers the first mapping of that format", () => {
    expect(fileDefaults("people.csv", "full_name,email\nDana,d@x", [stix, approved, pending])).toEqual({
      format: "CSV",
      mappingName: "people",
      specText: specTemplateText("CSV", "full_name,email"),
      mappingId: "m1",
    });
  });

  it("offers a new mapping when none fits, and keeps the typed spec when the format is unknown", () => {
    expect(fileDefaults("notes.txt", "hello", [approved])).toEqual({
      format: "",
      mappingName: "notes",
      specText: null,
      mappingId: NEW_MAPPING,
    });
    expect(fileDefaults("feed.ndjson", "{}", [approved]).mappingId).toBe(NEW_MAPPING);
  });
});

describe("mappingsFor", () => {
  it("lists every mapping until the format is known, then that format's", () => {
    expect(mappingsFor([approved, stix], "")).toEqual([approved, stix]);
    expect(mappingsFor([approved, stix], "STIX")).toEqual([stix]);
  });
});

describe("newMappingSpec", () => {
  it("asks for the format first, needs no spec for STIX and parses any other", () => {
    expect(newMappingSpec("", "{}")).toEqual({ ok: false, message: "Pick the file's format first." });
    expect(newMappingSpec("STIX", "not json")).toEqual({ ok: true, format: "STIX", spec: null });
    expect(newMappingSpec("CSV", '{"entities": []}')).toEqual({ ok: true, format: "CSV", spec: { entities: [] } });
    expect(newMappingSpec("CSV", "{}")).toEqual({ ok: false, message: "The mapping needs an entities array." });
  });
});

describe("starting a job", () => {
  it("needs a file and an approved mapping, or an override with a reason", () => {
    expect(canStart(null, approved, false, "")).toBe(false);
    expect(canStart({}, undefined, false, "")).toBe(false);
    expect(canStart({}, approved, false, "")).toBe(true);
    expect(canStart({}, pending, false, "urgent")).toBe(false);
    expect(canStart({}, pending, true, "  ")).toBe(false);
    expect(canStart({}, pending, true, " urgent ")).toBe(true);
  });

  it("sends the trimmed override only for a mapping that is not approved", () => {
    expect(approvalOverride(approved, true, "urgent")).toBeNull();
    expect(approvalOverride(pending, false, "urgent")).toBeNull();
    expect(ingestJobInput(pending, "people.csv", true, " urgent ")).toEqual({
      mappingId: "m2",
      fileName: "people.csv",
      approvalOverride: "urgent",
    });
    expect(ingestJobInput(approved, "people.csv", true, "urgent")).toEqual({ mappingId: "m1", fileName: "people.csv" });
  });
});
