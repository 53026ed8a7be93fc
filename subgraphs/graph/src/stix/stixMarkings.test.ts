import { describe, expect, it } from "vitest";
import { markingDefinition, markingFromRefs, parseMarking, TLP2_MARKING_IDS } from "./stixMarkings.ts";

describe("STIX TLP markings", () => {
  it("reads TLP 2.0 and TLP 1.0 definition ids, the highest of several, and ignores other definitions", () => {
    expect(markingFromRefs([TLP2_MARKING_IDS.AMBER_STRICT])).toBe("AMBER_STRICT");
    expect(markingFromRefs(["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"])).toBe("CLEAR"); // TLP 1.0 white
    expect(markingFromRefs(["marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"])).toBe("RED"); // TLP 1.0 red
    expect(markingFromRefs([TLP2_MARKING_IDS.GREEN, "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"])).toBe("AMBER");
    expect(markingFromRefs(["marking-definition--00000000-0000-4000-8000-000000000000"])).toBeUndefined();
    expect(markingFromRefs(undefined)).toBeUndefined();
    expect(markingFromRefs([])).toBeUndefined();
  });

  it("parses the spellings a mapping column may hold", () => {
    expect(["AMBER", "amber", "TLP:AMBER", "tlp amber"].map(parseMarking)).toEqual(["AMBER", "AMBER", "AMBER", "AMBER"]);
    expect(["TLP:AMBER+STRICT", "amber_strict", "Amber Strict"].map(parseMarking)).toEqual([
      "AMBER_STRICT",
      "AMBER_STRICT",
      "AMBER_STRICT",
    ]);
    expect(parseMarking("white")).toBe("CLEAR");
    expect(parseMarking("purple")).toBeUndefined();
  });

  it("writes the definition OASIS publishes for TLP 2.0", () => {
    expect(markingDefinition("AMBER_STRICT")).toEqual({
      type: "marking-definition",
      spec_version: "2.1",
      id: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
      created: "2022-10-01T00:00:00.000Z",
      name: "TLP:AMBER+STRICT",
      extensions: {
        "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": { extension_type: "property-extension", tlp_2_0: "amber+strict" },
      },
    });
  });
});
