import type { Db } from "mongodb";
import { createTenantRepository, isDuplicateKeyError } from "@intelgraph/kit";
import type { RunRecord } from "./runRecords.ts";

export const RUNS = "playbook_runs";
export const RUN_CLAIMS = "playbook_run_claims";

interface ClaimRecord {
  /** `<run id>#<attempt>`: one process alone can insert it, which is what takes the run. */
  _id: string;
  runId: string;
  owner: string;
  at: Date;
}

/**
 * The runs: tenant-scoped for the API, plus the worker's cross-tenant queue.
 * FerretDB 1.x applies filtered updates as read-then-write (two workers could
 * both "win" a findOneAndUpdate), so a run is taken by inserting the claim
 * record of its next attempt, whose fixed _id only one insert can have.
 */
export function createRunStore(db: Db) {
  const repo = createTenantRepository<RunRecord>(db, RUNS, {
    indexes: [{ key: { tenantId: 1, playbookId: 1, queuedAt: -1 }, name: "playbook_runs" }],
  });
  const raw = db.collection<RunRecord>(RUNS);
  const claims = db.collection<ClaimRecord>(RUN_CLAIMS);

  return {
    repo,
    async ensureIndexes() {
      await repo.ensureIndexes();
      await raw.createIndex({ status: 1, queuedAt: 1 }, { name: "queue" });
    },

    /** Inserts a run; false when a run with its id exists (a scheduled slot already queued by another process). */
    async insert(run: RunRecord): Promise<boolean> {
      try {
        await repo.forTenant(run.tenantId).insertOne(run);
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },

    /** Queued runs, and running ones whose lease ran out before `now`, oldest first, across tenants. */
    async candidates(now: Date, limit: number): Promise<RunRecord[]> {
      const queued = await raw.find({ status: "QUEUED" }).sort({ queuedAt: 1 }).limit(limit).toArray();
      const stale = await raw
        .find({ status: "RUNNING", leaseUntil: { $lt: now } })
        .limit(limit)
        .toArray();
      return [...queued, ...stale];
    },

    async hasWork(): Promise<boolean> {
      return (await raw.countDocuments({ status: { $in: ["QUEUED", "RUNNING"] } }, { limit: 1 })) > 0;
    },

    /** Takes attempt `attempt` of the run for `owner`; false when another process took it first. */
    async claim(runId: string, attempt: number, owner: string, at: Date): Promise<boolean> {
      try {
        await claims.insertOne({ _id: `${runId}#${attempt}`, runId, owner, at });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },

    /** Writes the fields of the run this owner holds (by id and owner). */
    async save(run: RunRecord, fields: Partial<RunRecord>): Promise<boolean> {
      const result = await repo.forTenant(run.tenantId).updateOne({ _id: run._id, owner: run.owner }, { $set: fields });
      return result.matched === 1;
    },
  };
}

export type RunStore = ReturnType<typeof createRunStore>;
