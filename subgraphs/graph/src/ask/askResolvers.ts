import type { RequestContext } from "@intelgraph/kit";
import type { AskService } from "./askService.ts";

export function askResolvers(service: AskService) {
  return {
    Query: {
      askGraph: (_: unknown, args: unknown, ctx: RequestContext) => service.ask(ctx.principal, args, ctx.requestId),
    },
  };
}
