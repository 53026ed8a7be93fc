/**
 * The life of graph data after it lands, one concern per file: legal holds
 * (legalHolds.ts), soft delete and restore (softDelete.ts), retention rules
 * (retention.ts) and purge (purge.ts). Which entities an operation picks is
 * entitySelector.ts.
 */
import type { Db } from "mongodb";
import type { Driver } from "neo4j-driver";
import { systemClock, type Clock, type Logger } from "@intelgraph/kit";
import { DELETED_LABEL } from "./entitySelector.ts";
import { createLegalHolds } from "./legalHolds.ts";
import { sessionOf, type LifecycleDeps } from "./lifecycleDeps.ts";
import { createLifecycleRepository } from "./lifecycleRepository.ts";
import { createPurge } from "./purge.ts";
import { createRetention } from "./retention.ts";
import { createSoftDelete } from "./softDelete.ts";

export interface LifecycleOptions {
  db: Db;
  driver: Driver;
  database: string;
  logger: Logger;
  /** Entity labels the tenant has: the built-in ones and its approved types. */
  labelsFor(tenantId: string): Promise<string[]>;
  /**
   * The clock holds, deletions, retention ages and the purge cut-off are read from.
   * @default systemClock
   */
  now?: Clock;
}

export function createLifecycleService(options: LifecycleOptions) {
  const { db, now = systemClock, ...rest } = options;
  const repo = createLifecycleRepository(db);
  const deps: LifecycleDeps = { ...rest, now, repo };
  return {
    labelsFor: deps.labelsFor,

    async ensureIndexes() {
      await repo.ensureIndexes();
      const s = sessionOf(deps);
      try {
        await s.run(`CREATE INDEX deleted_tenant IF NOT EXISTS FOR (n:${DELETED_LABEL}) ON (n.tenantId)`);
      } finally {
        await s.close();
      }
    },

    ...createLegalHolds(deps),
    ...createSoftDelete(deps),
    ...createRetention(deps),
    ...createPurge(deps),
  };
}

export type LifecycleService = ReturnType<typeof createLifecycleService>;
