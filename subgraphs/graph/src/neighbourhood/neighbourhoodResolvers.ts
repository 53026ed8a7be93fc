import type { RequestContext } from "@intelgraph/kit";
import type { NeighbourhoodService } from "./neighbourhoodService.ts";

export function neighbourhoodResolvers(service: NeighbourhoodService) {
  return {
    Query: {
      neighbourhood: (_: unknown, args: { id: string; hops: number; limit?: number | null }, ctx: RequestContext) =>
        service.neighbourhood(ctx.principal, args),
    },
  };
}
