import type { AuditAnchor, AuditEvent, RequestContext } from "@intelgraph/kit";
import type { AuditService, SavedQuery } from "./auditService.ts";
import { AUDIT_MIN_RETENTION_DAYS, AUDIT_RETENTION_POLICY_ID, type RetentionSetting } from "./auditRetention.ts";
import type { AuditTrim } from "./auditTrim.ts";
import type { ChainService } from "./chainService.ts";

export interface AuditContext extends RequestContext {
  auditLog: AuditService;
  chain: ChainService;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export const eventView = (e: AuditEvent) => ({
  id: e._id,
  tenantId: e.tenantId,
  actor: e.actor,
  action: e.action,
  service: e.service,
  targetType: e.targetType,
  targetIds: e.targetIds,
  outcome: e.outcome === "success" ? "SUCCESS" : "FAILURE",
  errorCode: e.errorCode,
  requestId: e.requestId,
  arguments: JSON.stringify(e.arguments ?? {}),
  at: new Date(e.at).toISOString(),
  seq: e.seq ?? null,
  hash: e.hash ?? null,
});

const savedView = (q: SavedQuery) => ({
  id: q._id,
  name: q.name,
  description: q.description,
  filter: q.filter,
  createdBy: q.createdBy,
  createdAt: iso(q.createdAt),
  updatedAt: iso(q.updatedAt),
  deletedAt: iso(q.deletedAt),
  deletedBy: q.deletedBy,
});

const anchorView = (a: AuditAnchor) => ({ id: a._id, seq: a.seq, hash: a.hash, at: iso(a.at), keyId: a.keyId, reason: a.reason });

const trimView = (t: AuditTrim) => ({ ...t, id: t._id, cutoff: iso(t.cutoff), at: iso(t.at) });

/** The retention setting with the policy it is held to. */
const retentionView = (setting: RetentionSetting) => ({
  ...setting,
  minimumDays: AUDIT_MIN_RETENTION_DAYS,
  policyId: AUDIT_RETENTION_POLICY_ID,
  setAt: iso(setting.setAt),
});

export const resolvers = {
  Query: {
    auditEvents: async (
      _: unknown,
      args: { filter?: unknown; savedQueryId?: string; first?: number; after?: string },
      ctx: AuditContext,
    ) => {
      const page = await ctx.auditLog.list(ctx.principal, args, ctx.requestId);
      return { nodes: page.nodes.map(eventView), pageInfo: page.pageInfo };
    },
    auditSavedQueries: async (_: unknown, args: { includeDeleted?: boolean | null }, ctx: AuditContext) =>
      (await ctx.auditLog.savedQueries(ctx.principal, args)).map(savedView),
    verifyAuditChain: (_: unknown, args: { fromSeq?: number | null; toSeq?: number | null }, ctx: AuditContext) =>
      ctx.chain.verifyFor(ctx.principal, args),
    auditAnchors: async (_: unknown, args: { first?: number | null }, ctx: AuditContext) =>
      (await ctx.chain.anchors(ctx.principal, args)).map(anchorView),
    auditRetention: async (_: unknown, __: unknown, ctx: AuditContext) => {
      const setting = await ctx.chain.retentionOf(ctx.principal);
      return setting && retentionView(setting);
    },
    auditTrims: async (_: unknown, __: unknown, ctx: AuditContext) => (await ctx.chain.trimsOf(ctx.principal)).map(trimView),
  },
  Mutation: {
    saveAuditQuery: async (_: unknown, args: { input: unknown }, ctx: AuditContext) =>
      savedView(await ctx.auditLog.saveQuery(ctx.principal, args, ctx.auditHints)),
    deleteAuditSavedQuery: async (_: unknown, args: { id: string }, ctx: AuditContext) =>
      savedView(await ctx.auditLog.deleteQuery(ctx.principal, args, ctx.auditHints)),
    restoreAuditSavedQuery: async (_: unknown, args: { id: string }, ctx: AuditContext) =>
      savedView(await ctx.auditLog.restoreQuery(ctx.principal, args, ctx.auditHints)),
    exportAuditEvents: async (_: unknown, args: { input: unknown }, ctx: AuditContext) => {
      const exported = await ctx.auditLog.exportEvents(ctx.principal, args, ctx.auditHints);
      return { ...exported, id: exported._id, policyId: exported.residency.policyId, at: iso(exported.at) };
    },
    anchorAuditChain: async (_: unknown, __: unknown, ctx: AuditContext) => {
      const anchor = await ctx.chain.anchorFor(ctx.principal);
      return anchor && anchorView(anchor);
    },
    setAuditRetention: async (_: unknown, args: { input: unknown }, ctx: AuditContext) =>
      retentionView(await ctx.chain.setRetention(ctx.principal, args)),
    trimAuditLog: async (_: unknown, args: { dryRun: boolean }, ctx: AuditContext) => {
      const result = await ctx.chain.trim(ctx.principal, args);
      return { ...result, cutoff: iso(result.cutoff), trim: result.trim && trimView(result.trim) };
    },
  },
  Subscription: {
    auditEventRecorded: {
      subscribe: (_: unknown, __: unknown, ctx: AuditContext) => ctx.auditLog.subscribe(ctx.principal),
      resolve: (event: AuditEvent) => eventView(event),
    },
  },
};
