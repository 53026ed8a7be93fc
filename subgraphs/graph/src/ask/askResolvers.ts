import type { RequestContext } from "@intelgraph/kit";
import type { AskService } from "./askService.ts";
import type { TenantAskSettings } from "./tenantAskSettings.ts";

const settingsView = (s: { confidenceThreshold: number; updatedBy: string | null; updatedAt: Date | null }) => ({
  ...s,
  updatedAt: s.updatedAt ? s.updatedAt.toISOString() : null,
});

export function askResolvers(service: AskService, settings: TenantAskSettings) {
  return {
    Query: {
      askGraph: (_: unknown, args: unknown, ctx: RequestContext) => service.ask(ctx.principal, args, ctx.requestId),
      tenantAskSettings: async (_: unknown, __: unknown, ctx: RequestContext) => settingsView(await settings.get(ctx.principal)),
    },
    Mutation: {
      setTenantAskSettings: async (_: unknown, { input }: { input: unknown }, ctx: RequestContext) => {
        ctx.auditHints.targetType = "TenantAskSettings";
        return settingsView(await settings.set(ctx.principal, input));
      },
    },
  };
}
