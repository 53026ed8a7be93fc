import { printSubgraphSchema } from "@apollo/subgraph";
import type { Driver } from "neo4j-driver";
import {
  auditMutations,
  createSubgraphServer,
  isSignedIn,
  type RequestContext,
  type ServiceDeps,
  type SubgraphServer,
} from "@intelgraph/kit";
import { buildGraphSchema, ensureGraphConstraints, type GraphJwt } from "./graphSchema.ts";
import { guardGraphOperations } from "./guardGraphOperations.ts";
import { createLifecycle, type Lifecycle } from "./lifecycle.ts";
import { lifecycleResolvers } from "./lifecycleResolvers.ts";
import { createSubjectExports } from "./subjectExport.ts";
import { BUILT_IN_ENTITIES } from "./ingest/graphModel.ts";
import { ingestResolvers } from "./ingest/ingestResolvers.ts";
import { createIngestService, type IngestService } from "./ingest/ingestService.ts";
import { createIngestStore, type IngestStore } from "./ingest/ingestStore.ts";
import { createUploadHandler } from "./ingest/uploads.ts";
import { createIngestWorker, type IngestWorker, type IngestWorkerOptions } from "./ingest/worker.ts";

export const name = "graph";

export interface IngestSettings extends Pick<
  IngestWorkerOptions,
  "leaseMs" | "pollMs" | "maxJobs" | "batchSize" | "maxInFlight" | "concurrentJobsFor"
> {
  /** Run an ingest worker in this process; default true (split deployments may run workers apart). */
  worker?: boolean;
  /** Largest upload accepted, bytes; default 2 GiB. */
  maxUploadBytes?: number;
}

export interface GraphDeps extends ServiceDeps {
  driver: Driver;
  /** Neo4j database name; default `neo4j`. */
  database?: string;
  ingest?: IngestSettings;
}

interface GraphContext extends RequestContext {
  jwt?: GraphJwt;
  sessionConfig: { database: string };
}

export interface GraphServer extends SubgraphServer {
  lifecycle: Lifecycle;
  ingest: {
    service: IngestService;
    store: IngestStore;
    worker: IngestWorker | null;
    /** Serves `PUT /uploads/<token>`; the gateway mounts it. */
    uploadHandler: ReturnType<typeof createUploadHandler>;
  };
}

export async function sdl(): Promise<string> {
  return printSubgraphSchema(await buildGraphSchema());
}

/** The ingest worker alone, for a process that only runs ingest jobs (`--service ingest-worker`). */
export async function createIngestWorkerProcess(deps: GraphDeps): Promise<IngestWorker> {
  const store = createIngestStore(deps.db);
  await store.ensureIndexes();
  return createIngestWorker({
    store,
    driver: deps.driver,
    database: deps.database ?? "neo4j",
    pubsub: deps.pubsub,
    audit: deps.audit,
    logger: deps.logger.child({ service: "ingest-worker" }),
    ...deps.ingest,
  });
}

export async function createServer(deps: GraphDeps): Promise<GraphServer> {
  const database = deps.database ?? "neo4j";
  await ensureGraphConstraints(deps.driver, database);
  const store = createIngestStore(deps.db);
  await store.ensureIndexes();
  const logger = deps.logger.child({ service: name });
  const worker = deps.ingest?.worker === false ? null : await createIngestWorkerProcess(deps);
  const service = createIngestService({
    store,
    driver: deps.driver,
    database,
    logger,
    uploadKey: deps.principalKey,
    pubsub: deps.pubsub,
    ...(worker ? { kick: () => worker.kick() } : {}),
  });
  const lifecycle = createLifecycle({
    db: deps.db,
    driver: deps.driver,
    database,
    logger,
    labelsFor: async (tenantId) => [
      ...Object.keys(BUILT_IN_ENTITIES),
      ...[...(await service.approvedTypes(tenantId))].filter((t) => t.startsWith("ENTITY:")).map((t) => t.slice(7)),
    ],
  });
  await lifecycle.ensureIndexes();
  const subjects = createSubjectExports({
    db: deps.db,
    driver: deps.driver,
    database,
    audit: deps.audit,
    store,
    labelsFor: lifecycle.labelsFor,
  });
  await subjects.ensureIndexes();
  const ingest = ingestResolvers(service, { driver: deps.driver, database, pubsub: deps.pubsub });
  const life = lifecycleResolvers(lifecycle, subjects);
  const resolvers = { ...ingest, Query: { ...ingest.Query, ...life.Query }, Mutation: { ...ingest.Mutation, ...life.Mutation } };
  const schema = auditMutations(
    deps.protect(guardGraphOperations(await buildGraphSchema(deps.driver, resolvers), { holdNames: lifecycle.holdNames })),
    deps.audit,
    name,
  );
  const server = await createSubgraphServer<GraphContext>({
    name,
    schema,
    principalKey: deps.principalKey,
    logger,
    readiness: () => deps.driver.verifyConnectivity({ database }).then(() => undefined),
    extendContext: (base) => {
      const { principal } = base;
      const jwt = isSignedIn(principal) ? { tenantId: principal.tenantId, roles: principal.roles, sub: principal.userId } : undefined;
      return { ...base, ...(jwt ? { jwt } : {}), sessionConfig: { database } };
    },
  });
  worker?.start();
  const uploadHandler = createUploadHandler({
    store,
    key: deps.principalKey,
    logger,
    ...(deps.ingest?.maxUploadBytes ? { maxBytes: deps.ingest.maxUploadBytes } : {}),
    ...(worker ? { onQueued: () => worker.kick() } : {}),
  });
  return {
    ...server,
    ingest: { service, store, worker, uploadHandler },
    lifecycle,
    async stop() {
      await worker?.stop();
      await server.stop();
    },
  };
}
