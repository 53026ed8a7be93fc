import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "mongodb";
import { systemClock, type Clock } from "../config/serviceDeps.ts";
import type { Logger } from "../observability/logger.ts";
import { latestSlot } from "./cronSlots.ts";
import { executeRun, newRun as newRunRecord, registerJob, type Registered, type RunDeps } from "./jobRun.ts";
import { createScheduleRuns, type ScheduleRun } from "./scheduleRuns.ts";

export { previewCron } from "./cronSlots.ts";
export { SCHEDULE_RUNS, type ScheduleRun } from "./scheduleRuns.ts";

/**
 * A job the scheduler runs at the slots of its cron pattern, once per slot
 * across all processes sharing the database. A run whose process died is run
 * again by another process once its lease ends, so `run` must be idempotent
 * (safe to repeat for the same `scheduledAt`).
 */
export interface ScheduledJob {
  /** Unique per scheduler; part of each run record's _id. */
  name: string;
  /** croner pattern, 5 fields (`minute hour day month weekday`) or 6 with seconds first. */
  cron: string;
  /** IANA time zone the pattern is read in. @default "UTC" */
  timezone?: string;
  /**
   * What to do when the process was down at a slot: run the latest missed slot
   * once (never every missed slot), or skip it and wait for the next one.
   * @default "runOnce"
   */
  missed?: "runOnce" | "skip";
  /** How long a claimed run may take before another process may take it over; renewed every leaseMs/3 while running. @default 600_000 (10 min) */
  leaseMs?: number;
  /** `signal` aborts when the scheduler stops or the run's lease was lost to another process. */
  run(ctx: { scheduledAt: Date; signal: AbortSignal }): Promise<void>;
}

export interface Scheduler {
  /** Registers a job; throws an Error on a duplicate name, a bad cron pattern or an unknown time zone. */
  add(job: ScheduledJob): void;
  /** Polls every `pollMs` (the timer does not keep the process alive). */
  start(): void;
  /** Evaluates every job against the clock now and runs the due slots; resolves when those runs finished. */
  tick(): Promise<void>;
  /** Runs the job now, outside its schedule (slot `manual:<ISO time>`); true if this process ran it (false while it is already running here). */
  runNow(name: string): Promise<boolean>;
  /** Stops polling, aborts the running jobs' signals and waits for them to finish. */
  stop(): Promise<void>;
  /** The job's recent run records, newest first. @default limit 20 */
  runs(name: string, limit?: number): Promise<ScheduleRun[]>;
}

export interface SchedulerOptions {
  db: Db;
  logger: Logger;
  /** @default systemClock */
  now?: Clock;
  /** Names this process in the run records. @default `<hostname>:<pid>:<random>` */
  owner?: string;
  /** @default 1000 */
  pollMs?: number;
  /** Run records kept per job; older finished ones are deleted after each run. @default 100 */
  keepRuns?: number;
}

/** A run this process started; wrapped so an async function returning it does not wait for it. */
interface Started {
  done: Promise<void>;
}

/**
 * kit's one scheduler for scheduled work (rollups, retention, probes, anchors,
 * scoring). Each slot runs once across processes: the first to insert the run
 * record `<job>@<slot ISO>` runs it. Time comes from the injected clock, so
 * tests advance it and call `tick()` instead of sleeping.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const {
    db,
    logger,
    now: clock = systemClock,
    owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    pollMs = 1000,
    keepRuns = 100,
  } = options;
  const store = createScheduleRuns(db);
  const deps: RunDeps = { store, logger, clock, owner, keepRuns };
  const jobs = new Map<string, Registered>();
  const inFlight = new Map<string, { promise: Promise<void>; abort: AbortController }>();
  /** Jobs being claimed or run in this process: a job never runs concurrently with itself here. */
  const busy = new Set<string>();
  const evaluations = new Set<Promise<unknown>>();
  const skipWindowMs = Math.max(2 * pollMs, 5000);
  let timer: NodeJS.Timeout | undefined;
  let polling = false;
  let stopped = false;

  function registered(name: string): Registered {
    const found = jobs.get(name);
    if (!found) throw new Error(`No scheduled job "${name}". Known jobs: ${[...jobs.keys()].join(", ") || "none"}.`);
    return found;
  }

  /** Starts `executeRun` and tracks it as this job's in-flight run (the job is `busy` already). */
  function launch(entry: Registered, run: ScheduleRun): Started {
    const name = entry.job.name;
    const abort = new AbortController();
    const promise = executeRun(deps, entry, run, abort).finally(() => {
      inFlight.delete(name);
      busy.delete(name);
      if (run.trigger === "schedule") entry.known = { slot: run.scheduledAt.getTime(), busyUntil: Infinity };
    });
    inFlight.set(name, { promise, abort });
    return { done: promise };
  }

  /** Holds the job busy in this process while `claim` decides; a run it launches keeps it busy until it ends. */
  async function exclusive(name: string, claim: () => Promise<Started | undefined>): Promise<Started | undefined> {
    if (busy.has(name)) return undefined;
    busy.add(name);
    let started: Started | undefined;
    try {
      started = await claim();
      return started;
    } finally {
      if (!started) busy.delete(name);
    }
  }

  /** Claims the job's due slot if it is this process's to run; the run's promise, or undefined. */
  async function evaluate(entry: Registered): Promise<Started | undefined> {
    const name = entry.job.name;
    const nowMs = clock();
    const slot = latestSlot(entry.cron, new Date(nowMs));
    if (!slot) return undefined;
    if (entry.missed === "skip" && nowMs - slot.getTime() > skipWindowMs) return undefined;
    if (entry.known?.slot === slot.getTime() && nowMs <= entry.known.busyUntil) return undefined;

    const run = newRunRecord(deps, entry, `${name}@${slot.toISOString()}`, slot, "schedule");
    if (await store.claim(run)) return launch(entry, run);
    const existing = await store.latest(name, slot);
    if (existing && existing.status === "running" && existing.leaseUntil.getTime() < nowMs) {
      const taken = await store.takeOver(existing, owner, new Date(nowMs), run.leaseUntil);
      if (taken) {
        logger.warn(
          { job: name, runId: taken._id, previousOwner: existing.owner },
          "took over a scheduled run whose owner's lease ran out",
        );
        return launch(entry, taken);
      }
    }
    const busyUntil = existing?.status === "running" ? existing.leaseUntil.getTime() : Infinity;
    entry.known = { slot: slot.getTime(), busyUntil };
    return undefined;
  }

  /** Evaluates every job; the runs it started. Never throws: a failing store is logged per job. */
  async function evaluateAll(): Promise<Started[]> {
    if (stopped) return [];
    const evaluation = Promise.all(
      [...jobs.values()].map((entry) =>
        exclusive(entry.job.name, () => evaluate(entry)).catch((error: unknown) => {
          logger.error({ err: error, job: entry.job.name }, "evaluating a scheduled job failed");
          return undefined;
        }),
      ),
    );
    evaluations.add(evaluation);
    const started = await evaluation.finally(() => evaluations.delete(evaluation));
    return started.filter((p): p is Started => p !== undefined);
  }

  return {
    add(job) {
      if (jobs.has(job.name)) throw new Error(`A scheduled job named "${job.name}" is already added; job names are unique per scheduler.`);
      jobs.set(job.name, registerJob(job));
    },

    start() {
      if (timer || stopped) return;
      timer = setInterval(() => {
        if (polling) return;
        polling = true;
        void evaluateAll().finally(() => (polling = false));
      }, pollMs);
      timer.unref();
    },

    async tick() {
      await Promise.all((await evaluateAll()).map((s) => s.done));
    },

    async runNow(name) {
      const entry = registered(name);
      if (stopped) return false;
      const started = await exclusive(name, async () => {
        const at = new Date(clock());
        const run = newRunRecord(deps, entry, `${name}@manual:${at.toISOString()}`, at, "manual");
        return (await store.claim(run)) ? launch(entry, run) : undefined;
      });
      if (!started) return false;
      await started.done;
      return true;
    },

    async stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
      // Claims under way may still start runs; wait for them so those are aborted and awaited too.
      await Promise.allSettled([...evaluations]);
      const running = [...inFlight.values()];
      for (const { abort } of running) abort.abort(new Error("The scheduler is stopping."));
      await Promise.all(running.map((r) => r.promise));
    },

    async runs(name, limit = 20) {
      registered(name);
      return store.list(name, limit);
    },
  };
}
