import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import { systemClock, type Clock } from "../config/serviceDeps.ts";
import type { Logger } from "../observability/logger.ts";

export const USAGE_COLLECTION = "billing_usage_daily";

export type UsageKind = "query" | "mutation" | "subscription";

/** One writer's count of one tenant's operations of one kind on one UTC day. */
export interface UsageDay {
  _id: string;
  tenantId: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  kind: UsageKind;
  /** The process that wrote this row; a tenant's total is the sum over writers. */
  writer: string;
  count: number;
}

export interface UsageRecorder {
  /** Counts one operation. Synchronous and cheap: never on a request's critical path. */
  record(event: { tenantId: string; kind: UsageKind; at?: Date }): void;
  /** Writes pending counts now (also runs every `flushIntervalMs`). */
  flush(): Promise<void>;
  /** Stops the timer and writes what is pending. */
  close(): Promise<void>;
}

export interface UsageRecorderOptions {
  db: Db;
  logger: Logger;
  /** @default 1000 */
  flushIntervalMs?: number;
  /** Which day an event without its own time is counted on. @default systemClock */
  now?: Clock;
}

/**
 * Counts billable operations per tenant, day and kind.
 *
 * A MongoDB-wire store may apply `$inc` as read-modify-write without a lock
 * (FerretDB does: 50 concurrent `$inc` on one document left 18), so counts
 * are summed in memory and each process flushes them, one write at a time,
 * into rows only it writes (`_id` ends with its writer id). Readers add the
 * writers' rows up. A crash loses at most one flush interval of counts.
 */
export function createUsageRecorder({ db, logger, flushIntervalMs = 1000, now = systemClock }: UsageRecorderOptions): UsageRecorder {
  const collection = db.collection<UsageDay>(USAGE_COLLECTION);
  const writer = randomUUID();
  let pending = new Map<string, { tenantId: string; day: string; kind: UsageKind; count: number }>();
  let flushing: Promise<void> | null = null;

  async function writePending() {
    const batch = pending;
    pending = new Map();
    for (const [key, entry] of batch) {
      try {
        await collection.updateOne(
          { _id: `${key}:${writer}` },
          { $inc: { count: entry.count }, $setOnInsert: { tenantId: entry.tenantId, day: entry.day, kind: entry.kind, writer } },
          { upsert: true },
        );
      } catch (error) {
        // Keep the count for the next flush rather than losing it.
        const again = pending.get(key);
        pending.set(key, again ? { ...again, count: again.count + entry.count } : entry);
        logger.error({ err: error, tenantId: entry.tenantId }, "usage flush failed; will retry");
      }
    }
  }

  function flush(): Promise<void> {
    // One flush at a time: this process is the only writer of its rows.
    flushing ??= writePending().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  const timer = setInterval(() => void flush(), flushIntervalMs);
  timer.unref();

  return {
    record({ tenantId, kind, at = new Date(now()) }) {
      const day = at.toISOString().slice(0, 10);
      const key = `${tenantId}:${day}:${kind}`;
      const entry = pending.get(key);
      if (entry) entry.count++;
      else pending.set(key, { tenantId, day, kind, count: 1 });
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
  await db.collection(USAGE_COLLECTION).createIndex({ tenantId: 1, day: 1 }, { name: "tenant_day" });
}
