import type { Db } from "mongodb";
import { isDuplicateKeyError } from "../store/mongo.ts";

export const SCHEDULE_RUNS = "kit_schedule_runs";

/** One run of a scheduled job, shared by every process through the database. */
export interface ScheduleRun {
  /**
   * `<job>@<slot ISO time>`, or `<job>@manual:<ISO time>` for runNow: the unique _id is what makes a slot run once.
   * A takeover's attempt n ≥ 2 is a record of its own, `<that id>#<n>`.
   */
  _id: string;
  job: string;
  /** The slot the run is for (the time of the call for a manual run). */
  scheduledAt: Date;
  trigger: "schedule" | "manual";
  /** The scheduler (process) that runs it, or ran it last. */
  owner: string;
  status: "running" | "succeeded" | "failed";
  startedAt: Date;
  finishedAt?: Date;
  /** The message of what the job threw. */
  error?: string;
  /** While running: until when the owner holds it; after that another process may take the run over. */
  leaseUntil: Date;
  /** 1 for the first run of a slot; n for the n-th, after n-1 takeovers from owners whose lease ran out. */
  attempts: number;
}

/**
 * The run records: claim a slot by inserting its fixed _id (FerretDB has no
 * transactions, but _id uniqueness holds), take over a run whose lease ran
 * out (by inserting its next attempt), renew, finish, list, prune.
 */
export function createScheduleRuns(db: Db) {
  const runs = db.collection<ScheduleRun>(SCHEDULE_RUNS);
  let indexed: Promise<unknown> | undefined;
  const ready = () =>
    (indexed ??= runs.createIndex({ job: 1, scheduledAt: -1 }).catch((error: unknown) => {
      indexed = undefined;
      throw error;
    }));

  return {
    ready,

    /** Inserts the run record; false when the slot already has one (another process, or an earlier run). */
    async claim(run: ScheduleRun): Promise<boolean> {
      await ready();
      try {
        await runs.insertOne(run);
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },

    /** The newest attempt of the job's scheduled run for `slot`, or null. */
    async latest(job: string, slot: Date): Promise<ScheduleRun | null> {
      const [run] = await runs.find({ job, scheduledAt: slot, trigger: "schedule" }).sort({ attempts: -1 }).limit(1).toArray();
      return run ?? null;
    },

    /**
     * Takes over `expired`, a run still marked running whose lease ended before
     * `now`: the new attempt's record, or null when another process got it.
     * FerretDB 1.x applies a filtered update or delete (and findOneAndUpdate) as
     * read, then write by _id, so two processes can both "win" one; only a
     * unique _id holds. So a takeover inserts attempt n+1 as `<run id>#<n+1>`,
     * which one process alone can do, and marks attempt n failed.
     */
    async takeOver(expired: ScheduleRun, owner: string, now: Date, leaseUntil: Date): Promise<ScheduleRun | null> {
      const attempts = expired.attempts + 1;
      const { finishedAt: _finishedAt, error: _error, ...rest } = expired;
      const run: ScheduleRun = {
        ...rest,
        _id: `${expired._id.replace(/#\d+$/, "")}#${attempts}`,
        owner,
        status: "running",
        startedAt: now,
        leaseUntil,
        attempts,
      };
      if (!(await this.claim(run))) return null;
      const error = `Its lease ran out (owner ${expired.owner} stopped renewing it); ${owner} took the run over as attempt ${attempts}.`;
      await runs.updateOne({ _id: expired._id, status: "running" }, { $set: { status: "failed", finishedAt: now, error } });
      return run;
    },

    /** Extends the lease; false when the run is no longer this owner's (it was taken over). */
    async renew(id: string, owner: string, leaseUntil: Date): Promise<boolean> {
      const result = await runs.updateOne({ _id: id, owner, status: "running" }, { $set: { leaseUntil } });
      return result.matchedCount === 1;
    },

    async finish(id: string, owner: string, finishedAt: Date, error?: string): Promise<void> {
      const set = error === undefined ? { status: "succeeded" as const, finishedAt } : { status: "failed" as const, finishedAt, error };
      await runs.updateOne({ _id: id, owner, status: "running" }, { $set: set });
    },

    async list(job: string, limit: number): Promise<ScheduleRun[]> {
      await ready();
      return runs.find({ job }).sort({ scheduledAt: -1, attempts: -1 }).limit(limit).toArray();
    },

    /** Deletes the job's finished records older than its `keep` newest (only the latest slot matters for what runs next). */
    async prune(job: string, keep: number): Promise<void> {
      const [oldestKept] = await runs
        .find({ job })
        .sort({ scheduledAt: -1, attempts: -1 })
        .skip(keep - 1)
        .limit(1)
        .toArray();
      if (!oldestKept) return;
      await runs.deleteMany({ job, scheduledAt: { $lt: oldestKept.scheduledAt }, status: { $ne: "running" } });
    },
  };
}

export type ScheduleRuns = ReturnType<typeof createScheduleRuns>;
