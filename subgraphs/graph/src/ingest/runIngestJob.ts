/**
 * Runs one claimed ingest job to its end on this worker: takes a tenant slot
 * (or hands the job back to the queue), renews the lease on a timer, runs the
 * pipeline with checkpoints, and records how it ended (state, progress
 * publish, audit).
 */
import { isAppError, type Clock, type JobLease, type JobSlots, type Logger } from "@intelgraph/kit";
import type { JobDoc } from "./ingestStore.ts";
import { createBillingHold } from "./billingHold.ts";
import { runPipeline } from "./pipeline.ts";
import { JOB_FINISHED_TOPIC, progressTopic } from "./progressTopic.ts";
import type { IngestWorkerOptions } from "./worker.ts";

/** The worker's stores and hooks, its settings with defaults filled in, and what it shares with its runs. */
export interface JobRunnerDeps extends Pick<
  IngestWorkerOptions,
  "store" | "driver" | "database" | "pubsub" | "audit" | "logger" | "concurrentJobsFor" | "usage" | "billing" | "resources"
> {
  now: Clock;
  slots: JobSlots;
  workerId: string;
  leaseMs: number;
  pollMs: number;
  batchSize: number;
  maxInFlight: number;
  /** How long a job held by its tenant's quota or budget waits before the worker checks again, ms. */
  billingRecheckMs: number;
  /** Jobs waiting for a tenant slot, until when (ms); the worker does not re-claim them sooner. */
  waiting: Map<string, number>;
  /** True once the worker is shutting down. */
  stopping(): boolean;
}

export function createJobRunner(deps: JobRunnerDeps) {
  const { store, logger, now, workerId, leaseMs } = deps;
  const mine = (job: JobDoc) => ({ _id: job._id, worker: workerId });

  async function publish(job: JobDoc) {
    await deps.pubsub.publish(progressTopic(job._id), job).catch((error) => logger.warn({ err: error }, "progress publish failed"));
  }

  async function finish(job: JobDoc, update: Partial<JobDoc>, action: string) {
    const after = await store.raw.jobs.findOneAndUpdate(
      mine(job),
      { $set: { ...update, finishedAt: new Date(now()), updatedAt: new Date(now()) }, $unset: { worker: "", leaseUntil: "" } },
      { returnDocument: "after" },
    );
    if (!after) return;
    await publish(after);
    await deps.pubsub
      .publish(JOB_FINISHED_TOPIC, { tenantId: after.tenantId, jobId: after._id, state: after.state })
      .catch((error) => logger.warn({ err: error }, "job-finished publish failed"));
    await deps.audit
      .record({
        tenantId: after.tenantId,
        actor: { userId: null, kind: "system" },
        action,
        service: "graph",
        targetType: "IngestJob",
        targetIds: [after._id],
        outcome: after.state === "FAILED" ? "failure" : "success",
        errorCode: null,
        requestId: `ingest-${after._id}`,
        arguments: { state: after.state, totals: after.totals, attempts: after.attempts, ...(after.error ? { error: after.error } : {}) },
      })
      .catch((error) => logger.warn({ err: error }, "audit of job end failed"));
  }

  /** A tenant slot for the job, or null after handing it back to the queue until one of the tenant's other jobs ends. */
  async function acquireSlot(job: JobDoc): Promise<JobLease | null> {
    try {
      const limit = (await deps.concurrentJobsFor?.(job.tenantId)) ?? 3;
      return await deps.slots.acquire(job.tenantId, "ingest", limit);
    } catch (error) {
      if (!isAppError(error, "RATE_LIMITED")) throw error;
      deps.waiting.set(job._id, now() + 3 * deps.pollMs);
      await store.raw.jobs.updateOne(mine(job), {
        $set: { state: "QUEUED", updatedAt: new Date(now()) },
        $unset: { worker: "", leaseUntil: "" },
        $inc: { attempts: -1 },
      });
      return null;
    }
  }

  /** The lease is renewed on a timer, not per batch: a slow batch must not let another worker take the job. */
  function renewLeaseEvery(job: JobDoc, lease: JobLease, log: Logger) {
    let renewing = false;
    const renewal = setInterval(
      () => {
        if (renewing) return; // the store is slow: one renewal at a time, not a pile of them
        renewing = true;
        void store.raw.jobs
          .updateOne(mine(job), { $set: { leaseUntil: new Date(now() + leaseMs) } })
          .then(() => lease.renew())
          .catch((error) => log.warn({ err: error }, "lease renewal failed"))
          .finally(() => (renewing = false));
      },
      Math.max(250, leaseMs / 3),
    );
    renewal.unref();
    return () => clearInterval(renewal);
  }

  const billing = createBillingHold(deps, mine, publish);

  async function run(job: JobDoc) {
    const log = logger.child({ jobId: job._id, tenantId: job.tenantId, attempt: job.attempts });
    const held = await billing.block(job.tenantId);
    if (held) return billing.hold(job, held, false);
    const lease = await acquireSlot(job);
    if (!lease) return;
    if (job.blocked) await store.raw.jobs.updateOne(mine(job), { $unset: { blocked: "" } });
    const endSpan = deps.resources?.begin(job.tenantId);
    let blocked = null as { code: string; message: string } | null;
    let metered = job.checkpoint.records;
    deps.waiting.delete(job._id);
    if (job.cancelRequested) {
      await lease.release();
      return finish(job, { state: "CANCELLED" }, "ingestJobCancelled");
    }
    const startedAt = job.startedAt ?? new Date(now());
    let current: JobDoc = { ...job, startedAt, resumedFrom: job.checkpoint.records };
    await store.raw.jobs.updateOne(mine(job), { $set: { startedAt, resumedFrom: job.checkpoint.records } });
    if (job.checkpoint.records > 0) log.info({ from: job.checkpoint.records }, "resuming ingest job from its checkpoint");
    await publish(current);
    let lastPublish = 0;
    const stopRenewing = renewLeaseEvery(job, lease, log);
    try {
      const outcome = await runPipeline(
        current,
        { store, driver: deps.driver, database: deps.database, logger: log, now },
        {
          batchSize: deps.batchSize,
          maxInFlight: deps.maxInFlight,
          shouldStop: () => deps.stopping() || current.cancelRequested === true || blocked !== null,
          checkpoint: async (update) => {
            const after = await store.raw.jobs.findOneAndUpdate(
              mine(job),
              { $set: { ...update, leaseUntil: new Date(now() + leaseMs), updatedAt: new Date(now()) } },
              { returnDocument: "after" },
            );
            if (!after) return null;
            current = after;
            metered = billing.meter(after, metered);
            blocked = await billing.block(job.tenantId);
            void lease.renew().catch(() => undefined);
            if (now() - lastPublish > 250) {
              lastPublish = now();
              await publish(after);
            }
            return after;
          },
        },
      );
      if (outcome.state === "SUCCEEDED") await finish(current, { state: "SUCCEEDED" }, "ingestJobSucceeded");
      else if (outcome.state === "STOPPED" && current.cancelRequested) await finish(current, { state: "CANCELLED" }, "ingestJobCancelled");
      else if (outcome.state === "STOPPED" && blocked) {
        log.info({ reason: blocked.code }, "ingest job waits for quota or budget; it resumes from its checkpoint");
        await billing.hold(current, blocked, true);
      } else if (outcome.state === "STOPPED") {
        // Shutting down: hand the job back so another worker resumes it at once.
        await store.raw.jobs.updateOne(mine(job), {
          $set: { state: "QUEUED", updatedAt: new Date(now()) },
          $unset: { worker: "", leaseUntil: "" },
        });
      } else log.warn("lost the job's lease to another worker; stopping");
    } catch (error) {
      log.error({ err: error }, "ingest job failed");
      await finish(current, { state: "FAILED", error: (error as Error).message.slice(0, 500) }, "ingestJobFailed");
    } finally {
      stopRenewing();
      endSpan?.();
      await lease.release();
    }
  }

  return { run };
}
