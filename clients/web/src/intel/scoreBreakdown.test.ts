import { describe, expect, it } from "vitest";
import { derivedScoreOf, formatDays, partLabel, partValue, verdictOf } from "./scoreBreakdown.ts";

describe("score breakdown", () => {
  it("reads the score an object takes from its best indicator", () => {
    const text = '{"model":"v1","from":"indicators","indicatorId":"i-7","indicators":3,"score":82,"computedAt":"2026-12-01T10:00:00Z"}';
    expect(derivedScoreOf(text)).toEqual({ score: 82, indicatorId: "i-7", indicators: 3, computedAt: "2026-12-01T10:00:00Z", model: "v1" });
  });

  it("finds no derived score in an indicator's own breakdown, nothing, or text that does not read", () => {
    expect(derivedScoreOf('{"score":40,"parts":{"reliability":0.5}}')).toBeNull();
    expect(derivedScoreOf(null)).toBeNull();
    expect(derivedScoreOf("{not json")).toBeNull();
    expect(derivedScoreOf("7")).toBeNull();
  });

  it("labels the parts and writes the decay as a factor", () => {
    expect(partLabel("reliability")).toBe("Source reliability");
    expect(partLabel("novelty")).toBe("Novelty");
    expect(partValue("decay", 0.5)).toBe("×0.50");
    expect(partValue("corroboration", 0.125)).toBe("0.13");
    expect(partValue("feedback", 0.9)).toBe("0.90");
  });

  it("writes half-lives and ages in days", () => {
    expect(formatDays(30)).toBe("30 days");
    expect(formatDays(1)).toBe("1 day");
    expect(formatDays(12.345)).toBe("12.3 days");
    expect(formatDays(Infinity)).toBe("no decay");
  });

  it("treats no feedback as NONE", () => {
    expect(verdictOf(null)).toBe("NONE");
    expect(verdictOf("")).toBe("NONE");
    expect(verdictOf("FALSE_POSITIVE")).toBe("FALSE_POSITIVE");
  });
});
