import type { Cron } from "croner";
import type { Clock } from "../config/serviceDeps.ts";
import type { Logger } from "../observability/logger.ts";
import { DEFAULT_TIMEZONE, parseCron } from "./cronSlots.ts";
import type { ScheduleRun, ScheduleRuns } from "./scheduleRuns.ts";
import type { ScheduledJob } from "./scheduler.ts";

export interface Registered {
  job: ScheduledJob;
  cron: Cron;
  missed: "runOnce" | "skip";
  leaseMs: number;
  /** The slot this process last saw settled (finished, or held by a live lease until `busyUntil`), to spare the database a look every poll. */
  known?: { slot: number; busyUntil: number };
}

/** What a run needs from its scheduler. */
export interface RunDeps {
  store: ScheduleRuns;
  logger: Logger;
  clock: Clock;
  owner: string;
  keepRuns: number;
}

/** Validates a job and parses its cron pattern; throws an Error on a bad name, option, pattern or time zone. */
export function registerJob(job: ScheduledJob): Registered {
  if (!job.name) throw new Error("A scheduled job needs a name.");
  const { missed = "runOnce", leaseMs = 10 * 60_000 } = job;
  if (missed !== "runOnce" && missed !== "skip") throw new Error(`Scheduled job "${job.name}": missed must be "runOnce" or "skip".`);
  if (!(leaseMs > 0)) throw new Error(`Scheduled job "${job.name}": leaseMs must be a positive number of milliseconds.`);
  let cron: Cron;
  try {
    cron = parseCron(job.cron, job.timezone ?? DEFAULT_TIMEZONE);
  } catch (error) {
    throw new Error(`Scheduled job "${job.name}": ${(error as Error).message}`);
  }
  return { job, cron, missed, leaseMs };
}

/** A fresh run record for this process, leased from now. */
export function newRun(
  deps: Pick<RunDeps, "clock" | "owner">,
  entry: Registered,
  id: string,
  scheduledAt: Date,
  trigger: ScheduleRun["trigger"],
): ScheduleRun {
  const startedAt = new Date(deps.clock());
  return {
    _id: id,
    job: entry.job.name,
    scheduledAt,
    trigger,
    owner: deps.owner,
    status: "running",
    startedAt,
    leaseUntil: new Date(startedAt.getTime() + entry.leaseMs),
    attempts: 1,
  };
}

/** Runs a claimed record: renews its lease while running, records the outcome, never throws. */
export async function executeRun(deps: RunDeps, entry: Registered, run: ScheduleRun, abort: AbortController): Promise<void> {
  const { store, logger, clock, owner, keepRuns } = deps;
  const { job, leaseMs } = entry;
  const renewal = setInterval(
    () => {
      store.renew(run._id, owner, new Date(clock() + leaseMs)).then(
        (held) => {
          if (held || abort.signal.aborted) return;
          logger.warn({ job: job.name, runId: run._id }, "scheduled run lost its lease to another process; aborting it here");
          abort.abort(new Error(`The lease of ${run._id} was taken over by another process.`));
        },
        (error: unknown) => logger.warn({ err: error, job: job.name, runId: run._id }, "renewing a scheduled run's lease failed"),
      );
    },
    Math.max(100, leaseMs / 3),
  );
  renewal.unref();
  let failure: string | undefined;
  try {
    await job.run({ scheduledAt: run.scheduledAt, signal: abort.signal });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    const fields = { err: error, job: job.name, scheduledAt: run.scheduledAt.toISOString(), runId: run._id };
    if (abort.signal.aborted) logger.warn(fields, "scheduled job stopped after its run was aborted");
    else logger.error(fields, `scheduled job ${job.name} failed: ${failure}`);
  } finally {
    clearInterval(renewal);
  }
  try {
    await store.finish(run._id, owner, new Date(clock()), failure);
    await store.prune(job.name, keepRuns);
  } catch (error) {
    logger.error({ err: error, job: job.name, runId: run._id }, "recording a scheduled run's outcome failed");
  }
}
