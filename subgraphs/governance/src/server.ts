import { print } from "graphql";
import { createServiceSubgraph, type ServiceDeps, type SessionKeyring, type SubgraphServer } from "@intelgraph/kit";
import { createApiTokenService } from "./apiTokenService.ts";
import { createGovernanceService, type GovernanceService } from "./governanceService.ts";
import { resolvers, type GovernanceContext } from "./resolvers.ts";
import { typeDefs } from "./typeDefs.ts";

export const name = "governance";

export interface GovernanceDeps extends ServiceDeps {
  /** Session signing keys; the gateway verifies with the same keyring. */
  sessionKeys: SessionKeyring;
  sessionTtlSeconds?: number;
}

/** The subgraph's SDL, for composition (needs no store). */
export async function sdl(): Promise<string> {
  return print(typeDefs);
}

export async function createServer(deps: GovernanceDeps): Promise<SubgraphServer & { governance: GovernanceService }> {
  const governance = createGovernanceService({ db: deps.db, sessionKeys: deps.sessionKeys, sessionTtlSeconds: deps.sessionTtlSeconds });
  await governance.ensureIndexes();
  const apiTokens = createApiTokenService({ db: deps.db });
  await apiTokens.ensureIndexes();
  const server = await createServiceSubgraph<GovernanceContext>({
    name,
    typeDefs,
    resolvers,
    deps,
    extendContext: (base) => ({ ...base, governance, apiTokens }),
  });
  return Object.assign(server, { governance });
}
