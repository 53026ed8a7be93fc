/**
 * Entity resolution's decisions: when a record's entity resolves to one that
 * exists (same key, or a key rule such as a normalised spelling), ingest
 * records which spelling merged into whose entity, by which rule. Decisions
 * can be listed and undone; an undone merge splits the spelling into an entity
 * of its own, and later records with that spelling resolve to it.
 */
import { appError, ErrorCode, pageSize, requireUser, validateInput, type Principal } from "@intelgraph/kit";
import { writeBatch, type EntityMention } from "./graphWriter.ts";
import { reasonInput } from "./ingestInputs.ts";
import { notFound, type IngestServiceDeps } from "./ingestServiceDeps.ts";
import type { IngestStore, JobDoc, MergeDoc } from "./ingestStore.ts";
import { entityId, splitRuleKey, type MappedRecord } from "./mapRecord.ts";

/**
 * One decision per entity and spelling: which record merged in, by which rule,
 * into whose entity. `seen` carries over between batches so a spelling
 * repeated across a big file is written once; the documents are inserted
 * insert-only, so the first decision for a spelling stands.
 */
export function mergeDocs(
  job: Pick<JobDoc, "_id" | "tenantId">,
  merged: EntityMention[],
  now: Date,
  seen: Set<string> = new Set(),
): MergeDoc[] {
  const docs: MergeDoc[] = [];
  for (const m of merged) {
    const id = `${m.id}:${Buffer.from(m.rawKey).toString("base64url").slice(0, 120)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    docs.push({
      _id: id,
      tenantId: job.tenantId,
      entityId: m.id,
      type: m.type,
      erKey: m.erKey,
      rawKey: m.rawKey,
      rule: m.keyRules.length ? m.keyRules.join(", ") : "exact-key",
      record: { jobId: job._id, index: m.recordIndex, hash: m.recordHash },
      mergedInto: m.createdBy ?? "",
      props: m.props,
      state: "MERGED",
      createdAt: now,
    });
  }
  return docs;
}

/** The tenant's undone merges as split rules for the mapper: spelling → the entity it was split into. */
export async function splitRules(store: IngestStore, tenantId: string): Promise<Map<string, string>> {
  const undone = await store.merges.forTenant(tenantId).find({ state: "UNDONE" });
  return new Map(undone.map((m) => [splitRuleKey(m.type, m.erKey, m.rawKey), m.undo!.splitEntityId]));
}

export function createMergeDecisions(deps: IngestServiceDeps) {
  const { store, now } = deps;
  return {
    async merges(principal: Principal, input: { entityId?: string | null; jobId?: string | null; first?: number | null }) {
      const caller = requireUser(principal);
      const limit = pageSize(input.first);
      return store.merges.forTenant(caller.tenantId).find(
        { ...(input.entityId ? { entityId: input.entityId } : {}), ...(input.jobId ? { "record.jobId": input.jobId } : {}) },
        {
          sort: { createdAt: -1 },
          limit,
        },
      );
    },

    /**
     * Undoes a merge: the spelling that was merged in becomes an entity of its
     * own (with the properties its record gave), future records with that
     * spelling resolve to it, and the decision keeps who undid it and why.
     * Relationships already on the surviving entity stay there.
     */
    async undoMerge(principal: Principal, input: { id: string; reason: unknown }): Promise<MergeDoc> {
      const caller = requireUser(principal);
      const { id } = input;
      const why = validateInput(reasonInput, input.reason);
      const merges = store.merges.forTenant(caller.tenantId);
      const merge = (await merges.findOne({ _id: id })) ?? notFound("merge decision", id);
      if (merge.state === "UNDONE") throw appError(ErrorCode.CONFLICT, "This merge was undone already.", { id });
      const splitEntityId = entityId(caller.tenantId, merge.type, `${merge.erKey}\u001esplit:${merge.rawKey}`);
      const mapped: MappedRecord = {
        recordHash: merge.record.hash,
        entities: [
          {
            alias: "split",
            type: merge.type,
            id: splitEntityId,
            erKey: `${merge.erKey}\u001esplit:${merge.rawKey}`,
            rawKey: merge.rawKey,
            keyRules: [],
            props: merge.props as MappedRecord["entities"][number]["props"],
          },
        ],
        edges: [],
      };
      await writeBatch(
        deps.driver,
        deps.database,
        { tenantId: caller.tenantId, jobId: merge.record.jobId, source: "merge-undo", seenAt: new Date(now()).toISOString() },
        [{ index: merge.record.index, mapped }],
      );
      const undone = await merges.findOneAndUpdate(
        { _id: id, state: "MERGED" },
        { $set: { state: "UNDONE", undo: { by: caller.userId, at: new Date(now()), reason: why, splitEntityId } } },
      );
      if (!undone) throw appError(ErrorCode.CONFLICT, "This merge was undone already.", { id });
      return undone;
    },
  };
}

export type MergeDecisions = ReturnType<typeof createMergeDecisions>;
