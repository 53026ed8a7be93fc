import type { Db } from "mongodb";
import {
  ROLLUP_DAYS,
  systemClock,
  USAGE_EVENTS,
  USAGE_ROLLUPS,
  utcDay,
  type Clock,
  type Logger,
  type RollupDay,
  type UsageEvent,
  type UsageMetric,
  type UsageRollupRow,
} from "@intelgraph/kit";

/** The rollup job's watermark: events received after it may belong to any day, so those days are recomputed. */
const STATE_ID = "rollup-watermark";
const ROLLUP_STATE = "billing_rollup_state";

/**
 * Daily rollups: a day's per-tenant figures recomputed from every event of
 * that day (counters summed, gauges the day's largest sample), written with
 * fixed ids so recomputing gives the same rows, and rows of a tenant/metric
 * that no longer has events removed. Which days: yesterday and today, plus
 * every day that received a late event since the last run. The scheduler
 * (kit) runs the job once across processes.
 */
export function createRollups({ db, logger, now = systemClock }: { db: Db; logger: Logger; now?: Clock }) {
  const events = db.collection<UsageEvent>(USAGE_EVENTS);
  const rollups = db.collection<UsageRollupRow>(USAGE_ROLLUPS);
  const rolled = db.collection<RollupDay>(ROLLUP_DAYS);
  const state = db.collection<{ _id: string; receivedBefore: Date }>(ROLLUP_STATE);

  async function rollUpDay(day: string): Promise<number> {
    const groups = await events
      .aggregate<{ _id: { tenantId: string; metric: UsageMetric }; sum: number }>([
        { $match: { day } },
        { $group: { _id: { tenantId: "$tenantId", metric: "$metric" }, sum: { $sum: "$quantity" } } },
      ])
      .toArray();
    const computedAt = new Date(now());
    const ids: string[] = [];
    for (const g of groups) {
      const _id = `${g._id.tenantId}|${day}|${g._id.metric}`;
      ids.push(_id);
      const row: UsageRollupRow = {
        _id,
        tenantId: g._id.tenantId,
        day,
        metric: g._id.metric,
        // A gauge has one event per tenant and day (its key is the day), so its sum is its sample.
        quantity: g.sum,
        computedAt,
      };
      const { _id: _, ...fields } = row;
      await rollups.replaceOne({ _id }, fields, { upsert: true });
    }
    await rollups.deleteMany({ day, _id: { $nin: ids } });
    await rolled.replaceOne({ _id: day }, { computedAt }, { upsert: true });
    return groups.length;
  }

  return {
    rollUpDay,
    /** One run of the daily job: returns the days it recomputed. */
    async run(): Promise<string[]> {
      const at = now();
      const watermark = (await state.findOne({ _id: STATE_ID }))?.receivedBefore ?? new Date(0);
      const runStart = new Date(at);
      const late = (await events.distinct("day", { receivedAt: { $gte: watermark, $lt: runStart } })) as string[];
      const today = utcDay(at);
      // Today is never marked rolled up: it is still being written, so it is read live.
      const days = [...new Set([utcDay(at - 86_400_000), ...late])].filter((d) => d < today).sort();
      for (const day of days) {
        const rows = await rollUpDay(day);
        logger.info({ day, rows }, "usage rollup");
      }
      await state.replaceOne({ _id: STATE_ID }, { receivedBefore: runStart }, { upsert: true });
      return days;
    },
  };
}

export type Rollups = ReturnType<typeof createRollups>;
