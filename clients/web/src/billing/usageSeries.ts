/** Shaping `usage` days for the tiles (month-to-date totals) and the daily chart (one metric, gaps as zero). */
import type { UsageMetric, UsageQuery } from "../api/generated/graphql.ts";

export type UsageDays = UsageQuery["usage"];

/** Metrics sampled once a day: their month-to-date figure is the latest sample, not a sum. */
const SAMPLED: ReadonlySet<string> = new Set(["GRAPH_NODES", "GRAPH_RELATIONSHIPS", "MONGO_BYTES"]);

/** Month-to-date figure of each metric over `days` (counters summed, samples the latest day's). */
export function totalsOf(days: UsageDays): Partial<Record<UsageMetric, number>> {
  const totals: Partial<Record<UsageMetric, number>> = {};
  for (const day of [...days].sort((a, b) => a.day.localeCompare(b.day))) {
    for (const { metric, quantity } of day.values) {
      totals[metric] = SAMPLED.has(metric) ? quantity : (totals[metric] ?? 0) + quantity;
    }
  }
  return totals;
}

/** Every UTC day from `from` to `to` inclusive, as YYYY-MM-DD. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= end; at += 86_400_000) out.push(new Date(at).toISOString().slice(0, 10));
  return out;
}

/**
 * uPlot's data for one metric: x in Unix seconds (UTC midnight), y the day's
 * quantity, every day of the range present (missing days are 0).
 */
export function chartSeries(days: UsageDays, metric: UsageMetric, from: string, to: string): [number[], number[]] {
  const byDay = new Map(days.map((d) => [d.day, d.values.find((v) => v.metric === metric)?.quantity ?? 0]));
  const range = daysBetween(from, to);
  return [range.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000), range.map((day) => byDay.get(day) ?? 0)];
}
