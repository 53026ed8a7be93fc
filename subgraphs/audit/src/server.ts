import { buildSubgraphSchema } from "@apollo/subgraph";
import { print } from "graphql";
import { auditMutations, createSubgraphServer, type ServiceDeps, type SubgraphServer } from "@intelgraph/kit";
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
  const schema = auditMutations(buildSubgraphSchema({ typeDefs, resolvers: resolvers as never }), deps.audit, name);
  return createSubgraphServer<AuditContext>({
    name,
    schema,
    principalKey: deps.principalKey,
    logger: deps.logger.child({ service: name }),
    readiness: async () => void (await deps.db.command({ ping: 1 })),
    extendContext: (base) => ({ ...base, auditLog }),
  });
}
