import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, ErrorCode } from "./errors.ts";

const docs = readFileSync(new URL("../../../../docs/errors.md", import.meta.url), "utf8");
const documented = [...docs.matchAll(/^\| `([A-Z_]+)`/gm)].map((m) => m[1]);

describe("the error code list", () => {
  it("maps every code to itself", () => {
    expect(Object.keys(ErrorCode).length).toBeGreaterThan(10);
    for (const [key, value] of Object.entries(ErrorCode)) expect(value).toBe(key);
  });

  it("is the list docs/errors.md documents, row for row", () => {
    expect(documented.sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });
});
