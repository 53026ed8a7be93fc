import type { AuditEvent, RequestContext } from "@intelgraph/kit";
import type { AuditService } from "./auditService.ts";

export interface AuditContext extends RequestContext {
  auditLog: AuditService;
}

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
});

export const resolvers = {
  Query: {
    auditEvents: async (_: unknown, args: { filter?: unknown; first?: number; after?: string }, ctx: AuditContext) => {
      const page = await ctx.auditLog.list(ctx.principal, args);
      return { nodes: page.nodes.map(eventView), pageInfo: page.pageInfo };
    },
  },
  Subscription: {
    auditEventRecorded: {
      subscribe: (_: unknown, __: unknown, ctx: AuditContext) => ctx.auditLog.subscribe(ctx.principal),
      resolve: (event: AuditEvent) => eventView(event),
    },
  },
};
