import { print } from "graphql";
import { createServiceSubgraph, type ServiceDeps, type SubgraphServer } from "@intelgraph/kit";
import { createBillingService } from "./billingService.ts";
import { resolvers, type BillingContext } from "./resolvers.ts";
import { typeDefs } from "./typeDefs.ts";

export const name = "billing";

export async function sdl(): Promise<string> {
  return print(typeDefs);
}

export async function createServer(deps: ServiceDeps): Promise<SubgraphServer> {
  const billing = createBillingService({ db: deps.db, now: deps.now });
  await billing.ensureIndexes();
  return createServiceSubgraph<BillingContext>({
    name,
    typeDefs,
    resolvers,
    deps,
    extendContext: (base) => ({ ...base, billing }),
  });
}
