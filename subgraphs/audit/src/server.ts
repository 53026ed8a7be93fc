import { print } from "graphql";
import { createServiceSubgraph, type ServiceDeps, type SubgraphServer } from "@intelgraph/kit";
import { createAuditService } from "./auditService.ts";
import { resolvers, type AuditContext } from "./resolvers.ts";
import { typeDefs } from "./typeDefs.ts";

export const name = "audit";

export async function sdl(): Promise<string> {
  return print(typeDefs);
}

export async function createServer(deps: ServiceDeps): Promise<SubgraphServer> {
  const auditLog = createAuditService({ db: deps.db, pubsub: deps.pubsub });
  await auditLog.ensureIndexes();
  return createServiceSubgraph<AuditContext>({
    name,
    typeDefs,
    resolvers,
    deps,
    extendContext: (base) => ({ ...base, auditLog }),
  });
}
