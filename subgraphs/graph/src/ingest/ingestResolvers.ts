import type { Driver } from "neo4j-driver";
import { JSONResolver } from "graphql-scalars";
import { appError, ErrorCode, requireUser, type PubSub, type RequestContext } from "@intelgraph/kit";
import { decide } from "@intelgraph/policies";
import { neighbourhood } from "../neighbourhood.ts";
import { BUILT_IN_ENTITIES } from "./graphModel.ts";
import { TERMINAL_STATES, type DeadLetterDoc, type JobDoc, type MappingDoc, type MergeDoc } from "./ingestStore.ts";
import type { IngestService } from "./ingestService.ts";
import { progressTopic } from "./worker.ts";

const iso = (d: Date | undefined | null) => (d ? new Date(d).toISOString() : null);

export function jobView(job: JobDoc, service: IngestService) {
  const elapsed = job.startedAt
    ? ((job.finishedAt ? new Date(job.finishedAt) : new Date()).getTime() - new Date(job.startedAt).getTime()) / 1000
    : 0;
  const doneThisAttempt = job.checkpoint.records - (job.resumedFrom ?? 0);
  const rate = elapsed > 0 && doneThisAttempt > 0 ? doneThisAttempt / elapsed : null;
  const finished = job.state === "SUCCEEDED";
  // Bytes read run ahead of records written by the reader's buffer (64 KiB); near the end only "done" is exact.
  const fraction = job.bytesTotal ? Math.min(0.99, job.checkpoint.bytes / job.bytesTotal) : null;
  const eta = finished ? 0 : fraction && fraction > 0 && fraction < 0.99 && elapsed > 0 ? (elapsed * (1 - fraction)) / fraction : null;
  return {
    id: job._id,
    mappingId: job.mappingId,
    mappingName: job.mappingName,
    mappingVersion: job.mappingVersion,
    format: job.format,
    source: job.source,
    state: job.state,
    createdBy: job.createdBy,
    createdAt: iso(job.createdAt),
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    attempts: job.attempts,
    cancelRequested: job.cancelRequested === true,
    totals: job.totals,
    progress: {
      recordsDone: job.checkpoint.records,
      bytesRead: job.checkpoint.bytes,
      bytesTotal: job.bytesTotal ?? null,
      fraction: finished ? 1 : fraction,
      ratePerSecond: rate,
      etaSeconds: eta,
      resumedFrom: job.resumedFrom ?? 0,
    },
    batchLatencyMs: job.batchLatencyMs ?? null,
    sha256: job.sha256 ?? null,
    error: job.error ?? null,
    approvalOverride: job.approvalOverride ?? null,
    upload: service.uploadFor(job),
  };
}

const mappingView = (m: MappingDoc, approved: Set<string>) => ({
  id: m._id,
  name: m.name,
  format: m.format,
  spec: m.spec,
  version: m.version,
  state: m.state,
  newTypes: m.newTypes.map((t) => ({ ...t, approved: approved.has(`${t.kind}:${t.name}`) })),
  createdBy: m.createdBy,
  createdAt: iso(m.createdAt),
  updatedAt: iso(m.updatedAt),
  decision: m.decision ? { ...m.decision, at: iso(m.decision.at) } : null,
});

const letterView = (d: DeadLetterDoc) => ({
  id: d._id,
  jobId: d.jobId,
  recordIndex: d.recordIndex,
  line: d.line ?? null,
  raw: d.raw,
  reason: d.reason,
  code: d.code,
  state: d.state,
  attempts: d.attempts,
  createdAt: iso(d.createdAt),
  updatedAt: iso(d.updatedAt),
});

const mergeView = (m: MergeDoc) => ({
  id: m._id,
  entityId: m.entityId,
  type: m.type,
  key: m.erKey.replaceAll("\u001f", ", "),
  rawKey: m.rawKey,
  rule: m.rule,
  record: m.record,
  mergedIntoRecord: m.mergedInto,
  state: m.state,
  createdAt: iso(m.createdAt),
  undo: m.undo ? { ...m.undo, at: iso(m.undo.at) } : null,
});

const canApprove = (ctx: RequestContext) =>
  decide(ctx.principal, { kind: "permission", permission: "ingest:approve" }, "approvalOverride").allow;

export function ingestResolvers(service: IngestService, deps: { driver: Driver; database: string; pubsub: PubSub }) {
  const user = (ctx: RequestContext) => requireUser(ctx.principal);
  const mappingOut = async (ctx: RequestContext, m: MappingDoc) => mappingView(m, await service.approvedTypes(user(ctx).tenantId));

  return {
    JSON: JSONResolver,
    Query: {
      neighbourhood: async (_: unknown, args: { id: string; hops: number; limit?: number | null }, ctx: RequestContext) => {
        const caller = user(ctx);
        const custom = [...(await service.approvedTypes(caller.tenantId))].filter((t) => t.startsWith("ENTITY:")).map((t) => t.slice(7));
        return neighbourhood(deps.driver, deps.database, caller.tenantId, args, [...Object.keys(BUILT_IN_ENTITIES), ...custom]);
      },
      ingestMappings: async (_: unknown, __: unknown, ctx: RequestContext) => {
        const approved = await service.approvedTypes(user(ctx).tenantId);
        return (await service.listMappings(user(ctx))).map((m) => mappingView(m, approved));
      },
      ingestMapping: async (_: unknown, { id }: { id: string }, ctx: RequestContext) => {
        const m = await service.mapping(user(ctx), id);
        return m ? mappingOut(ctx, m) : null;
      },
      approvedSchemaTypes: async (_: unknown, __: unknown, ctx: RequestContext) =>
        [...(await service.approvedTypes(user(ctx).tenantId))].map((t) => {
          const [kind, ...name] = t.split(":");
          return { kind, name: name.join(":"), approved: true };
        }),
      ingestJobs: async (_: unknown, args: { first?: number | null; state?: string | null }, ctx: RequestContext) =>
        (await service.listJobs(user(ctx), args)).map((j) => jobView(j, service)),
      ingestJob: async (_: unknown, { id }: { id: string }, ctx: RequestContext) => {
        const job = await service.job(user(ctx), id);
        return job ? jobView(job, service) : null;
      },
      deadLetters: async (
        _: unknown,
        args: { jobId: string; state?: string | null; first?: number | null; after?: string | null },
        ctx: RequestContext,
      ) => {
        const page = await service.deadLetters(user(ctx), args);
        return { ...page, nodes: page.nodes.map(letterView) };
      },
      mergeDecisions: async (
        _: unknown,
        args: { entityId?: string | null; jobId?: string | null; first?: number | null },
        ctx: RequestContext,
      ) => (await service.merges(user(ctx), args)).map(mergeView),
    },
    Mutation: {
      createIngestMapping: async (_: unknown, { input }: { input: unknown }, ctx: RequestContext) =>
        mappingOut(ctx, await service.createMapping(user(ctx), input)),
      updateIngestMapping: async (_: unknown, { id, spec }: { id: string; spec: unknown }, ctx: RequestContext) =>
        mappingOut(ctx, await service.updateMapping(user(ctx), id, spec)),
      approveIngestMapping: async (_: unknown, { id, reason }: { id: string; reason: string }, ctx: RequestContext) =>
        mappingOut(ctx, await service.decideMapping(user(ctx), id, true, reason)),
      rejectIngestMapping: async (_: unknown, { id, reason }: { id: string; reason: string }, ctx: RequestContext) =>
        mappingOut(ctx, await service.decideMapping(user(ctx), id, false, reason)),
      createIngestJob: async (_: unknown, { input }: { input: unknown }, ctx: RequestContext) =>
        jobView(await service.createJob(user(ctx), input, canApprove(ctx)), service),
      ingestRecords: async (_: unknown, { input }: { input: unknown }, ctx: RequestContext) =>
        jobView(await service.ingestRecords(user(ctx), input, canApprove(ctx)), service),
      cancelIngestJob: async (_: unknown, { id }: { id: string }, ctx: RequestContext) =>
        jobView(await service.cancelJob(user(ctx), id), service),
      retryIngestJob: async (_: unknown, { id }: { id: string }, ctx: RequestContext) =>
        jobView(await service.retryJob(user(ctx), id), service),
      editDeadLetter: async (_: unknown, { id, raw }: { id: string; raw: string }, ctx: RequestContext) =>
        letterView(await service.editDeadLetter(user(ctx), id, raw)),
      replayDeadLetters: async (_: unknown, { jobId, ids }: { jobId: string; ids?: string[] | null }, ctx: RequestContext) => {
        const result = await service.replay(user(ctx), jobId, ids);
        return { ...result, deadLetters: result.deadLetters.map(letterView) };
      },
      undoMerge: async (_: unknown, { id, reason }: { id: string; reason: string }, ctx: RequestContext) =>
        mergeView(await service.undoMerge(user(ctx), id, reason)),
    },
    Subscription: {
      ingestProgress: {
        // Checked before the stream starts, so a refusal reaches the client as an error, not a dead stream.
        subscribe: async (_: unknown, { jobId }: { jobId: string }, ctx: RequestContext) => {
          const caller = user(ctx);
          // Subscribe before reading, so no update falls between the read and the stream.
          const updates = deps.pubsub.subscribe<JobDoc>(progressTopic(jobId));
          const job = await service.job(caller, jobId);
          if (!job) {
            await updates.return?.();
            throw appError(ErrorCode.NOT_FOUND, `No ingest job with id ${jobId} in your tenant.`, { id: jobId });
          }
          return (async function* () {
            try {
              yield { ingestProgress: jobView(job, service) };
              if (TERMINAL_STATES.includes(job.state)) return;
              for await (const update of updates) {
                if (update.tenantId !== caller.tenantId) continue;
                yield { ingestProgress: jobView(update, service) };
                if (TERMINAL_STATES.includes(update.state)) return;
              }
            } finally {
              await updates.return?.();
            }
          })();
        },
      },
    },
  };
}
