import type { Db } from "mongodb";
import { USAGE_LIVE, type UsageLiveRow } from "./usageRecorder.ts";
import { combine, type UsageMetric } from "./usageMetrics.ts";

/** A tenant's figure of one metric on one day, as the daily rollup computed it from the events. */
export const USAGE_ROLLUPS = "billing_usage_rollups";
/** One row per day the rollup has computed: such a day is read from rollups, any other from the live totals. */
export const ROLLUP_DAYS = "billing_rollup_days";

export interface UsageRollupRow {
  _id: string;
  tenantId: string;
  day: string;
  metric: UsageMetric;
  quantity: number;
  computedAt: Date;
}

export interface RollupDay {
  _id: string;
  computedAt: Date;
}

export type DayFigures = Partial<Record<UsageMetric, number>>;

export interface TenantUsageDay {
  day: string;
  /** ROLLUP: computed by the daily job from every event; LIVE: running totals since (today, or a day not rolled up yet). */
  source: "ROLLUP" | "LIVE";
  figures: DayFigures;
}

const daysBetween = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
};

/**
 * Reads a tenant's usage per day: rolled-up days from the rollups, the others
 * (today, and any day the job has not reached yet) from the writers' live
 * totals. Every query is filtered by `tenantId`.
 */
export function createUsageReader(db: Db) {
  const rollups = db.collection<UsageRollupRow>(USAGE_ROLLUPS);
  const rolled = db.collection<RollupDay>(ROLLUP_DAYS);
  const live = db.collection<UsageLiveRow>(USAGE_LIVE);

  return {
    async days(tenantId: string, from: string, to: string): Promise<TenantUsageDay[]> {
      const days = daysBetween(from, to);
      if (days.length > 400) throw new RangeError("at most 400 days at once");
      const done = new Set((await rolled.find({ _id: { $gte: from, $lte: to } }, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
      const byDay = new Map<string, TenantUsageDay>(
        days.map((day) => [day, { day, source: done.has(day) ? "ROLLUP" : "LIVE", figures: {} }]),
      );
      const [rows, liveRows] = await Promise.all([
        done.size ? rollups.find({ tenantId, day: { $gte: from, $lte: to } }).toArray() : Promise.resolve([]),
        done.size < days.length ? live.find({ tenantId, day: { $gte: from, $lte: to } }).toArray() : Promise.resolve([]),
      ]);
      for (const row of rows) {
        const entry = byDay.get(row.day);
        if (entry?.source === "ROLLUP") entry.figures[row.metric] = row.quantity;
      }
      for (const row of liveRows) {
        const entry = byDay.get(row.day);
        if (entry?.source !== "LIVE") continue;
        for (const [metric, quantity] of Object.entries(row.q ?? {}) as [UsageMetric, number][]) {
          entry.figures[metric] = combine(metric, entry.figures[metric] ?? 0, quantity);
        }
      }
      return [...byDay.values()];
    },
  };
}

export type UsageReader = ReturnType<typeof createUsageReader>;

/** Sums days into one figure per metric (counters add; gauges add too, as unit-days: what storage is priced by). */
export function totalOf(days: readonly { figures: DayFigures }[]): DayFigures {
  const out: DayFigures = {};
  for (const { figures } of days) {
    for (const [metric, quantity] of Object.entries(figures) as [UsageMetric, number][]) out[metric] = (out[metric] ?? 0) + quantity;
  }
  return out;
}
