import { describe, expect, it } from "vitest";
import {
  formatMoney,
  formatUnitPrice,
  isPeriod,
  lastDays,
  metricLabel,
  monthToDate,
  parseEmails,
  parseThresholds,
  periodOf,
  progressLevel,
  progressPercent,
} from "./billingFormat.ts";

describe("money", () => {
  it("writes decimals in the plan's currency with cents, and a dash for nothing", () => {
    expect(formatMoney(49)).toBe("$49.00");
    expect(formatMoney(1234.5)).toBe("$1,234.50");
    expect(formatMoney(null)).toBe("—");
    expect(formatMoney(Number.NaN)).toBe("—");
  });

  it("keeps the digits of small unit prices", () => {
    expect(formatUnitPrice(0.002)).toBe("$0.002");
    expect(formatUnitPrice(0.4)).toBe("$0.40");
  });
});

describe("progress", () => {
  it("is used over limit, floored and clamped to 0…100", () => {
    expect(progressPercent(150, 300)).toBe(50);
    expect(progressPercent(299, 300)).toBe(99);
    expect(progressPercent(300, 300)).toBe(100);
    expect(progressPercent(900, 300)).toBe(100);
    expect(progressPercent(-5, 300)).toBe(0);
  });

  it("treats no limit as empty and a zero limit with use as full", () => {
    expect(progressPercent(10, null)).toBe(0);
    expect(progressPercent(1, 0)).toBe(100);
    expect(progressPercent(0, 0)).toBe(0);
  });

  it("warns from 80 % and is over at 100 %", () => {
    expect(progressLevel(79)).toBe("ok");
    expect(progressLevel(80)).toBe("warn");
    expect(progressLevel(100)).toBe("over");
  });
});

describe("periods and ranges (UTC)", () => {
  const now = new Date("2025-03-05T23:30:00Z");
  it("names the month and its days so far", () => {
    expect(periodOf(now)).toBe("2025-03");
    expect(monthToDate(now)).toEqual({ from: "2025-03-01", to: "2025-03-05" });
  });

  it("counts 30 days back across a month end, inclusive", () => {
    expect(lastDays(now, 30)).toEqual({ from: "2025-02-04", to: "2025-03-05" });
    expect(lastDays(now, 1)).toEqual({ from: "2025-03-05", to: "2025-03-05" });
  });

  it("accepts only YYYY-MM periods", () => {
    expect(isPeriod("2025-01")).toBe(true);
    expect(isPeriod("2025-13")).toBe(false);
    expect(isPeriod("2025-1")).toBe(false);
  });
});

describe("inputs", () => {
  it("parses thresholds sorted and unique, refusing non-percentages", () => {
    expect(parseThresholds("80, 50 100,50")).toEqual([50, 80, 100]);
    expect(parseThresholds("")).toEqual([]);
    expect(parseThresholds("50, 120")).toBeNull();
    expect(parseThresholds("half")).toBeNull();
  });

  it("splits e-mails on commas and new lines", () => {
    expect(parseEmails("a@x.test, b@x.test\na@x.test\n")).toEqual(["a@x.test", "b@x.test"]);
  });

  it("names metrics for people, and unknown ones readably", () => {
    expect(metricLabel("NL_QUESTIONS")).toBe("Questions");
    expect(metricLabel("NEW_THING")).toBe("new thing");
  });
});
