import { describe, expect, it } from "vitest";
import { closestName, editDistance } from "./linkValues.ts";

describe("value linking", () => {
  it("measures edit distance", () => {
    expect(editDistance("acme crop", "acme corp")).toBe(2);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("picks the closest name when it is a likely misspelling, and nothing when none is close", () => {
    const names = ["Acme Corp", "Blue Harbor Logistics", "Cobalt Ridge Bank"];
    expect(closestName("Acme Crop", names)).toBe("Acme Corp");
    expect(closestName("cobalt rdge", names)).toBe("Cobalt Ridge Bank");
    expect(closestName("Northwind", names)).toBeUndefined();
  });
});
