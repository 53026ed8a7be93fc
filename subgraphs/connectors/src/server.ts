import { buildSubgraphSchema } from "@apollo/subgraph";
import { print } from "graphql";
import {
  auditMutations,
  createMetrics,
  createSecretBox,
  createSubgraphServer,
  type ServiceDeps,
  type SubgraphServer,
} from "@intelgraph/kit";
import { createConnectorRuntime } from "./connectorRuntime.ts";
import { createConnectorService } from "./connectorService.ts";
import { createDeliveryStore } from "./delivery/deliveryStore.ts";
import { createOutboundService, type OutboundService } from "./delivery/outboundService.ts";
import { createSweepQueue } from "./delivery/sweepQueue.ts";
import { createInboundService, type InboundService } from "./inboundService.ts";
import type { Sleep } from "./rateLimiter.ts";
import { resolvers, type ConnectorsContext } from "./resolvers.ts";
import { typeDefs } from "./typeDefs.ts";

export const name = "connectors";

export interface ConnectorsDeps extends ServiceDeps {
  /** Key (≥32 chars) that encrypts connector secrets at rest. */
  connectorSecretKey: string;
  /** How the client waits (rate limit, Retry-After, backoff); tests and the bench may pass their own. */
  sleep?: Sleep;
  /** Per-request timeout to the external system; default 10 s. */
  requestTimeoutMs?: number;
}

export type ConnectorsServer = SubgraphServer & { outbound: OutboundService; inbound: InboundService };

export async function sdl(): Promise<string> {
  return print(typeDefs);
}

/** The connector services without a server (the delivery bench builds them on its own stores). */
export function createConnectorServices(
  deps: Pick<ConnectorsDeps, "db" | "now" | "peers" | "pubsub" | "audit" | "logger" | "connectorSecretKey" | "sleep" | "requestTimeoutMs">,
) {
  const { db, now, logger } = deps;
  const connectors = createConnectorService({ db, secretBox: createSecretBox(deps.connectorSecretKey), now });
  const store = createDeliveryStore(db);
  const runtime = createConnectorRuntime({
    now,
    secretOf: (c) => connectors.secretOf(c),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.requestTimeoutMs ? { timeoutMs: deps.requestTimeoutMs } : {}),
  });
  const common = { connectors, runtime, peers: deps.peers, sweep: createSweepQueue(db), logger, now };
  const outbound = createOutboundService({ ...common, store, pubsub: deps.pubsub, audit: deps.audit });
  const inbound = createInboundService(common);
  return {
    connectors,
    store,
    runtime,
    outbound,
    inbound,
    ensureIndexes: () => Promise.all([connectors.ensureIndexes(), store.ensureIndexes()]).then(() => undefined),
  };
}

export async function createServer(deps: ConnectorsDeps): Promise<ConnectorsServer> {
  const { db } = deps;
  const logger = deps.logger.child({ service: name });
  const services = createConnectorServices({ ...deps, logger });
  await services.ensureIndexes();
  const { connectors, outbound, inbound, runtime } = services;

  // Each slot runs once across processes (kit's scheduler); each replay is claimed by a fixed _id as well.
  deps.scheduler.add({
    name: "connectors.replay",
    cron: "*/30 * * * * *",
    missed: "skip",
    run: async () => void (await outbound.replayDue()),
  });
  deps.scheduler.add({ name: "connectors.sync", cron: "0 * * * * *", missed: "skip", run: async () => void (await inbound.syncDue()) });

  // Like createServiceSubgraph, with the connector series on the service's registry.
  const metrics = createMetrics(name);
  runtime.metrics.register(metrics);
  const schema = buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
  const server = await createSubgraphServer<ConnectorsContext>({
    name,
    schema: auditMutations(deps.protect(schema), deps.audit, name),
    principalKey: deps.principalKey,
    logger,
    metrics,
    readiness: async () => void (await db.command({ ping: 1 })),
    extendContext: (base) => ({ ...base, connectors, outbound, inbound, runtime }),
  });
  return Object.assign(server, { outbound, inbound });
}
