import { describe, expect, it } from "vitest";
import { chartSeries, daysBetween, totalsOf, type UsageDays } from "./usageSeries.ts";

const day = (d: string, values: Record<string, number>): UsageDays[number] => ({
  day: d,
  source: "LIVE",
  values: Object.entries(values).map(([metric, quantity]) => ({ metric: metric as never, quantity })),
});

describe("totalsOf", () => {
  it("sums counters and keeps the latest sample of sampled metrics", () => {
    const days = [
      day("2025-03-02", { QUERIES: 5, GRAPH_NODES: 120 }),
      day("2025-03-01", { QUERIES: 10, GRAPH_NODES: 100, NL_QUESTIONS: 3 }),
    ];
    expect(totalsOf(days)).toEqual({ QUERIES: 15, GRAPH_NODES: 120, NL_QUESTIONS: 3 });
    expect(totalsOf([])).toEqual({});
  });
});

describe("chartSeries", () => {
  it("has every day of the range, in order, with missing days as zero", () => {
    const days = [day("2025-03-03", { QUERIES: 7 }), day("2025-03-01", { QUERIES: 2, EXPORTS: 1 })];
    const [xs, ys] = chartSeries(days, "QUERIES", "2025-02-28", "2025-03-03");
    expect(xs).toEqual(["2025-02-28", "2025-03-01", "2025-03-02", "2025-03-03"].map((d) => Date.parse(`${d}T00:00:00Z`) / 1000));
    expect(ys).toEqual([0, 2, 0, 7]);
    expect(chartSeries(days, "EXPORTS", "2025-03-01", "2025-03-03")[1]).toEqual([1, 0, 0]);
  });

  it("spans 30 days for a 30-day range and nothing for an inverted one", () => {
    expect(daysBetween("2025-02-04", "2025-03-05")).toHaveLength(30);
    expect(daysBetween("2025-03-05", "2025-03-01")).toEqual([]);
  });
});
