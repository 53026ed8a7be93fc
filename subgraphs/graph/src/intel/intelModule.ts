/**
 * Threat intelligence (docs/threat-intel.md): STIX import and export
 * (`stix/`), confidence scoring (`scoring/`) and suppression rules
 * (`suppression/`). Each folder exports its SDL and a module factory; this
 * file puts them into the graph subgraph (graphSchema.ts, server.ts).
 */
import type { Db } from "mongodb";
import type { Driver } from "neo4j-driver";
import type { AuditRecorder, Clock, Logger, PubSub, Scheduler, UsageRecorder } from "@intelgraph/kit";
import type { IngestStore } from "../ingest/ingestStore.ts";
import { createScoringModule, scoringTypeDefs } from "../scoring/scoringModule.ts";
import { createStixModule, stixTypeDefs } from "../stix/stixModule.ts";
import { createSuppressionModule, suppressionTypeDefs } from "../suppression/suppressionModule.ts";

export interface IntelModuleDeps {
  db: Db;
  driver: Driver;
  database: string;
  store: IngestStore;
  /** Entity labels the tenant has: the built-in ones and its approved types. */
  labelsFor(tenantId: string): Promise<readonly string[]>;
  audit: AuditRecorder;
  pubsub: PubSub;
  scheduler: Scheduler;
  usage: UsageRecorder;
  logger: Logger;
  now: Clock;
}

/** What one intel folder adds: resolvers by type, and work to stop with the server. */
export interface IntelModule {
  resolvers?: Record<string, Record<string, unknown>>;
  stop?: () => Promise<void>;
}

export const intelTypeDefs: string[] = [stixTypeDefs, scoringTypeDefs, suppressionTypeDefs].filter((sdl) => sdl.trim() !== "");

/** Builds the intel modules and merges their resolvers (by type, then field). */
export async function createIntelModules(deps: IntelModuleDeps) {
  const modules = [await createStixModule(deps), await createScoringModule(deps), await createSuppressionModule(deps)];
  const resolvers: Record<string, Record<string, unknown>> = {};
  for (const m of modules)
    for (const [type, fields] of Object.entries(m.resolvers ?? {})) resolvers[type] = { ...resolvers[type], ...fields };
  let stopped: Promise<void> | undefined;
  return {
    resolvers,
    /** Stops the modules' listeners and background runs (once; later calls wait for the first). */
    stop() {
      return (stopped ??= (async () => {
        for (const m of modules) await m.stop?.();
      })());
    },
  };
}
