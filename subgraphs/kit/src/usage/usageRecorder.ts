import { randomUUID } from "node:crypto";
import { MongoBulkWriteError, type Db } from "mongodb";
import { systemClock, type Clock } from "../config/serviceDeps.ts";
import type { Logger } from "../observability/logger.ts";
import { combine, isGauge, utcDay, type UsageMetric } from "./usageMetrics.ts";

/** Every metered event, once: `_id` is tenant, idempotency key and metric, so a retried request or flush adds nothing. */
export const USAGE_EVENTS = "billing_usage_events";
/** Per-writer running totals of today's (and not yet rolled-up days') events: what quotas and `usage` read between rollups. */
export const USAGE_LIVE = "billing_usage_live";

export interface UsageEvent {
  _id: string;
  tenantId: string;
  metric: UsageMetric;
  quantity: number;
  /** UTC day the event happened on (not when it was written: a late event belongs to its own day). */
  day: string;
  at: Date;
  /** When it reached the store: the rollup job re-aggregates days that received events since its last run. */
  receivedAt: Date;
}

/** One writer's total of one tenant's metric on one day; a tenant's total is the sum (gauges: the largest) over writers. */
export interface UsageLiveRow {
  _id: string;
  tenantId: string;
  day: string;
  metric: UsageMetric;
  writer: string;
  quantity: number;
}

export interface UsageRecord {
  tenantId: string;
  metric: UsageMetric;
  /** @default 1 */
  quantity?: number;
  /**
   * What makes the event unique: the request id (or the client's
   * Idempotency-Key), a job batch, an export id. Recording the same key and
   * metric twice counts once.
   */
  key: string;
  /** When it happened. @default now */
  at?: Date;
}

export interface UsageRecorder {
  /** Queues one event. Synchronous and cheap: never awaits the store, never throws, never fails the request it describes. */
  record(event: UsageRecord): void;
  /** This process's queued (not yet stored) quantities of a tenant's metrics on a day: quotas add them to the stored figures. */
  pending(tenantId: string, day: string): Partial<Record<UsageMetric, number>>;
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
  /** Events kept while the store is unreachable; beyond it the oldest are dropped (logged and counted). @default 100_000 */
  maxQueued?: number;
  /** @default systemClock */
  now?: Clock;
}

const eventId = (tenantId: string, key: string, metric: UsageMetric) => `${tenantId}|${key}|${metric}`;

/**
 * Metering for every service: events are queued in memory and written in one
 * unordered `insertMany` per flush (never a store write per request). The
 * event's `_id` carries its idempotency key, so a duplicate (a retried
 * request, a flush retried after a lost reply, a job batch re-run after a
 * crash) is refused by the store and counted once.
 *
 * The live totals are bumped only by events the store took as new. A
 * MongoDB-wire store may apply `$inc` as read-modify-write without a lock
 * (FerretDB does), so each process writes its own rows (`writer`) one at a
 * time and readers add them up. A crash between the two writes can leave a
 * live total short; the daily rollup recomputes days from the events.
 */
export function createUsageRecorder(options: UsageRecorderOptions): UsageRecorder {
  const { db, logger, flushIntervalMs = 1000, maxQueued = 100_000, now = systemClock } = options;
  const events = db.collection<UsageEvent>(USAGE_EVENTS);
  const live = db.collection<UsageLiveRow>(USAGE_LIVE);
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
      const fresh = batch.filter((_, i) => !failed.has(i));
      // Duplicates are already counted; anything else is tried again next flush.
      const retry = batch.filter((_, i) => failed.has(i) && failed.get(i) !== 11000);
      return { fresh, retry };
    }
  }

  async function bumpLive(fresh: UsageEvent[]) {
    const totals = new Map<string, { tenantId: string; day: string; metric: UsageMetric; quantity: number }>();
    for (const e of fresh) {
      const key = `${e.tenantId}|${e.day}|${e.metric}`;
      const row = totals.get(key);
      if (row) row.quantity = combine(e.metric, row.quantity, e.quantity);
      else totals.set(key, { tenantId: e.tenantId, day: e.day, metric: e.metric, quantity: e.quantity });
    }
    for (const [key, row] of totals) {
      // One update at a time (see insertNew in store/mongo.ts on FerretDB's per-statement connections).
      await live.updateOne(
        { _id: `${key}|${writer}` },
        {
          ...(isGauge(row.metric) ? { $max: { quantity: row.quantity } } : { $inc: { quantity: row.quantity } }),
          $setOnInsert: { tenantId: row.tenantId, day: row.day, metric: row.metric, writer },
        },
        { upsert: true },
      );
    }
  }

  async function writeQueued() {
    if (!queued.size) return;
    const batch = [...queued.values()];
    queued = new Map();
    const receivedAt = new Date(now());
    for (const e of batch) e.receivedAt = receivedAt;
    const { fresh, retry } = await insertEvents(batch);
    for (const e of retry) if (!queued.has(e._id)) queued.set(e._id, e);
    if (retry.length) logger.warn({ events: retry.length }, "usage events not stored; will retry");
    try {
      await bumpLive(fresh);
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
    record({ tenantId, metric, quantity = 1, key, at }) {
      if (!(quantity > 0) && !isGauge(metric)) return;
      const when = at ?? new Date(now());
      const id = eventId(tenantId, key, metric);
      if (queued.has(id)) return;
      if (queued.size >= maxQueued) {
        const oldest = queued.keys().next().value as string;
        queued.delete(oldest);
        if (dropped++ % 1000 === 0) logger.error({ dropped }, "usage queue full: dropping the oldest events (is the store down?)");
      }
      queued.set(id, { _id: id, tenantId, metric, quantity, day: utcDay(when.getTime()), at: when, receivedAt: when });
    },
    pending(tenantId, day) {
      const out: Partial<Record<UsageMetric, number>> = {};
      for (const e of queued.values()) {
        if (e.tenantId === tenantId && e.day === day) out[e.metric] = combine(e.metric, out[e.metric] ?? 0, e.quantity);
      }
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
  await db.collection(USAGE_EVENTS).createIndex({ receivedAt: 1 }, { name: "received" });
  await db.collection(USAGE_LIVE).createIndex({ tenantId: 1, day: 1 }, { name: "tenant_day" });
}
