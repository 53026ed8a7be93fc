import type { RequestContext } from "@intelgraph/kit";
import type { LegalHold, PurgeRecord } from "./lifecycleRepository.ts";
import type { LifecycleService } from "./lifecycleService.ts";
import type { SubjectExportService } from "./subjectExportService.ts";

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const counts = (byType: Record<string, number>) => Object.entries(byType).map(([type, count]) => ({ type, count }));

const holdView = (h: LegalHold) => ({
  ...h,
  id: h._id,
  createdAt: iso(h.createdAt),
  releasedAt: iso(h.releasedAt),
});

const purgeView = (p: PurgeRecord) => ({ ...p, id: p._id, byType: counts(p.byType), deletedBefore: iso(p.deletedBefore), at: iso(p.at) });

function hint(ctx: RequestContext, targetType: string, ids: string[] = []) {
  ctx.auditHints.targetType = targetType;
  if (ids.length) ctx.auditHints.targetIds = ids.slice(0, 100);
}

const exportView = (e: Awaited<ReturnType<SubjectExportService["list"]>>[number]) => ({
  id: e._id,
  identifier: e.identifier,
  residency: e.residency,
  policyId: e.residency.policyId,
  counts: e.counts,
  files: e.files ?? null,
  requestedBy: e.requestedBy,
  at: iso(e.at),
});

/** Resolvers for legal holds, soft delete, retention, purge and subject export: one service call each, plus the audit hints. */
export function lifecycleResolvers(lifecycle: LifecycleService, subjects: SubjectExportService) {
  return {
    Query: {
      subjectExport: async (_: unknown, args: { id: string }, ctx: RequestContext) => exportView(await subjects.download(ctx, args)),
      subjectExports: async (_: unknown, __: unknown, ctx: RequestContext) => (await subjects.list(ctx.principal)).map(exportView),
      legalHolds: async (_: unknown, args: { includeReleased?: boolean | null }, ctx: RequestContext) =>
        (await lifecycle.holds(ctx.principal, args)).map(holdView),
      deletedEntities: (_: unknown, args: { first?: number | null }, ctx: RequestContext) => lifecycle.deleted(ctx.principal, args),
      graphRetention: async (_: unknown, __: unknown, ctx: RequestContext) => {
        const r = await lifecycle.retention(ctx.principal);
        return r && { ...r, setAt: iso(r.setAt) };
      },
      purgeRecords: async (_: unknown, __: unknown, ctx: RequestContext) => (await lifecycle.purgeRecords(ctx.principal)).map(purgeView),
    },
    Mutation: {
      exportSubjectData: async (_: unknown, { input }: { input: unknown }, ctx: RequestContext) => {
        const created = await subjects.create(ctx.principal, input);
        hint(ctx, "SubjectExport", [created._id]);
        return exportView(created);
      },
      placeLegalHold: async (_: unknown, { input }: { input: unknown }, ctx: RequestContext) => {
        const hold = await lifecycle.placeHold(ctx.principal, input);
        hint(ctx, "LegalHold", [hold._id]);
        return holdView(hold);
      },
      releaseLegalHold: async (_: unknown, { id, reason }: { id: string; reason: string }, ctx: RequestContext) => {
        hint(ctx, "LegalHold", [id]);
        return holdView(await lifecycle.releaseHold(ctx.principal, { id, reason }));
      },
      deleteEntities: async (_: unknown, { input }: { input: { selector?: { ids?: string[] } } }, ctx: RequestContext) => {
        hint(ctx, "Entity", input?.selector?.ids ?? []);
        const result = await lifecycle.softDelete(ctx.principal, input);
        return { deleted: result.deleted, byType: counts(result.byType) };
      },
      restoreEntities: async (_: unknown, { ids }: { ids: string[] }, ctx: RequestContext) => {
        hint(ctx, "Entity", ids);
        const result = await lifecycle.restore(ctx.principal, { ids });
        return { restored: result.restored, byType: counts(result.byType) };
      },
      setGraphRetention: async (_: unknown, { input }: { input: unknown }, ctx: RequestContext) => {
        hint(ctx, "GraphRetention");
        const r = await lifecycle.setRetention(ctx.principal, input);
        return { ...r, setAt: iso(r.setAt) };
      },
      applyGraphRetention: (_: unknown, args: { dryRun: boolean }, ctx: RequestContext) => {
        hint(ctx, "GraphRetention");
        return lifecycle.applyRetention(ctx.principal, args);
      },
      purgeDeletedEntities: async (_: unknown, args: { dryRun: boolean }, ctx: RequestContext) => {
        hint(ctx, "Purge");
        const result = await lifecycle.purge(ctx.principal, args);
        if (result.record) ctx.auditHints.targetIds = [result.record._id];
        return {
          ...result,
          byType: counts(result.byType),
          deletedBefore: iso(result.deletedBefore),
          record: result.record && purgeView(result.record),
        };
      },
    },
  };
}
