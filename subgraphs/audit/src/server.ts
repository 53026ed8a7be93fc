import { print } from "graphql";
import { createServiceSubgraph, type ServiceDeps, type SubgraphServer } from "@intelgraph/kit";
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
  const auditLog = createAuditService({ db: deps.db, pubsub: deps.pubsub, audit: deps.audit, now: deps.now });
  await auditLog.ensureIndexes();
  const chain = createChainService({ db: deps.db, logger: deps.logger, anchorKeys: deps.anchorKeys, now: deps.now });
  await chain.ensureIndexes();
  const server = await createServiceSubgraph<AuditContext>({
    name,
    typeDefs,
    resolvers,
    deps,
    extendContext: (base) => ({ ...base, auditLog, chain }),
  });
  const { anchorIntervalMs: intervalMs = 60_000 } = deps;
  let anchoring = false;
  const timer =
    intervalMs > 0
      ? setInterval(() => {
          if (anchoring) return;
          anchoring = true;
          chain
            .anchorAll()
            .catch((error) => deps.logger.warn({ err: error }, "anchoring the audit chains failed"))
            .finally(() => (anchoring = false));
        }, intervalMs)
      : null;
  timer?.unref();
  return {
    ...server,
    chain,
    async stop() {
      if (timer) clearInterval(timer);
      await server.stop();
    },
  };
}
