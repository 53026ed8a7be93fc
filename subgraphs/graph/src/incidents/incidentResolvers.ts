import type { RequestContext } from "@intelgraph/kit";
import type { IncidentService } from "./incidentService.ts";

export function incidentResolvers(service: IncidentService) {
  return {
    Mutation: {
      upsertExternalIncident: (_: unknown, args: { source: string; input: unknown }, ctx: RequestContext) =>
        service.upsertExternal(ctx.principal, args, ctx.auditHints),
    },
  };
}
