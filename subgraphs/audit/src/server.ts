import { print } from "graphql";
import { createServiceSubgraph, type ServiceDeps, type SubgraphServer } from "@intelgraph/kit";
import { startAnchorTimer } from "./anchorTimer.ts";
import { createAuditService } from "./auditService.ts";
import { createChainService, type ChainService } from "./chainService.ts";
import { resolvers, type AuditContext } from "./resolvers.ts";
import { typeDefs } from "./typeDefs.ts";

export const name = "audit";

export interface AuditDeps extends ServiceDeps {
  /** Signs chain anchors (first) and verifies them (all: retired keys stay for old anchors). */
  anchorKeys: string[];
  /**
   * How often the heads of grown chains are anchored; 0 turns the timer off.
   * @default 60_000
   */
  anchorIntervalMs?: number;
}

export async function sdl(): Promise<string> {
  return print(typeDefs);
}

export async function createServer(deps: AuditDeps): Promise<SubgraphServer & { chain: ChainService }> {
  const { db, logger, now, anchorKeys, anchorIntervalMs = 60_000 } = deps;
  const auditLog = createAuditService({ db, pubsub: deps.pubsub, audit: deps.audit, now });
  await auditLog.ensureIndexes();
  const chain = createChainService({ db, logger, anchorKeys, now });
  await chain.ensureIndexes();
  const server = await createServiceSubgraph<AuditContext>({
    name,
    typeDefs,
    resolvers,
    deps,
    extendContext: (base) => ({ ...base, auditLog, chain }),
  });
  const stopAnchoring = startAnchorTimer(chain, anchorIntervalMs, logger);
  return {
    ...server,
    chain,
    async stop() {
      await stopAnchoring();
      await server.stop();
    },
  };
}
