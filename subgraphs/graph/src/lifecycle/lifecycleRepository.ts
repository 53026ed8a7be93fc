/** Where the lifecycle of graph data keeps its records: legal holds, each tenant's retention setting, and purge records. */
import type { Db } from "mongodb";
import { createTenantRepository } from "@intelgraph/kit";
import type { Selector } from "./entitySelector.ts";

export interface LegalHold {
  _id: string;
  tenantId: string;
  name: string;
  reason: string;
  owner: string;
  selector: Selector;
  entities: number;
  createdAt: Date;
  releasedAt: Date | null;
  releasedBy: string | null;
  releaseReason: string | null;
}

/** How long soft-deleted entities stay restorable when the tenant set no retention. */
export const DEFAULT_GRACE_DAYS = 30;

export interface RetentionDoc {
  _id: string;
  tenantId: string;
  rules: Array<{ types?: string[] | null; source?: string | null; olderThanDays: number }>;
  graceDays: number;
  reason: string;
  setBy: string;
  setAt: Date;
}

export interface PurgeRecord {
  _id: string;
  tenantId: string;
  entities: number;
  relationships: number;
  byType: Record<string, number>;
  graceDays: number;
  deletedBefore: Date;
  by: string;
  at: Date;
}

export function createLifecycleRepository(db: Db) {
  const holds = createTenantRepository<LegalHold>(db, "graph_legal_holds");
  const retention = createTenantRepository<RetentionDoc>(db, "graph_retention");
  const purges = createTenantRepository<PurgeRecord>(db, "graph_purges");
  return {
    holds,
    retention,
    purges,
    async ensureIndexes() {
      await holds.ensureIndexes();
      await retention.ensureIndexes();
      await purges.ensureIndexes();
    },
  };
}

export type LifecycleRepository = ReturnType<typeof createLifecycleRepository>;
