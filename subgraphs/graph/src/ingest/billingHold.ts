/**
 * Ingest and billing: a job meters INGEST_RECORDS per checkpoint, and a job
 * whose tenant is over its records quota or budget goes back to the queue
 * with `blocked` set, to resume from its checkpoint once they allow it.
 */
import { isAppError } from "@intelgraph/kit";
import type { JobDoc } from "./ingestStore.ts";
import type { JobRunnerDeps } from "./runIngestJob.ts";

export type BillingBlock = { code: string; message: string };

export function createBillingHold(
  deps: Pick<JobRunnerDeps, "billing" | "usage" | "store" | "now" | "waiting" | "billingRecheckMs">,
  mine: (job: JobDoc) => Record<string, unknown>,
  publish: (job: JobDoc) => Promise<void>,
) {
  const { store, now } = deps;
  return {
    /** QUOTA_EXCEEDED / BUDGET_EXCEEDED for the tenant now, or null (the guard caches its figures). */
    async block(tenantId: string): Promise<BillingBlock | null> {
      try {
        await deps.billing?.check(tenantId, "INGEST_RECORDS", { expensive: true });
        return null;
      } catch (error) {
        if (isAppError(error, "QUOTA_EXCEEDED") || isAppError(error, "BUDGET_EXCEEDED")) {
          return { code: String(error.extensions["code"]), message: error.message };
        }
        throw error;
      }
    },

    /** Back to the queue, waiting for the budget or quota: nothing is lost, the job resumes from its checkpoint. */
    async hold(job: JobDoc, blocked: BillingBlock, ran: boolean) {
      deps.waiting.set(job._id, now() + deps.billingRecheckMs);
      const after = await store.raw.jobs.findOneAndUpdate(
        mine(job),
        {
          $set: { state: "QUEUED", blocked: { ...blocked, at: new Date(now()) }, updatedAt: new Date(now()) },
          $unset: { worker: "", leaseUntil: "" },
          ...(ran ? {} : { $inc: { attempts: -1 } }),
        },
        { returnDocument: "after" },
      );
      if (after) await publish(after);
    },

    /** Meters the records since the last checkpoint, keyed by position (a resumed job counts each once); returns the new position. */
    meter(after: JobDoc, metered: number): number {
      if (after.checkpoint.records <= metered) return metered;
      deps.usage?.record({
        tenantId: after.tenantId,
        quantities: { INGEST_RECORDS: after.checkpoint.records - metered },
        key: `ingest:${after._id}:${after.checkpoint.records}`,
      });
      return after.checkpoint.records;
    },
  };
}
