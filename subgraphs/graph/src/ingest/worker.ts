/**
 * The ingest worker: claims queued jobs (or jobs whose worker died — their
 * lease ran out) from the shared store, runs them, and publishes progress.
 * Any number of workers in any number of processes may run; a lease decides
 * which one owns a job, and a job resumes from its checkpoint wherever it lands.
 */
import { randomUUID } from "node:crypto";
import type { Driver } from "neo4j-driver";
import { createJobSlots, isAppError, type AuditRecorder, type JobLease, type Logger, type PubSub } from "@intelgraph/kit";
import { TERMINAL_STATES, type IngestStore, type JobDoc } from "./ingestStore.ts";
import { runPipeline } from "./pipeline.ts";

export const progressTopic = (jobId: string) => `ingestProgress.${jobId}`;

export interface IngestWorkerOptions {
  store: IngestStore;
  driver: Driver;
  database: string;
  pubsub: PubSub;
  audit: AuditRecorder;
  logger: Logger;
  /** The tenant's limit on concurrent long jobs (plan or override); default 3. */
  concurrentJobsFor?: (tenantId: string) => Promise<number>;
  /** How long a claimed job stays this worker's without a checkpoint; default 30 s. */
  leaseMs?: number;
  pollMs?: number;
  /** Jobs this worker runs at once; default 2. */
  maxJobs?: number;
  batchSize?: number;
  maxInFlight?: number;
}

export function createIngestWorker(options: IngestWorkerOptions) {
  const { store, pubsub, logger } = options;
  const workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 1000;
  const maxJobs = options.maxJobs ?? 2;
  const slots = createJobSlots(store.raw.jobs.db, { leaseMs });
  const running = new Map<string, Promise<void>>();
  /** Jobs waiting for a tenant slot are not re-claimed at every poll. */
  const waiting = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let polling = false;

  async function publish(job: JobDoc) {
    await pubsub.publish(progressTopic(job._id), job).catch((error) => logger.warn({ err: error }, "progress publish failed"));
  }

  async function claim(): Promise<JobDoc | null> {
    const now = new Date();
    // Never a job this worker already runs (its lease is renewed on a timer, but be sure).
    const skip = [...waiting]
      .filter(([, until]) => until > now.getTime())
      .map(([id]) => id)
      .concat([...running.keys()]);
    return store.raw.jobs.findOneAndUpdate(
      {
        $or: [{ state: "QUEUED" }, { state: "RUNNING", leaseUntil: { $lt: now } }],
        ...(skip.length ? { _id: { $nin: skip } } : {}),
      },
      {
        $set: { state: "RUNNING", worker: workerId, leaseUntil: new Date(now.getTime() + leaseMs), updatedAt: now },
        $inc: { attempts: 1 },
      },
      { sort: { createdAt: 1 }, returnDocument: "after" },
    );
  }

  async function finish(job: JobDoc, update: Partial<JobDoc>, action: string) {
    const after = await store.raw.jobs.findOneAndUpdate(
      { _id: job._id, worker: workerId },
      { $set: { ...update, finishedAt: new Date(), updatedAt: new Date() }, $unset: { worker: "", leaseUntil: "" } },
      { returnDocument: "after" },
    );
    if (!after) return;
    await publish(after);
    await options.audit
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

  async function run(job: JobDoc) {
    const log = logger.child({ jobId: job._id, tenantId: job.tenantId, attempt: job.attempts });
    let lease: JobLease;
    try {
      const limit = (await options.concurrentJobsFor?.(job.tenantId)) ?? 3;
      lease = await slots.acquire(job.tenantId, "ingest", limit);
    } catch (error) {
      if (!isAppError(error, "RATE_LIMITED")) throw error;
      // Back in the queue until one of the tenant's other jobs ends.
      waiting.set(job._id, Date.now() + 3 * pollMs);
      await store.raw.jobs.updateOne(
        { _id: job._id, worker: workerId },
        { $set: { state: "QUEUED", updatedAt: new Date() }, $unset: { worker: "", leaseUntil: "" }, $inc: { attempts: -1 } },
      );
      return;
    }
    waiting.delete(job._id);
    if (job.cancelRequested) {
      await lease.release();
      return finish(job, { state: "CANCELLED" }, "ingestJobCancelled");
    }
    const startedAt = job.startedAt ?? new Date();
    let current: JobDoc = { ...job, startedAt, resumedFrom: job.checkpoint.records };
    await store.raw.jobs.updateOne({ _id: job._id, worker: workerId }, { $set: { startedAt, resumedFrom: job.checkpoint.records } });
    if (job.checkpoint.records > 0) log.info({ from: job.checkpoint.records }, "resuming ingest job from its checkpoint");
    await publish(current);
    let lastPublish = 0;
    // The lease is renewed on a timer, not per batch: a slow batch must not let another worker take the job.
    let renewing = false;
    const renewal = setInterval(
      () => {
        if (renewing) return; // the store is slow: one renewal at a time, not a pile of them
        renewing = true;
        void store.raw.jobs
          .updateOne({ _id: job._id, worker: workerId }, { $set: { leaseUntil: new Date(Date.now() + leaseMs) } })
          .then(() => lease.renew())
          .catch((error) => log.warn({ err: error }, "lease renewal failed"))
          .finally(() => (renewing = false));
      },
      Math.max(250, leaseMs / 3),
    );
    renewal.unref();
    try {
      const outcome = await runPipeline(
        current,
        { store, driver: options.driver, database: options.database, logger: log },
        {
          batchSize: options.batchSize ?? 1000,
          maxInFlight: options.maxInFlight ?? 1,
          shouldStop: () => stopping || current.cancelRequested === true,
          checkpoint: async (update) => {
            const after = await store.raw.jobs.findOneAndUpdate(
              { _id: job._id, worker: workerId },
              { $set: { ...update, leaseUntil: new Date(Date.now() + leaseMs), updatedAt: new Date() } },
              { returnDocument: "after" },
            );
            if (!after) return null;
            current = after;
            void lease.renew().catch(() => undefined);
            if (Date.now() - lastPublish > 250) {
              lastPublish = Date.now();
              await publish(after);
            }
            return after;
          },
        },
      );
      if (outcome.state === "SUCCEEDED") await finish(current, { state: "SUCCEEDED" }, "ingestJobSucceeded");
      else if (outcome.state === "STOPPED" && current.cancelRequested) await finish(current, { state: "CANCELLED" }, "ingestJobCancelled");
      else if (outcome.state === "STOPPED") {
        // Shutting down: hand the job back so another worker resumes it at once.
        await store.raw.jobs.updateOne(
          { _id: job._id, worker: workerId },
          { $set: { state: "QUEUED", updatedAt: new Date() }, $unset: { worker: "", leaseUntil: "" } },
        );
      } else log.warn("lost the job's lease to another worker; stopping");
    } catch (error) {
      log.error({ err: error }, "ingest job failed");
      await finish(current, { state: "FAILED", error: (error as Error).message.slice(0, 500) }, "ingestJobFailed");
    } finally {
      clearInterval(renewal);
      await lease.release();
    }
  }

  async function poll() {
    if (polling || stopping) return;
    polling = true;
    try {
      while (!stopping && running.size < maxJobs) {
        const job = await claim();
        if (!job) break;
        if (TERMINAL_STATES.includes(job.state)) continue;
        const task = run(job)
          .catch((error) => logger.error({ err: error, jobId: job._id }, "ingest worker error"))
          .finally(() => {
            running.delete(job._id);
            if (!stopping) void poll();
          });
        running.set(job._id, task);
      }
    } catch (error) {
      logger.warn({ err: error }, "ingest worker could not claim a job");
    } finally {
      polling = false;
    }
  }

  return {
    id: workerId,
    start() {
      stopping = false;
      timer = setInterval(() => void poll(), pollMs);
      timer.unref();
      void poll();
    },
    /** Looks for work now (after an upload or a queued batch) instead of at the next poll. */
    kick() {
      if (timer) void poll();
    },
    /** Stops claiming; running jobs stop at their next batch and go back to the queue. */
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await Promise.allSettled(running.values());
    },
    running: () => running.size,
  };
}

export type IngestWorker = ReturnType<typeof createIngestWorker>;
