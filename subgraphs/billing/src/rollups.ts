import type { Db } from "mongodb";
import {
  LATE_DAYS,
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

/**
 * Daily rollups: a day's per-tenant figures recomputed from every event of
 * that day, written with fixed ids so recomputing gives the same rows, and
 * rows of a tenant/metric that no longer has events removed. Which days:
 * yesterday, plus every day the recorder marked late (an event stored after
 * its day ended). The scheduler (kit) runs the job once across processes.
 */
export function createRollups({ db, logger, now = systemClock }: { db: Db; logger: Logger; now?: Clock }) {
  const events = db.collection<UsageEvent>(USAGE_EVENTS);
  const rollups = db.collection<UsageRollupRow>(USAGE_ROLLUPS);
  const rolled = db.collection<RollupDay>(ROLLUP_DAYS);
  const lateDays = db.collection<{ _id: string }>(LATE_DAYS);

  async function rollUpDay(day: string): Promise<number> {
    const computedAt = new Date(now());
    const ids: string[] = [];
    // Per tenant: FerretDB 1.24 keeps only the first field of a compound $group key after $unwind, and one accumulator.
    for (const tenantId of (await events.distinct("tenantId", { day })) as string[]) {
      const groups = await events
        .aggregate<{ _id: UsageMetric; quantity: number }>([
          { $match: { day, tenantId } },
          { $unwind: "$m" },
          { $group: { _id: "$m.metric", quantity: { $sum: "$m.quantity" } } },
        ])
        .toArray();
      for (const g of groups) {
        // A gauge has one event per tenant and day (its key is the day), so its sum is its sample.
        const _id = `${tenantId}|${day}|${g._id}`;
        ids.push(_id);
        await rollups.replaceOne({ _id }, { tenantId, day, metric: g._id, quantity: g.quantity, computedAt }, { upsert: true });
      }
    }
    await rollups.deleteMany({ day, _id: { $nin: ids } });
    await rolled.replaceOne({ _id: day }, { computedAt }, { upsert: true });
    return ids.length;
  }

  return {
    rollUpDay,
    /** One run of the daily job: returns the days it recomputed. */
    async run(): Promise<string[]> {
      const today = utcDay(now());
      const late = (await lateDays.find({}).toArray()).map((d) => d._id);
      // Today is never marked rolled up: it is still being written, so it is read live.
      const days = [...new Set([utcDay(now() - 86_400_000), ...late])].filter((d) => d < today).sort();
      for (const day of days) {
        // The mark goes first: an event arriving while the day is recomputed marks it again for the next run.
        await lateDays.deleteOne({ _id: day });
        const rows = await rollUpDay(day);
        logger.info({ day, rows }, "usage rollup");
      }
      return days;
    },
  };
}

export type Rollups = ReturnType<typeof createRollups>;
