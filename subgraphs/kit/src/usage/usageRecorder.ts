import { randomUUID } from "node:crypto";
import { MongoBulkWriteError, type Db } from "mongodb";
import { systemClock, type Clock } from "../config/serviceDeps.ts";
import type { Logger } from "../observability/logger.ts";
import { combine, isGauge, utcDay, USAGE_METRICS, type UsageMetric } from "./usageMetrics.ts";

/** Every metered event, once: `_id` is the tenant and the event's idempotency key, so a retried request or flush adds nothing. */
export const USAGE_EVENTS = "billing_usage_events";
/** Per-writer running totals of each tenant's day (`q`: metric → quantity): what quotas and `usage` read until the day is rolled up. */
export const USAGE_LIVE = "billing_usage_live";
/** Days that received an event after they ended: the rollup recomputes them. `_id` is the day. */
export const LATE_DAYS = "billing_rollup_late_days";
/** Each tenant's first event of the funnel's metrics (`firsts`: metric → time); `_id` is the tenant. */
export const USAGE_FIRSTS = "billing_usage_firsts";

/** The metrics whose first event is a step of the onboarding funnel. */
export const FUNNEL_METRICS: readonly UsageMetric[] = ["INGEST_RECORDS", "NL_QUESTIONS", "REPORTS", "EXPORTS"];

export type Quantities = Partial<Record<UsageMetric, number>>;

export interface UsageEvent {
  _id: string;
  tenantId: string;
  /** UTC day the event happened on (not when it was written: a late event belongs to its own day). */
  day: string;
  at: Date;
  /** The event's metrics, as a list (FerretDB groups an unwound list, not a map's keys). */
  m: { metric: UsageMetric; quantity: number }[];
}

/** One writer's totals of one tenant's day; a tenant's figure is the sum (gauges: the largest) over writers. */
export interface UsageLiveRow {
  _id: string;
  tenantId: string;
  day: string;
  writer: string;
  q: Quantities;
}

export interface UsageRecord {
  tenantId: string;
  /**
   * What makes the event unique: the request id (or the client's
   * Idempotency-Key), a job's checkpoint, an export id. Recording the same
   * key twice counts once, so each event has a key of its own.
   */
  key: string;
  quantities: Quantities;
  /** When it happened. @default now */
  at?: Date;
}

export interface UsageRecorder {
  /** Queues one event. Synchronous and cheap: never awaits the store, never throws, never fails the request it describes. */
  record(event: UsageRecord): void;
  /** This process's queued (not yet stored) quantities of a tenant's day: quotas add them to the stored figures. */
  pending(tenantId: string, day: string): Quantities;
  /** Writes queued events now (also runs every `flushIntervalMs`). */
  flush(): Promise<void>;
  /** Stops the timer and writes what is queued. */
  close(): Promise<void>;
}

export interface UsageRecorderOptions {
  db: Db;
  logger: Logger;
  /** @default 1000 */
  flushIntervalMs?: number;
  /** Events kept while the store is unreachable; beyond it the oldest are dropped (logged). @default 100_000 */
  maxQueued?: number;
  /** @default systemClock */
  now?: Clock;
}

const METRICS = new Set<string>(USAGE_METRICS);

/** Adds one event's quantities into `into`, per metric (counters add, gauges keep the largest). */
function addInto(into: Quantities, event: UsageEvent) {
  for (const { metric, quantity } of event.m) into[metric] = combine(metric, into[metric] ?? 0, quantity);
}

/**
 * Metering for every service: events are queued in memory and written in one
 * unordered `insertMany` per flush (never a store write per request), one
 * document per event whatever its number of metrics. The event's `_id`
 * carries its idempotency key, so a duplicate (a retried request, a flush
 * retried after a lost reply, a job batch re-run after a crash) is refused by
 * the store and counted once.
 *
 * The events the store took as new then bump this process's live totals, one
 * update per tenant and day (FerretDB applies `$inc` as an unlocked
 * read-modify-write, so each process writes only its own rows), note late days
 * for the rollup and the funnel's firsts. A crash between the writes can leave
 * a live total short; the daily rollup recomputes days from the events.
 */
export function createUsageRecorder(options: UsageRecorderOptions): UsageRecorder {
  const { db, logger, flushIntervalMs = 1000, maxQueued = 100_000, now = systemClock } = options;
  const events = db.collection<UsageEvent>(USAGE_EVENTS);
  const live = db.collection<UsageLiveRow>(USAGE_LIVE);
  const lateDays = db.collection<{ _id: string; at: Date }>(LATE_DAYS);
  const firsts = db.collection<{ _id: string; firsts: Record<string, Date> }>(USAGE_FIRSTS);
  const writer = randomUUID();
  let queued = new Map<string, UsageEvent>();
  let flushing: Promise<void> | null = null;
  let dropped = 0;

  async function insertEvents(batch: UsageEvent[]): Promise<{ fresh: UsageEvent[]; retry: UsageEvent[] }> {
    try {
      await events.insertMany(batch, { ordered: false });
      return { fresh: batch, retry: [] };
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) return { fresh: [], retry: batch };
      const failed = new Map<number, number>();
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      for (const e of writeErrors) failed.set(e.index, e.code as number);
      // Duplicates are already counted; anything else is tried again next flush.
      return {
        fresh: batch.filter((_, i) => !failed.has(i)),
        retry: batch.filter((_, i) => failed.has(i) && failed.get(i) !== 11000),
      };
    }
  }

  /** Live totals, late days and funnel firsts of the events the store took as new; one write at a time (store/mongo.ts, insertNew). */
  async function afterInsert(fresh: UsageEvent[]) {
    const byDay = new Map<string, { tenantId: string; day: string; q: Quantities }>();
    const firstOf = new Map<string, Record<string, Date>>();
    const today = utcDay(now());
    const late = new Set<string>();
    for (const e of fresh) {
      const key = `${e.tenantId}|${e.day}`;
      const row = byDay.get(key) ?? byDay.set(key, { tenantId: e.tenantId, day: e.day, q: {} }).get(key)!;
      addInto(row.q, e);
      if (e.day < today) late.add(e.day);
      for (const { metric } of e.m) {
        if (!FUNNEL_METRICS.includes(metric)) continue;
        const mine = firstOf.get(e.tenantId) ?? firstOf.set(e.tenantId, {}).get(e.tenantId)!;
        if (!mine[`firsts.${metric}`] || e.at < mine[`firsts.${metric}`]!) mine[`firsts.${metric}`] = e.at;
      }
    }
    for (const [key, row] of byDay) {
      const inc: Record<string, number> = {};
      const max: Record<string, number> = {};
      for (const [metric, quantity] of Object.entries(row.q) as [UsageMetric, number][]) {
        (isGauge(metric) ? max : inc)[`q.${metric}`] = quantity;
      }
      await live.updateOne(
        { _id: `${key}|${writer}` },
        {
          ...(Object.keys(inc).length ? { $inc: inc } : {}),
          ...(Object.keys(max).length ? { $max: max } : {}),
          $setOnInsert: { tenantId: row.tenantId, day: row.day, writer },
        },
        { upsert: true },
      );
    }
    for (const day of late) await lateDays.updateOne({ _id: day }, { $set: { at: new Date(now()) } }, { upsert: true });
    for (const [tenantId, min] of firstOf) await firsts.updateOne({ _id: tenantId }, { $min: min }, { upsert: true });
  }

  async function writeQueued() {
    if (!queued.size) return;
    const batch = [...queued.values()];
    queued = new Map();
    const { fresh, retry } = await insertEvents(batch);
    for (const e of retry) if (!queued.has(e._id)) queued.set(e._id, e);
    if (retry.length) logger.warn({ events: retry.length }, "usage events not stored; will retry");
    try {
      await afterInsert(fresh);
    } catch (error) {
      // The events are stored: the rollup counts them even if the live totals stay short.
      logger.warn({ err: error, events: fresh.length }, "usage live totals not updated; the daily rollup will count these events");
    }
  }

  function flush(): Promise<void> {
    flushing ??= writeQueued()
      .catch((error: unknown) => logger.warn({ err: error }, "usage flush failed; will retry"))
      .finally(() => {
        flushing = null;
      });
    return flushing;
  }

  const timer = setInterval(() => void flush(), flushIntervalMs);
  timer.unref();

  return {
    record({ tenantId, key, quantities, at }) {
      const m = (Object.entries(quantities) as [UsageMetric, number][])
        .filter(
          ([metric, quantity]) => METRICS.has(metric) && Number.isFinite(quantity) && (quantity > 0 || (isGauge(metric) && quantity === 0)),
        )
        .map(([metric, quantity]) => ({ metric, quantity }));
      const id = `${tenantId}|${key}`;
      if (!m.length || queued.has(id)) return;
      if (queued.size >= maxQueued) {
        queued.delete(queued.keys().next().value as string);
        if (dropped++ % 1000 === 0) logger.error({ dropped }, "usage queue full: dropping the oldest events (is the store down?)");
      }
      const when = at ?? new Date(now());
      queued.set(id, { _id: id, tenantId, day: utcDay(when.getTime()), at: when, m });
    },
    pending(tenantId, day) {
      const out: Quantities = {};
      for (const e of queued.values()) if (e.tenantId === tenantId && e.day === day) addInto(out, e);
      return out;
    },
    async flush() {
      await flushing;
      await flush();
    },
    async close() {
      clearInterval(timer);
      await flushing;
      await flush();
    },
  };
}

export async function ensureUsageIndexes(db: Db): Promise<void> {
  await db.collection(USAGE_EVENTS).createIndex({ day: 1, tenantId: 1 }, { name: "day_tenant" });
  await db.collection(USAGE_LIVE).createIndex({ tenantId: 1, day: 1 }, { name: "tenant_day" });
}
