/**
 * The ingest API's operations, all scoped to the caller's tenant: mappings and
 * their approval, jobs (upload, batch, cancel, retry), the dead-letter store
 * and its replay, and merge decisions with undo.
 */
import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Driver } from "neo4j-driver";
import { z } from "zod";
import {
  appError,
  ErrorCode,
  insertNew,
  pageSize,
  validateInput,
  type AuthenticatedPrincipal,
  type Logger,
  type PubSub,
} from "@intelgraph/kit";
import { checkAgainstModel, type SchemaTypeRef } from "./graphModel.ts";
import { writeBatch } from "./graphWriter.ts";
import { emptyTotals, type DeadLetterDoc, type IngestStore, type JobDoc, type MappingDoc, type MergeDoc } from "./ingestStore.ts";
import { mappingSpecSchema, SOURCE_FORMATS, type MappingSpec } from "./mappingSpec.ts";
import { entityId, mapRecord, RecordError, splitRuleKey, type MappedRecord } from "./mapRecord.ts";
import { mergeDocs } from "./pipeline.ts";
import { parseCsvRow, parseJsonRecord } from "./records.ts";
import { createStixMapper } from "./stix.ts";
import { signUploadToken, UPLOAD_PATH_PREFIX } from "./uploads.ts";
import { progressTopic } from "./worker.ts";

export interface IngestServiceDeps {
  store: IngestStore;
  driver: Driver;
  database: string;
  logger: Logger;
  uploadKey: string;
  /** Progress subscribers hear about state changes made here (a queued job cancelled). */
  pubsub: PubSub;
  /** A worker in this process to wake when a job is queued. */
  kick?: () => void;
  uploadTtlMs?: number;
}

const createMappingInput = z.strictObject({
  name: z.string().trim().min(1).max(120),
  format: z.enum(SOURCE_FORMATS),
  spec: z.unknown().optional(),
});

const createJobInput = z.strictObject({
  mappingId: z.string().min(1),
  fileName: z.string().trim().min(1).max(255),
  approvalOverride: z.string().trim().min(10, "an override needs a reason of at least 10 characters").max(1000).optional(),
});

const ingestRecordsInput = z.strictObject({
  mappingId: z.string().min(1),
  source: z.string().trim().min(1).max(255),
  records: z.array(z.record(z.string(), z.unknown())).min(1).max(5000),
  approvalOverride: z.string().trim().min(10, "an override needs a reason of at least 10 characters").max(1000).optional(),
});

const reason = z.string().trim().min(3, "give a reason (at least 3 characters)").max(1000);

function notFound(what: string, id: string): never {
  throw appError(ErrorCode.NOT_FOUND, `No ${what} with id ${id} in your tenant.`, { id });
}

export function createIngestService(deps: IngestServiceDeps) {
  const { store } = deps;
  const uploadTtlMs = deps.uploadTtlMs ?? 30 * 60_000;

  function parseSpec(format: string, spec: unknown): { spec: MappingSpec | null; newTypes: SchemaTypeRef[] } {
    if (format === "STIX") {
      if (spec !== undefined && spec !== null)
        throw appError(ErrorCode.BAD_USER_INPUT, "STIX mappings are built in; leave spec empty.", { argument: "spec" });
      return { spec: null, newTypes: [] };
    }
    if (spec === undefined || spec === null)
      throw appError(ErrorCode.BAD_USER_INPUT, `A ${format} mapping needs a spec (entities and relationships).`, { argument: "spec" });
    const parsed = validateInput(mappingSpecSchema, spec);
    const { newTypes, problems } = checkAgainstModel(parsed);
    if (problems.length)
      throw appError(ErrorCode.BAD_USER_INPUT, `Invalid input — ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}.`, {
        problems,
      });
    return { spec: parsed, newTypes };
  }

  async function approvedTypes(tenantId: string): Promise<Set<string>> {
    const rows = await store.schemaTypes.forTenant(tenantId).find({});
    return new Set(rows.map((r) => `${r.kind}:${r.name}`));
  }

  async function mappingFor(principal: AuthenticatedPrincipal, id: string): Promise<MappingDoc> {
    return (await store.mappings.forTenant(principal.tenantId).findOne({ _id: id })) ?? notFound("mapping", id);
  }

  /** SCHEMA_NOT_APPROVED naming what is missing, unless an admin overrides it with a reason. */
  async function requireApproved(
    principal: AuthenticatedPrincipal,
    mapping: MappingDoc,
    override: string | undefined,
    canOverride: boolean,
  ) {
    const approved = await approvedTypes(principal.tenantId);
    const unapprovedTypes = mapping.newTypes.filter((t) => !approved.has(`${t.kind}:${t.name}`));
    if (mapping.state === "APPROVED" && !unapprovedTypes.length) return undefined;
    if (override !== undefined) {
      if (!canOverride)
        throw appError(ErrorCode.FORBIDDEN, "Overriding a schema approval needs the permission ingest:approve (tenant admins).", {
          requiredPermission: "ingest:approve",
        });
      return { by: principal.userId, reason: override };
    }
    const missing = [
      ...(mapping.state === "APPROVED"
        ? []
        : [`mapping "${mapping.name}" v${mapping.version} is ${mapping.state.toLowerCase().replace("_", " ")}`]),
      ...unapprovedTypes.map((t) => `${t.kind.toLowerCase()} type ${t.name}`),
    ];
    throw appError(
      ErrorCode.SCHEMA_NOT_APPROVED,
      `This ingest needs a tenant admin's approval first: ${missing.join("; ")}. Ask an admin to run approveIngestMapping.`,
      { mappingId: mapping._id, mappingState: mapping.state, unapprovedTypes },
    );
  }

  function newJob(principal: AuthenticatedPrincipal, mapping: MappingDoc, source: string, extra: Partial<JobDoc>): JobDoc {
    const now = new Date();
    return {
      _id: randomUUID(),
      tenantId: principal.tenantId,
      mappingId: mapping._id,
      mappingVersion: mapping.version,
      mappingName: mapping.name,
      format: mapping.format,
      source,
      state: "AWAITING_UPLOAD",
      createdBy: principal.userId,
      createdAt: now,
      attempts: 0,
      checkpoint: { records: 0, bytes: 0 },
      totals: emptyTotals(),
      resumedFrom: 0,
      updatedAt: now,
      ...extra,
    };
  }

  async function jobFor(principal: AuthenticatedPrincipal, id: string): Promise<JobDoc> {
    return (await store.jobs.forTenant(principal.tenantId).findOne({ _id: id })) ?? notFound("ingest job", id);
  }

  /** Maps one record the way its job would; for replaying dead letters. */
  async function remap(job: JobDoc, mapping: MappingDoc, letter: DeadLetterDoc): Promise<MappedRecord | { skipped: true }> {
    const parsed =
      job.format === "CSV"
        ? await parseCsvRow(job.csvHeader ?? [], letter.raw)
        : (parseJsonRecord(letter.raw) as ReturnType<typeof parseJsonRecord>);
    if (parsed.error || !parsed.value) throw new RecordError("PARSE_ERROR", parsed.error ?? "unreadable");
    const undone = await store.merges.forTenant(job.tenantId).find({ state: "UNDONE" });
    const ctx = {
      tenantId: job.tenantId,
      splits: new Map(undone.map((m) => [splitRuleKey(m.type, m.erKey, m.rawKey), m.undo!.splitEntityId])),
    };
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

  return {
    async listMappings(principal: AuthenticatedPrincipal) {
      return store.mappings.forTenant(principal.tenantId).find({}, { sort: { createdAt: -1 } });
    },
    mapping: (principal: AuthenticatedPrincipal, id: string) => store.mappings.forTenant(principal.tenantId).findOne({ _id: id }),
    approvedTypes,

    async createMapping(principal: AuthenticatedPrincipal, raw: unknown): Promise<MappingDoc> {
      const input = validateInput(createMappingInput, raw);
      const { spec, newTypes } = parseSpec(input.format, input.spec);
      const mappings = store.mappings.forTenant(principal.tenantId);
      if (await mappings.findOne({ name: input.name }))
        throw appError(ErrorCode.CONFLICT, `A mapping named "${input.name}" exists; update it or pick another name.`, { argument: "name" });
      const now = new Date();
      return mappings.insertOne({
        name: input.name,
        format: input.format,
        spec,
        version: 1,
        state: "PENDING_APPROVAL",
        newTypes,
        createdBy: principal.userId,
        createdAt: now,
        updatedAt: now,
      });
    },

    /** A changed spec is a new version and needs approval again. */
    async updateMapping(principal: AuthenticatedPrincipal, id: string, rawSpec: unknown): Promise<MappingDoc> {
      const mapping = await mappingFor(principal, id);
      const { spec, newTypes } = parseSpec(mapping.format, rawSpec);
      const same = JSON.stringify(spec) === JSON.stringify(mapping.spec);
      if (same) return mapping;
      const updated = await store.mappings
        .forTenant(principal.tenantId)
        .findOneAndUpdate(
          { _id: id, version: mapping.version },
          { $set: { spec, newTypes, state: "PENDING_APPROVAL", updatedAt: new Date() }, $inc: { version: 1 }, $unset: { decision: "" } },
        );
      if (!updated) throw appError(ErrorCode.CONFLICT, "The mapping changed while you edited it; load it again.", { id });
      return updated;
    },

    async decideMapping(principal: AuthenticatedPrincipal, id: string, approve: boolean, rawReason: unknown): Promise<MappingDoc> {
      const why = validateInput(reason, rawReason);
      const mapping = await mappingFor(principal, id);
      const now = new Date();
      if (approve) {
        // The types the mapping introduces are approved with it, for the whole tenant.
        const types = store.schemaTypes.forTenant(principal.tenantId);
        for (const t of mapping.newTypes) {
          const _id = `${principal.tenantId}:${t.kind}:${t.name}`;
          if (!(await types.findOne({ _id })))
            await types.insertOne({ _id, kind: t.kind, name: t.name, approvedBy: principal.userId, approvedAt: now, mappingId: id });
        }
        await ensureTypeConstraints(deps.driver, deps.database, mapping.newTypes);
      }
      const updated = await store.mappings
        .forTenant(principal.tenantId)
        .findOneAndUpdate(
          { _id: id, version: mapping.version },
          { $set: { state: approve ? "APPROVED" : "REJECTED", decision: { by: principal.userId, at: now, reason: why }, updatedAt: now } },
        );
      if (!updated) throw appError(ErrorCode.CONFLICT, "The mapping changed while you reviewed it; review the new version.", { id });
      return updated;
    },

    async createJob(principal: AuthenticatedPrincipal, raw: unknown, canOverride: boolean) {
      const input = validateInput(createJobInput, raw);
      const mapping = await mappingFor(principal, input.mappingId);
      const override = await requireApproved(principal, mapping, input.approvalOverride, canOverride);
      const uploadExpiresAt = new Date(Date.now() + uploadTtlMs);
      const job = newJob(principal, mapping, input.fileName, { uploadExpiresAt, ...(override ? { approvalOverride: override } : {}) });
      await store.jobs.forTenant(principal.tenantId).insertOne(job);
      return job;
    },

    uploadFor(job: JobDoc) {
      if (job.state !== "AWAITING_UPLOAD" || !job.uploadExpiresAt || job.uploadExpiresAt < new Date()) return null;
      const token = signUploadToken(deps.uploadKey, { jobId: job._id, tenantId: job.tenantId, exp: job.uploadExpiresAt.getTime() });
      return { method: "PUT", path: `${UPLOAD_PATH_PREFIX}${token}`, expiresAt: job.uploadExpiresAt };
    },

    /** Records sent in the request (connectors): stored like an upload, then run by a worker. */
    async ingestRecords(principal: AuthenticatedPrincipal, raw: unknown, canOverride: boolean): Promise<JobDoc> {
      const input = validateInput(ingestRecordsInput, raw);
      const mapping = await mappingFor(principal, input.mappingId);
      const override = await requireApproved(principal, mapping, input.approvalOverride, canOverride);
      const stix = mapping.format === "STIX";
      const body = stix
        ? JSON.stringify({ type: "bundle", objects: input.records })
        : input.records.map((r) => JSON.stringify(r)).join("\n") + "\n";
      const job = newJob(principal, mapping, input.source, {
        format: stix ? "STIX" : mapping.format === "JSON" ? "NDJSON" : mapping.format === "CSV" ? "NDJSON" : mapping.format,
        ...(override ? { approvalOverride: override } : {}),
      });
      await store.jobs.forTenant(principal.tenantId).insertOne(job);
      const upload = store.uploads.openUploadStreamWithId(job._id as never, job.source, { metadata: { tenantId: job.tenantId } });
      await pipeline(Readable.from([Buffer.from(body)]), upload);
      const queued = await store.jobs.forTenant(principal.tenantId).findOneAndUpdate(
        { _id: job._id },
        {
          $set: {
            state: "QUEUED",
            uploadedAt: new Date(),
            bytesTotal: Buffer.byteLength(body),
            sha256: createHash("sha256").update(body).digest("hex"),
          },
        },
      );
      deps.kick?.();
      return queued!;
    },

    job: (principal: AuthenticatedPrincipal, id: string) => store.jobs.forTenant(principal.tenantId).findOne({ _id: id }),
    jobFor,

    async listJobs(principal: AuthenticatedPrincipal, args: { first?: number | null; state?: string | null }) {
      const limit = pageSize(args.first);
      return store.jobs
        .forTenant(principal.tenantId)
        .find(args.state ? { state: args.state as JobDoc["state"] } : {}, { sort: { createdAt: -1 }, limit });
    },

    /** Queued jobs end at once; a running job stops at its next batch (what landed stays, with provenance). */
    async cancelJob(principal: AuthenticatedPrincipal, id: string): Promise<JobDoc> {
      const jobs = store.jobs.forTenant(principal.tenantId);
      const job = await jobFor(principal, id);
      if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.state))
        throw appError(ErrorCode.CONFLICT, `The job has already ended (${job.state}).`, { id, state: job.state });
      const now = new Date();
      const ended = await jobs.findOneAndUpdate(
        { _id: id, state: { $in: ["AWAITING_UPLOAD", "QUEUED"] } },
        { $set: { state: "CANCELLED", cancelRequested: true, finishedAt: now, updatedAt: now } },
      );
      if (ended) {
        await deps.pubsub.publish(progressTopic(ended._id), ended);
        return ended;
      }
      return (await jobs.findOneAndUpdate({ _id: id }, { $set: { cancelRequested: true, updatedAt: now } }))!;
    },

    /** A failed job goes back to the queue and resumes from its checkpoint. */
    async retryJob(principal: AuthenticatedPrincipal, id: string): Promise<JobDoc> {
      const job = await jobFor(principal, id);
      if (job.state !== "FAILED") throw appError(ErrorCode.CONFLICT, `Only a failed job can be retried; this one is ${job.state}.`, { id });
      const queued = await store.jobs
        .forTenant(principal.tenantId)
        .findOneAndUpdate(
          { _id: id, state: "FAILED" },
          { $set: { state: "QUEUED", updatedAt: new Date() }, $unset: { error: "", finishedAt: "" } },
        );
      deps.kick?.();
      return queued ?? (await jobFor(principal, id));
    },

    async deadLetters(
      principal: AuthenticatedPrincipal,
      args: { jobId: string; state?: string | null; first?: number | null; after?: string | null },
    ) {
      await jobFor(principal, args.jobId);
      const limit = pageSize(args.first, 500);
      const after = args.after === undefined || args.after === null ? -1 : Number(args.after);
      if (!Number.isInteger(after)) throw appError(ErrorCode.BAD_USER_INPUT, "The cursor is not one we issued.", { argument: "after" });
      const filter = {
        jobId: args.jobId,
        recordIndex: { $gt: after },
        ...(args.state ? { state: args.state as DeadLetterDoc["state"] } : {}),
      };
      const letters = store.deadLetters.forTenant(principal.tenantId);
      const rows = await letters.find(filter, { sort: { recordIndex: 1 }, limit: limit + 1 });
      const nodes = rows.slice(0, limit);
      return {
        nodes,
        totalCount: await letters.countDocuments({
          jobId: args.jobId,
          ...(args.state ? { state: args.state as DeadLetterDoc["state"] } : {}),
        }),
        pageInfo: { hasNextPage: rows.length > limit, endCursor: nodes.length ? String(nodes.at(-1)!.recordIndex) : null },
      };
    },

    async editDeadLetter(principal: AuthenticatedPrincipal, id: string, rawText: unknown): Promise<DeadLetterDoc> {
      const text = validateInput(z.string().min(1).max(1_000_000), rawText);
      const letters = store.deadLetters.forTenant(principal.tenantId);
      const letter = (await letters.findOne({ _id: id })) ?? notFound("dead letter", id);
      if (letter.state === "REPLAYED")
        throw appError(ErrorCode.CONFLICT, "This record was replayed already; it can no longer change.", { id });
      return (await letters.findOneAndUpdate({ _id: id }, { $set: { raw: text, editedBy: principal.userId, updatedAt: new Date() } }))!;
    },

    /**
     * Replays open dead letters of a job (all, or `ids`) through the job's
     * mapping. Idempotent: replayed letters are skipped, and what they write
     * merges by id. A letter that fails again stays open with the new reason.
     */
    async replay(principal: AuthenticatedPrincipal, jobId: string, ids: string[] | null | undefined) {
      const job = await jobFor(principal, jobId);
      const mapping = await mappingFor(principal, job.mappingId);
      const letters = store.deadLetters.forTenant(principal.tenantId);
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
      const writeCtx = { tenantId: job.tenantId, jobId: job._id, source: job.source, seenAt: new Date().toISOString() };
      for (const letter of open) {
        const now = new Date();
        try {
          const mapped = await remap(job, mapping, letter);
          if (!("skipped" in mapped)) {
            const result = await writeBatch(deps.driver, deps.database, writeCtx, [{ index: letter.recordIndex, mapped }]);
            await insertNew(store.raw.merges, mergeDocs(job, result.merged, now));
          }
          await letters.updateOne(
            { _id: letter._id, state: "OPEN" },
            { $set: { state: "REPLAYED", updatedAt: now }, $inc: { attempts: 1 } },
          );
          replayed++;
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          await letters.updateOne(
            { _id: letter._id },
            { $set: { reason: error.message, code: error.code, updatedAt: now }, $inc: { attempts: 1 } },
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

    async merges(principal: AuthenticatedPrincipal, args: { entityId?: string | null; jobId?: string | null; first?: number | null }) {
      const limit = pageSize(args.first);
      return store.merges.forTenant(principal.tenantId).find(
        { ...(args.entityId ? { entityId: args.entityId } : {}), ...(args.jobId ? { "record.jobId": args.jobId } : {}) },
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
    async undoMerge(principal: AuthenticatedPrincipal, id: string, rawReason: unknown): Promise<MergeDoc> {
      const why = validateInput(reason, rawReason);
      const merges = store.merges.forTenant(principal.tenantId);
      const merge = (await merges.findOne({ _id: id })) ?? notFound("merge decision", id);
      if (merge.state === "UNDONE") throw appError(ErrorCode.CONFLICT, "This merge was undone already.", { id });
      const splitEntityId = entityId(principal.tenantId, merge.type, `${merge.erKey}\u001esplit:${merge.rawKey}`);
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
        { tenantId: principal.tenantId, jobId: merge.record.jobId, source: "merge-undo", seenAt: new Date().toISOString() },
        [{ index: merge.record.index, mapped }],
      );
      const undone = await merges.findOneAndUpdate(
        { _id: id, state: "MERGED" },
        { $set: { state: "UNDONE", undo: { by: principal.userId, at: new Date(), reason: why, splitEntityId } } },
      );
      if (!undone) throw appError(ErrorCode.CONFLICT, "This merge was undone already.", { id });
      return undone;
    },
  };
}

/** New types get the same id uniqueness the built-in ones have, so MERGE by id stays safe and fast. */
async function ensureTypeConstraints(driver: Driver, database: string, types: SchemaTypeRef[]) {
  const session = driver.session({ database });
  try {
    for (const t of types.filter((x) => x.kind === "ENTITY")) {
      await session.run(`CREATE CONSTRAINT ${t.name.toLowerCase()}_id IF NOT EXISTS FOR (n:\`${t.name}\`) REQUIRE n.id IS UNIQUE`);
      await session.run(`CREATE INDEX ${t.name.toLowerCase()}_tenant IF NOT EXISTS FOR (n:\`${t.name}\`) ON (n.tenantId)`);
    }
  } finally {
    await session.close();
  }
}

export type IngestService = ReturnType<typeof createIngestService>;
