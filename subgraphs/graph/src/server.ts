/**
 * The graph subgraph's composition root: the @neo4j/graphql model over Neo4j
 * plus one folder per feature, each with its typeDefs, resolvers and services
 * side by side — ingest/, lifecycle/ (holds, soft delete, retention, purge,
 * subject export), neighbourhood/, ask/, reports/ and exports/. See README.md for the layout.
 */
import { createIntelModules } from "./intel/intelModule.ts";
import { sampleGraphStorage } from "./storageSampler.ts";
import { printSubgraphSchema } from "@apollo/subgraph";
import type { Driver } from "neo4j-driver";
import {
  auditMutations,
  createSubgraphServer,
  clearanceOf,
  isSignedIn,
  markingsUpTo,
  type RequestContext,
  type ServiceDeps,
  type SubgraphServer,
} from "@intelgraph/kit";
import { askResolvers } from "./ask/askResolvers.ts";
import { createAskService, type AskServiceOptions } from "./ask/askService.ts";
import { createGraphVocabulary } from "./ask/graphVocabulary.ts";
import { createTenantAskSettings } from "./ask/tenantAskSettings.ts";
import { createTenantVocabularies } from "./ask/tenantVocabulary.ts";
import { buildGraphSchema, ensureGraphConstraints, type GraphJwt } from "./graphSchema.ts";
import { guardGraphOperations } from "./guardGraphOperations.ts";
import { ingestResolvers } from "./ingest/ingestResolvers.ts";
import { createIngestService, type IngestService } from "./ingest/ingestService.ts";
import { createIngestStore, type IngestStore } from "./ingest/ingestStore.ts";
import { createUploadHandler } from "./ingest/uploads.ts";
import { createIngestWorker, type IngestWorker, type IngestWorkerOptions } from "./ingest/worker.ts";
import { lifecycleResolvers } from "./lifecycle/lifecycleResolvers.ts";
import { createLifecycleService, type LifecycleService } from "./lifecycle/lifecycleService.ts";
import { createSubjectExportService } from "./lifecycle/subjectExportService.ts";
import { createBranding } from "./exports/branding.ts";
import { createDownloadHandler } from "./exports/downloadLinks.ts";
import { exportResolvers } from "./exports/exportResolvers.ts";
import { createExportService } from "./exports/exportService.ts";
import { createCitableSearch } from "./reports/citableSearch.ts";
import { createEvidenceLookup } from "./reports/evidenceLookup.ts";
import { reportResolvers } from "./reports/reportResolvers.ts";
import { createReportService } from "./reports/reportService.ts";
import { incidentResolvers } from "./incidents/incidentResolvers.ts";
import { createIncidentService } from "./incidents/incidentService.ts";
import { neighbourhoodResolvers } from "./neighbourhood/neighbourhoodResolvers.ts";
import { createNeighbourhoodService } from "./neighbourhood/neighbourhoodService.ts";

export const name = "graph";

export interface IngestSettings extends Pick<
  IngestWorkerOptions,
  "leaseMs" | "pollMs" | "maxJobs" | "batchSize" | "maxInFlight" | "concurrentJobsFor" | "billingRecheckMs"
> {
  /** Run an ingest worker in this process; default true (split deployments may run workers apart). */
  worker?: boolean;
  /** Largest upload accepted, bytes; default 2 GiB. */
  maxUploadBytes?: number;
}

/** askGraph's settings a deployment chooses (docs/ask.md): today, the optional model backend. */
export type AskSettings = Pick<AskServiceOptions, "model">;

export interface GraphDeps extends ServiceDeps {
  driver: Driver;
  /** Neo4j database name; default `neo4j`. */
  database?: string;
  ingest?: IngestSettings;
  ask?: AskSettings;
}

interface GraphContext extends RequestContext {
  jwt?: GraphJwt;
  sessionConfig: { database: string };
}

export interface GraphServer extends SubgraphServer {
  lifecycle: LifecycleService;
  ingest: {
    service: IngestService;
    store: IngestStore;
    worker: IngestWorker | null;
    /** Serves `PUT /uploads/<token>`; the gateway mounts it. */
    uploadHandler: ReturnType<typeof createUploadHandler>;
  };
  /** Serves `GET /exports/<token>` (signed report-export downloads); the gateway mounts it. */
  downloadHandler: ReturnType<typeof createDownloadHandler>;
  /** The threat-intel modules' background work (scoring and suppression listeners); `stop` also stops it. */
  intel: { stop(): Promise<void> };
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
    now: deps.now,
    usage: deps.usage,
    billing: deps.billing,
    resources: deps.resources,
    ...deps.ingest,
  });
}

export async function createServer(deps: GraphDeps): Promise<GraphServer> {
  const { driver, db, now } = deps;
  const database = deps.database ?? "neo4j";
  await ensureGraphConstraints(driver, database);
  const store = createIngestStore(db);
  await store.ensureIndexes();
  const logger = deps.logger.child({ service: name });
  const worker = deps.ingest?.worker === false ? null : await createIngestWorkerProcess(deps);
  const service = createIngestService({
    store,
    driver,
    database,
    logger,
    uploadKey: deps.principalKey,
    pubsub: deps.pubsub,
    now,
    billing: deps.billing,
    ...(worker ? { kick: () => worker.kick() } : {}),
  });
  const labelsFor = (tenantId: string) => service.entityLabelsFor(tenantId);
  const lifecycle = createLifecycleService({ db, driver, database, logger, labelsFor, now });
  await lifecycle.ensureIndexes();
  const subjects = createSubjectExportService({ db, driver, database, audit: deps.audit, store, labelsFor, now });
  await subjects.ensureIndexes();
  const incidents = createIncidentService({ driver, database, now });
  await incidents.ensureConstraints();
  const neighbourhood = createNeighbourhoodService({ driver, database, labelsFor });
  const askSettings = createTenantAskSettings({ db, now });
  await askSettings.ensureIndexes();
  const vocabularyFor = createTenantVocabularies({ store, base: createGraphVocabulary() });
  const asking = createAskService({
    vocabularyFor,
    driver,
    database,
    audit: deps.audit,
    logger,
    now,
    thresholdFor: askSettings.thresholdFor,
    usage: deps.usage,
    billing: deps.billing,
    ...deps.ask,
  });

  const lookupDeps = { db, driver, database, store, labelsFor };
  const lookup = createEvidenceLookup(lookupDeps);
  const metering = { usage: deps.usage, billing: deps.billing };
  const reporting = createReportService({ db, lookup, ask: asking, now, ...metering });
  await reporting.ensureIndexes();
  const branding = createBranding({ db, now });
  const exporting = createExportService({
    db,
    lookupDeps,
    lookup,
    reports: reporting,
    branding,
    linkKey: deps.principalKey,
    now,
    ...metering,
  });
  await exporting.ensureIndexes();

  deps.scheduler.add({
    name: "graph.storage",
    cron: "10 0 * * *",
    run: () => sampleGraphStorage({ driver, database, db, usage: deps.usage, now }),
  });

  const intel = await createIntelModules({
    db,
    driver,
    database,
    store,
    labelsFor,
    audit: deps.audit,
    pubsub: deps.pubsub,
    scheduler: deps.scheduler,
    usage: deps.usage,
    logger,
    now,
  });

  const ingest = ingestResolvers(service, { now });
  const life = lifecycleResolvers(lifecycle, subjects);
  const near = neighbourhoodResolvers(neighbourhood);
  const ask = askResolvers(asking, askSettings);
  const report = reportResolvers(reporting, createCitableSearch(lookupDeps, lookup));
  const exported = exportResolvers(exporting, branding);
  const external = incidentResolvers(incidents);
  const { Query: intelQuery, Mutation: intelMutation, ...intelTypes } = intel.resolvers;
  const resolvers = {
    ...ingest,
    ...intelTypes,
    Report: report.Report,
    Query: { ...near.Query, ...ingest.Query, ...life.Query, ...ask.Query, ...report.Query, ...exported.Query, ...intelQuery },
    Mutation: {
      ...ingest.Mutation,
      ...life.Mutation,
      ...ask.Mutation,
      ...report.Mutation,
      ...exported.Mutation,
      ...external.Mutation,
      ...intelMutation,
    },
  };
  const schema = auditMutations(
    deps.protect(guardGraphOperations(await buildGraphSchema(driver, resolvers), { holdNames: lifecycle.holdNames })),
    deps.audit,
    name,
  );
  const server = await createSubgraphServer<GraphContext>({
    name,
    schema,
    principalKey: deps.principalKey,
    logger,
    readiness: () => driver.verifyConnectivity({ database }).then(() => undefined),
    extendContext: (base) => {
      const { principal } = base;
      const jwt = isSignedIn(principal)
        ? { tenantId: principal.tenantId, roles: principal.roles, sub: principal.userId, markings: markingsUpTo(clearanceOf(principal)) }
        : undefined;
      return { ...base, ...(jwt ? { jwt } : {}), sessionConfig: { database } };
    },
  });
  worker?.start();
  const uploadHandler = createUploadHandler({
    store,
    key: deps.principalKey,
    logger,
    now,
    ...(deps.ingest?.maxUploadBytes ? { maxBytes: deps.ingest.maxUploadBytes } : {}),
    ...(worker ? { onQueued: () => worker.kick() } : {}),
  });
  return {
    ...server,
    ingest: { service, store, worker, uploadHandler },
    downloadHandler: createDownloadHandler({ db, key: deps.principalKey, audit: deps.audit, logger, now }),
    lifecycle,
    intel: { stop: () => intel.stop() },
    async stop() {
      await worker?.stop();
      await intel.stop();
      await server.stop();
    },
  };
}
