/** The suppression API's resolvers: each maps its arguments to one service call and the result to its view. */
import type { RequestContext } from "@intelgraph/kit";
import type { SuppressionRuleDoc } from "./suppressionRules.ts";
import type { SuppressionService } from "./suppressionService.ts";

const ruleView = (doc: SuppressionRuleDoc, held: Map<string, number>) => ({
  id: doc._id,
  name: doc.name,
  enabled: doc.enabled,
  match: doc.match,
  suppressedCount: held.get(doc._id) ?? 0,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt.toISOString(),
  updatedBy: doc.updatedBy,
  updatedAt: doc.updatedAt.toISOString(),
});

export function suppressionResolvers(service: SuppressionService) {
  const withCounts = async (ctx: RequestContext, doc: SuppressionRuleDoc) => ruleView(doc, await service.heldCounts(ctx.principal));
  return {
    Query: {
      suppressionRules: async (_: unknown, __: unknown, ctx: RequestContext) => {
        const [rules, held] = await Promise.all([service.list(ctx.principal), service.heldCounts(ctx.principal)]);
        return rules.map((r) => ruleView(r, held));
      },
      dryRunSuppressionRule: (_: unknown, args: { id?: string | null; input?: unknown; sampleSize?: number | null }, ctx: RequestContext) =>
        service.dryRun(ctx.principal, args),
      suppressedIndicators: (
        _: unknown,
        args: { ruleId?: string | null; limit?: number | null; offset?: number | null },
        ctx: RequestContext,
      ) => service.suppressed(ctx.principal, args),
    },
    Mutation: {
      createSuppressionRule: async (_: unknown, args: { input: unknown }, ctx: RequestContext) =>
        withCounts(ctx, await service.create(ctx.principal, args, ctx.auditHints)),
      updateSuppressionRule: async (_: unknown, args: { id: string; input: unknown }, ctx: RequestContext) =>
        withCounts(ctx, await service.update(ctx.principal, args, ctx.auditHints)),
      deleteSuppressionRule: (_: unknown, args: { id: string }, ctx: RequestContext) => service.remove(ctx.principal, args, ctx.auditHints),
      applySuppressionRules: (_: unknown, __: unknown, ctx: RequestContext) => service.applyAll(ctx.principal, ctx.auditHints),
    },
  };
}
