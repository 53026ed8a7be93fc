/**
 * The dead-letter store from the API's side: records a job could not land,
 * listed page by page, corrected by hand, and replayed through the job's
 * mapping.
 */
import { appError, ErrorCode, insertNew, pageSize, requireUser, validateInput, type Principal } from "@intelgraph/kit";
import { writeBatch } from "./graphWriter.ts";
import { deadLetterText } from "./ingestInputs.ts";
import { notFound, type IngestServiceDeps } from "./ingestServiceDeps.ts";
import type { DeadLetterDoc, JobDoc, MappingDoc } from "./ingestStore.ts";
import { mappingSpecSchema } from "./mappingSpec.ts";
import { mapRecord, RecordError, type MappedRecord } from "./mapRecord.ts";
import { mergeDocs, splitRules } from "./mergeDecisions.ts";
import type { JobControl } from "./jobControl.ts";
import type { MappingApprovals } from "./mappingApprovals.ts";
import { parseCsvRow, parseJsonRecord } from "./records.ts";
import { createStixMapper } from "./stix.ts";

/** Maps one record the way its job would; for replaying dead letters. */
async function remap(
  deps: IngestServiceDeps,
  job: JobDoc,
  mapping: MappingDoc,
  letter: DeadLetterDoc,
): Promise<MappedRecord | { skipped: true }> {
  const parsed =
    job.format === "CSV"
      ? await parseCsvRow(job.csvHeader ?? [], letter.raw)
      : (parseJsonRecord(letter.raw) as ReturnType<typeof parseJsonRecord>);
  if (parsed.error || !parsed.value) throw new RecordError("PARSE_ERROR", parsed.error ?? "unreadable");
  const ctx = { tenantId: job.tenantId, splits: await splitRules(deps.store, job.tenantId) };
  if (job.format !== "STIX") return mapRecord(mappingSpecSchema.parse(mapping.spec), parsed.value, letter.raw, ctx);
  const stix = createStixMapper(ctx);
  const value = parsed.value;
  if (value["type"] !== "relationship") {
    const outcome = stix.map(letter.raw, value, letter.recordIndex);
    if (outcome.kind === "skipped") return { skipped: true };
    if (outcome.kind === "entity") return outcome.mapped;
  }
  // A relationship: its ends are looked up among the tenant's STIX entities already in the graph.
  const refs = [value["source_ref"], value["target_ref"]].filter((r): r is string => typeof r === "string");
  const session = deps.driver.session({ database: deps.database });
  try {
    const found = await session.run(
      `MATCH (n) WHERE n.tenantId = $tenantId AND n.stixId IN $refs RETURN n.stixId AS stixId, labels(n)[0] AS type, n.id AS id`,
      { tenantId: job.tenantId, refs },
    );
    for (const r of found.records) stix.seed(r.get("stixId") as string, r.get("type") as string, r.get("id") as string);
  } finally {
    await session.close();
  }
  return stix.resolve({ index: letter.recordIndex, raw: letter.raw, value });
}

export function createDeadLetters(
  deps: IngestServiceDeps,
  jobs: Pick<JobControl, "jobFor">,
  approvals: Pick<MappingApprovals, "mappingFor">,
) {
  const { store, now } = deps;
  return {
    async deadLetters(principal: Principal, input: { jobId: string; state?: string | null; first?: number | null; after?: string | null }) {
      const caller = requireUser(principal);
      await jobs.jobFor(caller, input.jobId);
      const limit = pageSize(input.first, 500);
      const after = input.after === undefined || input.after === null ? -1 : Number(input.after);
      if (!Number.isInteger(after)) throw appError(ErrorCode.BAD_USER_INPUT, "The cursor is not one we issued.", { argument: "after" });
      const state = input.state ? { state: input.state as DeadLetterDoc["state"] } : {};
      const letters = store.deadLetters.forTenant(caller.tenantId);
      const rows = await letters.find(
        { jobId: input.jobId, recordIndex: { $gt: after }, ...state },
        { sort: { recordIndex: 1 }, limit: limit + 1 },
      );
      const nodes = rows.slice(0, limit);
      return {
        nodes,
        totalCount: await letters.countDocuments({ jobId: input.jobId, ...state }),
        pageInfo: { hasNextPage: rows.length > limit, endCursor: nodes.length ? String(nodes.at(-1)!.recordIndex) : null },
      };
    },

    async editDeadLetter(principal: Principal, input: { id: string; raw: unknown }): Promise<DeadLetterDoc> {
      const caller = requireUser(principal);
      const { id } = input;
      const text = validateInput(deadLetterText, input.raw);
      const letters = store.deadLetters.forTenant(caller.tenantId);
      const letter = (await letters.findOne({ _id: id })) ?? notFound("dead letter", id);
      if (letter.state === "REPLAYED")
        throw appError(ErrorCode.CONFLICT, "This record was replayed already; it can no longer change.", { id });
      return (await letters.findOneAndUpdate({ _id: id }, { $set: { raw: text, editedBy: caller.userId, updatedAt: new Date(now()) } }))!;
    },

    /**
     * Replays open dead letters of a job (all, or `ids`) through the job's
     * mapping. Idempotent: replayed letters are skipped, and what they write
     * merges by id. A letter that fails again stays open with the new reason.
     */
    async replay(principal: Principal, input: { jobId: string; ids?: string[] | null }) {
      const caller = requireUser(principal);
      const { jobId, ids } = input;
      const job = await jobs.jobFor(caller, jobId);
      const mapping = await approvals.mappingFor(caller, job.mappingId);
      const letters = store.deadLetters.forTenant(caller.tenantId);
      const open = await letters.find(
        { jobId, state: "OPEN", ...(ids?.length ? { _id: { $in: ids } } : {}) },
        { sort: { recordIndex: 1 }, limit: 1000 },
      );
      if (ids?.length) {
        const known = new Set((await letters.find({ jobId, _id: { $in: ids } })).map((l) => l._id));
        const unknown = ids.filter((id) => !known.has(id));
        if (unknown.length) throw appError(ErrorCode.NOT_FOUND, `No dead letters ${unknown.join(", ")} in job ${jobId}.`, { ids: unknown });
      }
      let replayed = 0;
      let stillFailing = 0;
      const writeCtx = { tenantId: job.tenantId, jobId: job._id, source: job.source, seenAt: new Date(now()).toISOString() };
      for (const letter of open) {
        const at = new Date(now());
        try {
          const mapped = await remap(deps, job, mapping, letter);
          if (!("skipped" in mapped)) {
            const result = await writeBatch(deps.driver, deps.database, writeCtx, [{ index: letter.recordIndex, mapped }]);
            await insertNew(store.raw.merges, mergeDocs(job, result.merged, at));
          }
          await letters.updateOne(
            { _id: letter._id, state: "OPEN" },
            { $set: { state: "REPLAYED", updatedAt: at }, $inc: { attempts: 1 } },
          );
          replayed++;
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          await letters.updateOne(
            { _id: letter._id },
            { $set: { reason: error.message, code: error.code, updatedAt: at }, $inc: { attempts: 1 } },
          );
          stillFailing++;
        }
      }
      return {
        replayed,
        stillFailing,
        deadLetters: await letters.find({ _id: { $in: open.map((l) => l._id) } }, { sort: { recordIndex: 1 } }),
      };
    },
  };
}

export type DeadLetters = ReturnType<typeof createDeadLetters>;
