/**
 * The ingest worker: claims queued jobs (or jobs whose worker died — their
 * lease ran out) from the shared store, runs them (runIngestJob.ts), and
 * publishes progress. Any number of workers in any number of processes may
 * run; a lease decides which one owns a job, and a job resumes from its
 * checkpoint wherever it lands.
 */
import { randomUUID } from "node:crypto";
import type { Driver } from "neo4j-driver";
import {
  createJobSlots,
  systemClock,
  type AuditRecorder,
  type BillingGuard,
  type Clock,
  type Logger,
  type PubSub,
  type ResourceLedger,
  type UsageRecorder,
} from "@intelgraph/kit";
import { TERMINAL_STATES, type IngestStore, type JobDoc } from "./ingestStore.ts";
import { createJobRunner } from "./runIngestJob.ts";

export interface IngestWorkerOptions {
  store: IngestStore;
  driver: Driver;
  database: string;
  pubsub: PubSub;
  audit: AuditRecorder;
  logger: Logger;
  /** The tenant's limit on concurrent long jobs (plan or override); default 3. */
  concurrentJobsFor?: (tenantId: string) => Promise<number>;
  /** Metering: INGEST_RECORDS per checkpoint, keyed by job and position (a resumed job meters each record once). */
  usage?: UsageRecorder;
  /** Quotas and budgets: a job over either waits in the queue (resumable from its checkpoint) until they allow it. */
  billing?: BillingGuard;
  /** The worker's CPU is credited to the job's tenant (cost reconciliation). */
  resources?: ResourceLedger;
  /**
   * How long a job held by its tenant's quota or budget waits before it is checked again, ms.
   * @default 30_000
   */
  billingRecheckMs?: number;
  /**
   * How long a claimed job stays this worker's without a checkpoint, ms.
   * @default 30_000
   */
  leaseMs?: number;
  /**
   * How often to look for queued jobs, ms.
   * @default 1000
   */
  pollMs?: number;
  /**
   * Jobs this worker runs at once.
   * @default 2
   */
  maxJobs?: number;
  /**
   * Records per batch written to the graph.
   * @default 1000
   */
  batchSize?: number;
  /**
   * Batches of one job being written at once.
   * @default 1
   */
  maxInFlight?: number;
  /**
   * The clock leases, timestamps and waits are read from.
   * @default systemClock
   */
  now?: Clock;
}

export function createIngestWorker(options: IngestWorkerOptions) {
  const { store, logger, leaseMs = 30_000, pollMs = 1000, maxJobs = 2, batchSize = 1000, maxInFlight = 1, now = systemClock } = options;
  const workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const running = new Map<string, Promise<void>>();
  /** Jobs waiting for a tenant slot are not re-claimed at every poll. */
  const waiting = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let polling = false;
  const runner = createJobRunner({
    store,
    driver: options.driver,
    database: options.database,
    pubsub: options.pubsub,
    audit: options.audit,
    logger,
    now,
    ...(options.usage ? { usage: options.usage } : {}),
    ...(options.billing ? { billing: options.billing } : {}),
    ...(options.resources ? { resources: options.resources } : {}),
    billingRecheckMs: options.billingRecheckMs ?? 30_000,
    slots: createJobSlots(store.raw.jobs.db, { leaseMs, now }),
    workerId,
    leaseMs,
    pollMs,
    batchSize,
    maxInFlight,
    ...(options.concurrentJobsFor ? { concurrentJobsFor: options.concurrentJobsFor } : {}),
    waiting,
    stopping: () => stopping,
  });

  async function claim(): Promise<JobDoc | null> {
    const at = new Date(now());
    // Never a job this worker already runs (its lease is renewed on a timer, but be sure).
    const skip = [...waiting]
      .filter(([, until]) => until > at.getTime())
      .map(([id]) => id)
      .concat([...running.keys()]);
    return store.raw.jobs.findOneAndUpdate(
      {
        $or: [{ state: "QUEUED" }, { state: "RUNNING", leaseUntil: { $lt: at } }],
        ...(skip.length ? { _id: { $nin: skip } } : {}),
      },
      {
        $set: { state: "RUNNING", worker: workerId, leaseUntil: new Date(at.getTime() + leaseMs), updatedAt: at },
        $inc: { attempts: 1 },
      },
      { sort: { createdAt: 1 }, returnDocument: "after" },
    );
  }

  async function poll() {
    if (polling || stopping) return;
    polling = true;
    try {
      while (!stopping && running.size < maxJobs) {
        const job = await claim();
        if (!job) break;
        if (TERMINAL_STATES.includes(job.state)) continue;
        const task = runner
          .run(job)
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
