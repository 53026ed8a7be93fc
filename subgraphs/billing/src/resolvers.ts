import type { RequestContext } from "@intelgraph/kit";
import type { BillingService } from "./billingService.ts";

export interface BillingContext extends RequestContext {
  billing: BillingService;
}

export const resolvers = {
  Query: {
    usage: (_: unknown, args: { from?: string; to?: string }, ctx: BillingContext) => ctx.billing.usage(ctx.principal, args),
  },
};
