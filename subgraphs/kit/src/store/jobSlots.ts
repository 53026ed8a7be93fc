import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import { systemClock, type Clock } from "../config/serviceDeps.ts";
import { appError, ErrorCode } from "../errors/errors.ts";
import { isDuplicateKeyError } from "./mongo.ts";

export const JOB_SLOTS = "kit_job_slots";

interface SlotRecord {
  /** `<tenantId>:<n>` for n in 0…limit-1: the unique _id is what makes taking a slot atomic. */
  _id: string;
  tenantId: string;
  holder: string;
  kind: string;
  startedAt: Date;
  /** A slot whose lease ran out (its process died) may be taken over. */
  leaseUntil: Date;
}

export interface JobLease {
  slot: number;
  holder: string;
  /** Extends the lease; long jobs call it more often than `leaseMs`. */
  renew(): Promise<void>;
  release(): Promise<void>;
}

export interface JobSlotsOptions {
  /**
   * How long a slot stays taken without `renew()`.
   * @default 600_000 (10 minutes)
   */
  leaseMs?: number;
  /** @default systemClock */
  now?: Clock;
}

/**
 * Per-tenant limit on concurrent long jobs (imports, ingests, exports), shared
 * by every process through the database. A slot is a document with a fixed
 * id, so two processes racing for the last slot cannot both win: the insert
 * of the same _id fails for one of them (FerretDB has no transactions, but
 * unique ids hold). A crashed holder's slot frees itself when its lease ends.
 */
export function createJobSlots(db: Db, options: JobSlotsOptions = {}) {
  const slots = db.collection<SlotRecord>(JOB_SLOTS);
  const { leaseMs = 10 * 60_000, now: clock = systemClock } = options;
  const now = () => new Date(clock());

  async function tryTake(tenantId: string, n: number, kind: string, holder: string): Promise<boolean> {
    const id = `${tenantId}:${n}`;
    const at = now();
    const record: SlotRecord = { _id: id, tenantId, holder, kind, startedAt: at, leaseUntil: new Date(at.getTime() + leaseMs) };
    try {
      await slots.insertOne(record);
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    // Taken: reclaim it only if its lease ran out, then race for it again by insert.
    const expired = await slots.deleteOne({ _id: id, leaseUntil: { $lt: at } });
    if (expired.deletedCount !== 1) return false;
    try {
      await slots.insertOne(record);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  return {
    /**
     * Takes one of the tenant's `limit` slots for a job of `kind`, or throws
     * RATE_LIMITED (`limit: "concurrentJobs"`) naming the jobs that hold them.
     */
    async acquire(tenantId: string, kind: string, limit: number): Promise<JobLease> {
      const holder = randomUUID();
      // Slots above a lowered limit may still be held; they count against it too.
      const busy = (await this.running(tenantId)) >= limit;
      for (let n = 0; n < limit && !busy; n++) {
        if (await tryTake(tenantId, n, kind, holder)) {
          const id = `${tenantId}:${n}`;
          return {
            slot: n,
            holder,
            async renew() {
              await slots.updateOne({ _id: id, holder }, { $set: { leaseUntil: new Date(now().getTime() + leaseMs) } });
            },
            async release() {
              await slots.deleteOne({ _id: id, holder });
            },
          };
        }
      }
      const running = await slots.find({ tenantId }).toArray();
      const kinds = [...new Set(running.map((r) => r.kind))].join(", ") || "other jobs";
      throw appError(
        ErrorCode.RATE_LIMITED,
        `Your tenant may run ${limit} long job${limit === 1 ? "" : "s"} at a time and ${running.length} (${kinds}) are running. ` +
          "Retry when one finishes, or ask a platform admin to raise the limit.",
        { limit: "concurrentJobs", concurrentJobs: limit, running: running.length },
      );
    },

    /** Runs `job` holding a slot, renewing the lease while it runs, and always gives the slot back. */
    async run<T>(tenantId: string, kind: string, limit: number, job: () => Promise<T>): Promise<T> {
      const lease = await this.acquire(tenantId, kind, limit);
      const timer = setInterval(() => void lease.renew().catch(() => undefined), Math.max(1000, leaseMs / 3));
      timer.unref();
      try {
        return await job();
      } finally {
        clearInterval(timer);
        await lease.release();
      }
    },

    async running(tenantId: string): Promise<number> {
      return slots.countDocuments({ tenantId, leaseUntil: { $gte: now() } });
    },
  };
}

export type JobSlots = ReturnType<typeof createJobSlots>;
