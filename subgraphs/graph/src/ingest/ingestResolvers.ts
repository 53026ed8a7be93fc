/** The ingest API's resolvers: each maps its arguments to one service call and the result to its view. */
import { JSONResolver } from "graphql-scalars";
import { systemClock, type Clock, type RequestContext } from "@intelgraph/kit";
import type { JobDoc } from "./ingestStore.ts";
import type { IngestService } from "./ingestService.ts";
import { letterView, jobView, mappingView, mergeView } from "./ingestViews.ts";
import { jobProgress } from "./jobProgress.ts";

/**
 * @param now the clock progress rates and upload expiry are read from.
 * @default systemClock
 */
export function ingestResolvers(service: IngestService, { now = systemClock }: { now?: Clock } = {}) {
  const view = (job: JobDoc) => jobView(job, jobProgress(job, now()), service.uploadFor(job));

  return {
    JSON: JSONResolver,
    Query: {
      ingestMappings: async (_: unknown, __: unknown, ctx: RequestContext) => (await service.listMappings(ctx.principal)).map(mappingView),
      ingestMapping: async (_: unknown, args: { id: string }, ctx: RequestContext) => {
        const m = await service.mapping(ctx.principal, args);
        return m ? mappingView(m) : null;
      },
      approvedSchemaTypes: async (_: unknown, __: unknown, ctx: RequestContext) =>
        (await service.approvedSchemaTypes(ctx.principal)).map((t) => ({ ...t, approved: true })),
      ingestJobs: async (_: unknown, args: { first?: number | null; state?: string | null }, ctx: RequestContext) =>
        (await service.listJobs(ctx.principal, args)).map(view),
      ingestJob: async (_: unknown, args: { id: string }, ctx: RequestContext) => {
        const job = await service.job(ctx.principal, args);
        return job ? view(job) : null;
      },
      deadLetters: async (
        _: unknown,
        args: { jobId: string; state?: string | null; first?: number | null; after?: string | null },
        ctx: RequestContext,
      ) => {
        const page = await service.deadLetters(ctx.principal, args);
        return { ...page, nodes: page.nodes.map(letterView) };
      },
      mergeDecisions: async (
        _: unknown,
        args: { entityId?: string | null; jobId?: string | null; first?: number | null },
        ctx: RequestContext,
      ) => (await service.merges(ctx.principal, args)).map(mergeView),
    },
    Mutation: {
      createIngestMapping: async (_: unknown, { input }: { input: unknown }, ctx: RequestContext) =>
        mappingView(await service.createMapping(ctx.principal, input)),
      updateIngestMapping: async (_: unknown, args: { id: string; spec: unknown }, ctx: RequestContext) =>
        mappingView(await service.updateMapping(ctx.principal, args)),
      approveIngestMapping: async (_: unknown, { id, reason }: { id: string; reason: string }, ctx: RequestContext) =>
        mappingView(await service.decideMapping(ctx.principal, { id, approve: true, reason })),
      rejectIngestMapping: async (_: unknown, { id, reason }: { id: string; reason: string }, ctx: RequestContext) =>
        mappingView(await service.decideMapping(ctx.principal, { id, approve: false, reason })),
      createIngestJob: async (_: unknown, { input }: { input: unknown }, ctx: RequestContext) =>
        view(await service.createJob(ctx.principal, input)),
      ingestRecords: async (_: unknown, { input }: { input: unknown }, ctx: RequestContext) =>
        view(await service.ingestRecords(ctx.principal, input)),
      cancelIngestJob: async (_: unknown, args: { id: string }, ctx: RequestContext) => view(await service.cancelJob(ctx.principal, args)),
      retryIngestJob: async (_: unknown, args: { id: string }, ctx: RequestContext) => view(await service.retryJob(ctx.principal, args)),
      editDeadLetter: async (_: unknown, args: { id: string; raw: string }, ctx: RequestContext) =>
        letterView(await service.editDeadLetter(ctx.principal, args)),
      replayDeadLetters: async (_: unknown, args: { jobId: string; ids?: string[] | null }, ctx: RequestContext) => {
        const result = await service.replay(ctx.principal, args);
        return { ...result, deadLetters: result.deadLetters.map(letterView) };
      },
      undoMerge: async (_: unknown, args: { id: string; reason: string }, ctx: RequestContext) =>
        mergeView(await service.undoMerge(ctx.principal, args)),
    },
    Subscription: {
      ingestProgress: {
        subscribe: async (_: unknown, args: { jobId: string }, ctx: RequestContext) => {
          const updates = await service.watchJob(ctx.principal, args);
          return (async function* () {
            for await (const job of updates) yield { ingestProgress: view(job) };
          })();
        },
      },
    },
  };
}
