import { readFile } from "node:fs/promises";
import neo4j, { type Driver } from "neo4j-driver";
import {
  connectMongo,
  createPeerCaller,
  createAuditRecorder,
  createInMemoryPubSub,
  createMongoPubSub,
  createBillingGuard,
  createResourceLedger,
  createResourceSampler,
  createScheduler,
  createUsageRecorder,
  ensureResourceSampleIndexes,
  ensureUsageIndexes,
  type Logger,
  type MongoConnection,
  type PubSub,
  type ServiceDeps,
  type Clock,
  systemClock,
  type SubgraphServer,
  type SubgraphTransport,
  type UsageRecorder,
} from "@intelgraph/kit";
import * as audit from "@intelgraph/subgraph-audit";
import * as billing from "@intelgraph/subgraph-billing";
import * as connectors from "@intelgraph/subgraph-connectors";
import * as governance from "@intelgraph/subgraph-governance";
import {
  createApiTokenVerifier,
  createTenantLimitsReader,
  createTokenAlerts,
  type GovernanceService,
} from "@intelgraph/subgraph-governance";
import * as graph from "@intelgraph/subgraph-graph";
import * as playbooks from "@intelgraph/subgraph-playbooks";
import { protectSchema } from "@intelgraph/policies";
import { createGateway, type Gateway, type GatewayOptions } from "./createGateway.ts";
import type { PlatformConfig } from "./platformConfig.ts";
import {
  askSettings,
  auditAnchorKeysOf,
  billingSettings,
  ingestSettings,
  playbookSettings,
  sessionKeysOf,
  type StoreConfig,
} from "./platformSettings.ts";
import { createRemoteTransport } from "./remoteTransport.ts";
import { defaultSubgraphUrl, SUBGRAPHS, type SubgraphName } from "./subgraphCatalog.ts";

export const SUPERGRAPH_PATH = new URL("../../schema/supergraph.graphql", import.meta.url);

export interface Stores {
  mongo: MongoConnection;
  driver: Driver;
  close(): Promise<void>;
}

export async function connectStores(config: StoreConfig): Promise<Stores> {
  const mongo = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
  const driver = neo4j.driver(config.NEO4J_URI, neo4j.auth.basic(config.NEO4J_USER, config.NEO4J_PASSWORD), {
    disableLosslessIntegers: true,
  });
  try {
    await driver.verifyConnectivity({ database: config.NEO4J_DATABASE });
  } catch (error) {
    await mongo.close();
    await driver.close();
    throw new Error(`Cannot reach Neo4j at ${config.NEO4J_URI}: ${(error as Error).message}`);
  }
  return {
    mongo,
    driver,
    async close() {
      await Promise.allSettled([mongo.close(), driver.close()]);
    },
  };
}

/** Starts one subgraph's server from shared deps. */
export async function createSubgraph(name: SubgraphName, deps: ServiceDeps, stores: Stores, config: StoreConfig): Promise<SubgraphServer> {
  switch (name) {
    case "graph":
      return graph.createServer({
        ...deps,
        driver: stores.driver,
        database: config.NEO4J_DATABASE,
        ingest: ingestSettings(config, stores.mongo.db),
        ask: askSettings(config),
      });
    case "audit":
      return audit.createServer({
        ...deps,
        anchorKeys: auditAnchorKeysOf(config),
        ...(config.AUDIT_ANCHOR_INTERVAL_MS !== undefined ? { anchorIntervalMs: config.AUDIT_ANCHOR_INTERVAL_MS } : {}),
      });
    case "governance":
      return governance.createServer({ ...deps, sessionKeys: sessionKeysOf(config), sessionTtlSeconds: config.SESSION_TTL_SECONDS });
    case "billing":
      return billing.createServer({ ...deps, ...billingSettings(config) });
    case "playbooks":
      return playbooks.createServer({ ...deps, ...playbookSettings(config) });
    case "connectors":
      return connectors.createServer({ ...deps, connectorSecretKey: config.CONNECTOR_SECRET_KEY });
  }
}

/** Split mode: each subgraph at `SUBGRAPH_URL_<NAME>` (default its loopback port), built on first use. */
function remoteTransports(config: StoreConfig) {
  const built = new Map<string, SubgraphTransport>();
  return (subgraph: string): SubgraphTransport | undefined => {
    const entry = SUBGRAPHS.find((s) => s.name === subgraph);
    if (!entry) return undefined;
    let transport = built.get(subgraph);
    if (!transport) {
      const url =
        config[`SUBGRAPH_URL_${entry.name.toUpperCase()}` as `SUBGRAPH_URL_${Uppercase<SubgraphName>}`] ?? defaultSubgraphUrl(entry.port);
      transport = createRemoteTransport(entry.name, url);
      built.set(subgraph, transport);
    }
    return transport;
  };
}

/**
 * Shared subgraph dependencies. `securityLayers: "off"` exists for the gateway
 * throughput benchmark alone (bench/gatewayThroughput.ts): subgraphs without
 * their graphql-shield policies. Nothing else may pass it.
 */
export async function createServiceDeps(
  config: StoreConfig,
  stores: Stores,
  logger: Logger,
  options: {
    securityLayers?: "on" | "off";
    now?: Clock;
    /** How this process reaches the other subgraphs; default: over HTTP at their configured URLs (split mode). */
    transportFor?: (subgraph: string) => SubgraphTransport | undefined;
  } = {},
): Promise<ServiceDeps> {
  let pubsub: PubSub = createInMemoryPubSub();
  if (config.PUBSUB === "mongo") {
    const shared = createMongoPubSub({ db: stores.mongo.db, logger });
    await shared.ensureIndexes();
    pubsub = shared;
  }
  const now = options.now ?? systemClock;
  await ensureUsageIndexes(stores.mongo.db);
  const usage = createUsageRecorder({ db: stores.mongo.db, logger, now });
  await ensureResourceSampleIndexes(stores.mongo.db);
  return {
    principalKey: config.PRINCIPAL_SIGNING_KEY,
    logger,
    pubsub,
    db: stores.mongo.db,
    audit: createAuditRecorder({ db: stores.mongo.db, pubsub, logger, now }),
    usage,
    billing: createBillingGuard({ db: stores.mongo.db, usage, now }),
    scheduler: createScheduler({ db: stores.mongo.db, logger, now }),
    peers: createPeerCaller({ principalKey: config.PRINCIPAL_SIGNING_KEY, transportFor: options.transportFor ?? remoteTransports(config) }),
    resources: createResourceLedger(),
    protect: options.securityLayers === "off" ? (schema) => schema : protectSchema,
    now,
  };
}

export interface AllInOnePlatform {
  url: string;
  gateway: Gateway;
  /** The graph service: its ingest service, store and worker. */
  graph: graph.GraphServer;
  /** Usage metering; `flush()` writes pending counts now. */
  usage: UsageRecorder;
  /** The billing services (rollups, alerts, deliveries, reconciliation) and the quota/budget guard. */
  billing: billing.BillingServices & { guard: ServiceDeps["billing"] };
  /** The playbooks service's run worker (tests stop it before dropping their database). */
  playbooks: Pick<playbooks.PlaybooksServer, "worker">;
  /** The process's scheduler (tests run jobs with `runNow`). */
  scheduler: ServiceDeps["scheduler"];
  /** This platform's CPU ledger (cost reconciliation; the metering bench reads its attribution). */
  resources: ServiceDeps["resources"];
  governance: GovernanceService;
  stores: Stores;
  stop(): Promise<void>;
}

export interface AllInOneOptions {
  config: StoreConfig & { HOST?: string; NODE_ENV?: string };
  logger: Logger;
  /** Gateway port; 0 picks a free one. */
  port: number;
  /** How often open WebSockets re-check their credential (tests shorten it). */
  socketRecheckMs?: number;
  /**
   * Benchmark only: "off" drops graphql-shield in the subgraphs and armor, the
   * token limit and rate limits in the gateway (authentication and tenant
   * scoping stay), to measure what those layers cost. Default "on".
   */
  securityLayers?: "on" | "off";
  /**
   * Benchmark only (bench/meteringCost.ts): "off" gives the gateway no usage
   * recorder, quota check or CPU ledger, to measure what metering costs. Default "on".
   */
  metering?: "on" | "off";
  /** Per-plan request limits for the gateway, replacing each tenant's own (plan or override). */
  rateLimits?: GatewayOptions["rateLimits"];
  /** How long the gateway caches a tenant's limits and token alert rules; default 5 s (tests shorten it). */
  tenantCacheTtlMs?: number;
  /** Built console to serve at `/` (clients/web/dist); see GatewayOptions.consoleDir. */
  consoleDir?: string;
  /**
   * The clock the services and the gateway read, ms since the epoch.
   * @default systemClock
   */
  now?: Clock;
}

/** Gateway and all six subgraphs in one process; subgraphs reached in-process. */
export async function createAllInOne(options: AllInOneOptions): Promise<AllInOnePlatform> {
  const { config, logger, port, socketRecheckMs, securityLayers = "on", now = systemClock } = options;
  const stores = await connectStores(config);
  // Filled once the servers exist: services reach their peers in-process.
  const inProcess = new Map<string, SubgraphTransport>();
  const deps = await createServiceDeps(config, stores, logger, { securityLayers, now, transportFor: (name) => inProcess.get(name) });
  const servers: SubgraphServer[] = [];
  let gateway: Gateway | undefined;
  let usage: UsageRecorder | undefined;
  try {
    for (const { name } of SUBGRAPHS) servers.push(await createSubgraph(name, deps, stores, config));
    for (const server of servers) inProcess.set(server.name, server);
    const tokenAlerts = createTokenAlerts({
      db: stores.mongo.db,
      pubsub: deps.pubsub,
      audit: deps.audit,
      logger,
      now: deps.now,
      rulesTtlMs: options.tenantCacheTtlMs ?? 5000,
    });
    const governanceService = (servers.find((s) => s.name === "governance") as SubgraphServer & { governance: GovernanceService })
      .governance;
    const graphServer = servers.find((s) => s.name === "graph") as graph.GraphServer;
    usage = deps.usage;
    gateway = await createGateway({
      supergraphSdl: await readFile(SUPERGRAPH_PATH, "utf8"),
      transports: new Map<string, SubgraphTransport>(servers.map((s) => [s.name, s])),
      routes: [
        { path: `${graph.UPLOAD_PATH_PREFIX}:token`, handler: graphServer.ingest.uploadHandler },
        { path: `${graph.EXPORT_PATH_PREFIX}:token`, handler: graphServer.downloadHandler },
      ],
      principalKey: config.PRINCIPAL_SIGNING_KEY,
      sessionKeys: sessionKeysOf(config),
      verifyApiToken: createApiTokenVerifier(stores.mongo.db, { alerts: tokenAlerts, now: deps.now }),
      onTokenDenied: (token, ip, requestId) => tokenAlerts.recordDenied(token, ip, requestId),
      logger: logger.child({ service: "gateway" }),
      ...(options.metering === "off" ? {} : { usage, billingGuard: deps.billing, resources: deps.resources }),
      development: config.NODE_ENV === "development",
      securityLayers,
      now: deps.now,
      // Explicit per-plan limits (the throughput bench) replace the tenants' own.
      ...(options.rateLimits
        ? { rateLimits: options.rateLimits }
        : { tenantLimit: createTenantLimitsReader(stores.mongo.db, { ttlMs: options.tenantCacheTtlMs ?? 5000 }) }),
      ...(socketRecheckMs ? { socketRecheckMs } : {}),
      ...(options.consoleDir ? { consoleDir: options.consoleDir } : {}),
      readiness: async () => {
        await stores.mongo.ping();
        await stores.driver.verifyConnectivity({ database: config.NEO4J_DATABASE });
      },
    });
    const url = await gateway.listen(port, config.HOST ?? "127.0.0.1");
    const started = gateway;
    const metering = usage;
    const sampler = createResourceSampler({ db: stores.mongo.db, ledger: deps.resources, logger });
    if (options.metering !== "off") sampler.start();
    deps.scheduler.start();
    return {
      url,
      gateway: started,
      graph: graphServer,
      usage: metering,
      billing: { ...(servers.find((s) => s.name === "billing") as billing.BillingServer).billing, guard: deps.billing },
      playbooks: { worker: (servers.find((s) => s.name === "playbooks") as playbooks.PlaybooksServer).worker },
      scheduler: deps.scheduler,
      resources: deps.resources,
      governance: governanceService,
      stores,
      async stop() {
        await started.stop();
        await deps.scheduler.stop();
        for (const server of servers) await server.stop();
        await sampler.stop();
        // After the servers: their last operations are metered too.
        await metering.close();
        await deps.pubsub.close();
        await stores.close();
      },
    };
  } catch (error) {
    await gateway?.stop().catch(() => undefined);
    await deps.scheduler.stop().catch(() => undefined);
    await usage?.close().catch(() => undefined);
    for (const server of servers) await server.stop().catch(() => undefined);
    await stores.close();
    throw error;
  }
}

/** Split mode: the gateway alone, reaching subgraphs over HTTP/WebSocket. */
export async function createSplitGateway(options: {
  config: PlatformConfig;
  logger: Logger;
  port: number;
  stores: Stores;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const { config, logger, port, stores } = options;
  const urlFor = (name: SubgraphName, port: number) =>
    (config[`SUBGRAPH_URL_${name.toUpperCase()}` as keyof PlatformConfig] as string | undefined) ?? defaultSubgraphUrl(port);
  const transports = new Map<string, SubgraphTransport>(
    SUBGRAPHS.map((s) => [s.name, createRemoteTransport(s.name, urlFor(s.name, s.port))]),
  );
  // Token alerts are raised here, where tokens are checked, and reach governance's subscribers through pub/sub.
  const deps = await createServiceDeps(config, stores, logger);
  const usage = deps.usage;
  const tokenAlerts = createTokenAlerts({ db: stores.mongo.db, pubsub: deps.pubsub, audit: deps.audit, logger, now: deps.now });
  // Uploads stream from here into the shared store; the graph service's workers pick the job up.
  const uploads = graph.createUploadHandler({
    store: graph.createIngestStore(stores.mongo.db),
    key: config.PRINCIPAL_SIGNING_KEY,
    logger,
    maxBytes: config.INGEST_MAX_UPLOAD_BYTES,
  });
  const gateway = await createGateway({
    supergraphSdl: await readFile(SUPERGRAPH_PATH, "utf8"),
    transports,
    routes: [
      { path: `${graph.UPLOAD_PATH_PREFIX}:token`, handler: uploads },
      // Report-export downloads read the shared store; each is audited like any other.
      {
        path: `${graph.EXPORT_PATH_PREFIX}:token`,
        handler: graph.createDownloadHandler({
          db: stores.mongo.db,
          key: config.PRINCIPAL_SIGNING_KEY,
          audit: deps.audit,
          logger,
          now: deps.now,
        }),
      },
    ],
    principalKey: config.PRINCIPAL_SIGNING_KEY,
    sessionKeys: sessionKeysOf(config),
    verifyApiToken: createApiTokenVerifier(stores.mongo.db, { alerts: tokenAlerts, now: deps.now }),
    onTokenDenied: (token, ip, requestId) => tokenAlerts.recordDenied(token, ip, requestId),
    tenantLimit: createTenantLimitsReader(stores.mongo.db),
    logger: logger.child({ service: "gateway" }),
    usage,
    billingGuard: deps.billing,
    resources: deps.resources,
    development: config.NODE_ENV === "development",
    now: deps.now,
    readiness: () => stores.mongo.ping(),
  });
  const url = await gateway.listen(port, config.HOST);
  const sampler = createResourceSampler({ db: stores.mongo.db, ledger: deps.resources, logger });
  sampler.start();
  return {
    url,
    async stop() {
      await gateway.stop();
      await sampler.stop();
      await usage.close();
      await deps.pubsub.close();
    },
  };
}
