import { print } from "graphql";
import { createJobSlots, createServiceSubgraph, type ServiceDeps, type SessionKeyring, type SubgraphServer } from "@intelgraph/kit";
import { createApiTokenService } from "./apiTokenService.ts";
import { createGovernanceService, type GovernanceService } from "./governanceService.ts";
import { effectiveLimits } from "./limits.ts";
import { resolvers, type GovernanceContext } from "./resolvers.ts";
import { createTokenAlerts } from "./tokenAlerts.ts";
import { createUserImport } from "./userImport.ts";
import { typeDefs } from "./typeDefs.ts";

export const name = "governance";

export interface GovernanceDeps extends ServiceDeps {
  /** Session signing keys; the gateway verifies with the same keyring. */
  sessionKeys: SessionKeyring;
  /**
   * Session lifetime in seconds.
   * @default 3600 (set in createGovernanceService)
   */
  sessionTtlSeconds?: number;
}

/** The subgraph's SDL, for composition (needs no store). */
export async function sdl(): Promise<string> {
  return print(typeDefs);
}

export async function createServer(deps: GovernanceDeps): Promise<SubgraphServer & { governance: GovernanceService }> {
  const { db, now } = deps;
  const governance = createGovernanceService({ db, sessionKeys: deps.sessionKeys, sessionTtlSeconds: deps.sessionTtlSeconds, now });
  await governance.ensureIndexes();
  const apiTokens = createApiTokenService({ db, now });
  await apiTokens.ensureIndexes();
  const tokenAlerts = createTokenAlerts({ db, pubsub: deps.pubsub, audit: deps.audit, logger: deps.logger, now });
  await tokenAlerts.ensureIndexes();
  const importUsers = createUserImport({
    users: governance.users,
    now,
    jobSlots: createJobSlots(db, { now: deps.now }),
    concurrentJobsOf: async (tenantId) => {
      const tenant = await governance.tenantRecord(tenantId);
      return effectiveLimits(tenant ?? { plan: "FREE" }).concurrentJobs;
    },
    revokeSessions: (userId) => governance.refreshTokens.revokeUser(userId),
  });
  const server = await createServiceSubgraph<GovernanceContext>({
    name,
    typeDefs,
    resolvers,
    deps,
    extendContext: (base) => ({ ...base, governance, apiTokens, tokenAlerts, importUsers }),
  });
  return Object.assign(server, { governance });
}
