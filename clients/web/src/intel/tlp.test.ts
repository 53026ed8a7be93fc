import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS, scoreBand, scoreText } from "./scoreBands.ts";
import { isTlpMarking, markingRank, tlpLabel, TLP_COLOURS } from "./tlp.ts";

describe("TLP markings", () => {
  it("writes AMBER_STRICT as TLP 2.0 does", () => {
    expect(tlpLabel("AMBER_STRICT")).toBe("TLP:AMBER+STRICT");
    expect(tlpLabel("CLEAR")).toBe("TLP:CLEAR");
    expect(tlpLabel("RED")).toBe("TLP:RED");
  });

  it("ranks CLEAR lowest and RED highest, AMBER+STRICT above AMBER", () => {
    expect(markingRank("CLEAR")).toBe(0);
    expect(markingRank("AMBER_STRICT")).toBeGreaterThan(markingRank("AMBER"));
    expect(markingRank("RED")).toBe(4);
  });

  it("uses FIRST's colours, one amber for both AMBER markings", () => {
    expect(TLP_COLOURS).toEqual({ CLEAR: "#FFFFFF", GREEN: "#33FF00", AMBER: "#FFC000", AMBER_STRICT: "#FFC000", RED: "#FF2B2B" });
  });

  it("knows its markings", () => {
    expect(isTlpMarking("AMBER_STRICT")).toBe(true);
    expect(isTlpMarking("AMBER+STRICT")).toBe(false);
    expect(isTlpMarking(null)).toBe(false);
  });
});

describe("score bands", () => {
  it("puts the thresholds themselves in the upper band", () => {
    expect(scoreBand(75)).toBe("HIGH");
    expect(scoreBand(74)).toBe("MEDIUM");
    expect(scoreBand(30)).toBe("MEDIUM");
    expect(scoreBand(29)).toBe("LOW");
    expect(scoreBand(0)).toBe("LOW");
    expect(scoreBand(100)).toBe("HIGH");
  });

  it("follows the tenant's thresholds", () => {
    expect(scoreBand(60, { high: 60, low: 10 })).toBe("HIGH");
    expect(scoreBand(9, { high: 60, low: 10 })).toBe("LOW");
    expect(DEFAULT_THRESHOLDS).toEqual({ high: 75, low: 30 });
  });

  it("says unscored for a missing score", () => {
    expect(scoreBand(null)).toBeNull();
    expect(scoreText(null, null)).toBe("unscored");
    expect(scoreText(82, "HIGH")).toBe("82 · high");
  });
});
