import { describe, expect, it } from "vitest";
import { clearanceOf, highestMarking, isWithinClearance, lowerMarking, markingsUpTo, tlpLabel } from "./clearance.ts";

describe("TLP markings as clearance", () => {
  it("lists what a clearance may see, lowest first", () => {
    expect(markingsUpTo("CLEAR")).toEqual(["CLEAR"]);
    expect(markingsUpTo("GREEN")).toEqual(["CLEAR", "GREEN"]);
    expect(markingsUpTo("AMBER_STRICT")).toEqual(["CLEAR", "GREEN", "AMBER", "AMBER_STRICT"]);
    expect(markingsUpTo("RED")).toHaveLength(5);
  });

  it("treats a missing marking as GREEN, the default", () => {
    expect(isWithinClearance(undefined, "GREEN")).toBe(true);
    expect(isWithinClearance(null, "CLEAR")).toBe(false);
    expect(isWithinClearance("AMBER", "GREEN")).toBe(false);
    expect(isWithinClearance("AMBER", "AMBER_STRICT")).toBe(true);
  });

  it("gives an export the highest marking of its content, CLEAR when empty", () => {
    expect(highestMarking(["GREEN", "AMBER_STRICT", "AMBER"])).toBe("AMBER_STRICT");
    expect(highestMarking([])).toBe("CLEAR");
    expect(highestMarking([null, "CLEAR"])).toBe("GREEN");
  });

  it("holds a token to the lower of its own and its creator's clearance", () => {
    expect(lowerMarking("RED", "AMBER")).toBe("AMBER");
    expect(lowerMarking("GREEN", "RED")).toBe("GREEN");
  });

  it("defaults by role when the principal carries none: ADMIN RED, others AMBER", () => {
    expect(clearanceOf({ roles: ["ADMIN"] })).toBe("RED");
    expect(clearanceOf({ roles: ["ANALYST"] })).toBe("AMBER");
    expect(clearanceOf({ roles: ["ADMIN"], clearance: "GREEN" })).toBe("GREEN");
  });

  it("spells markings the TLP 2.0 way", () => {
    expect(tlpLabel("AMBER_STRICT")).toBe("TLP:AMBER+STRICT");
    expect(tlpLabel("CLEAR")).toBe("TLP:CLEAR");
  });
});
