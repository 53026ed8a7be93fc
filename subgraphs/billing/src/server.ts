import { print } from "graphql";
import { createServiceSubgraph, type RequestContext, type ServiceDeps, type SubgraphServer } from "@intelgraph/kit";
import { createBillingService, type BillingService } from "./billingService.ts";
import { typeDefs } from "./typeDefs.ts";

export const name = "billing";

interface BillingContext extends RequestContext {
  billing: BillingService;
}

const resolvers = {
  Query: {
    usage: (_: unknown, args: { from?: string; to?: string }, ctx: BillingContext) => ctx.billing.usage(ctx.principal, args),
  },
};

export async function sdl(): Promise<string> {
  return print(typeDefs);
}

export async function createServer(deps: ServiceDeps): Promise<SubgraphServer> {
  const billing = createBillingService({ db: deps.db });
  await billing.ensureIndexes();
  return createServiceSubgraph<BillingContext>({
    name,
    typeDefs,
    resolvers,
    deps,
    extendContext: (base) => ({ ...base, billing }),
  });
}
