/**
 * A tenant's scoring settings in Mongo (tenant-owned collections, through
 * the tenant repository): each source's Admiralty grade and the score
 * thresholds that band scores into HIGH / MEDIUM / LOW.
 */
import type { Db } from "mongodb";
import { createTenantRepository, createTtlCache, type Clock } from "@intelgraph/kit";
import { DEFAULT_GRADE, DEFAULT_THRESHOLDS, type AdmiraltyGrade, type ScoreThresholdValues } from "./scoreModel.ts";

export const SOURCE_RELIABILITY_COLLECTION = "graph_source_reliability";
export const SCORE_THRESHOLDS_COLLECTION = "graph_score_thresholds";

export interface SourceReliabilityDoc {
  _id: string;
  tenantId: string;
  source: string;
  grade: AdmiraltyGrade;
  updatedBy: string;
  updatedAt: Date;
}

export interface ScoreThresholdsDoc extends ScoreThresholdValues {
  _id: string;
  tenantId: string;
  updatedBy: string;
  updatedAt: Date;
}

export function createScoringSettings(options: { db: Db; now: Clock; ttlMs?: number }) {
  const { now } = options;
  const reliabilities = createTenantRepository<SourceReliabilityDoc>(options.db, SOURCE_RELIABILITY_COLLECTION);
  const thresholds = createTenantRepository<ScoreThresholdsDoc>(options.db, SCORE_THRESHOLDS_COLLECTION);
  const reliabilityId = (tenantId: string, source: string) => `${tenantId}:${source}`;
  const thresholdsId = (tenantId: string) => `thresholds:${tenantId}`;
  // Bands are read per listed entity: a short cache (this process forgets its entry when it changes it).
  const cachedThresholds = createTtlCache(
    async (tenantId: string): Promise<ScoreThresholdValues> => {
      const doc = await thresholds.forTenant(tenantId).findOne({ _id: thresholdsId(tenantId) });
      return doc ? { high: doc.high, low: doc.low } : DEFAULT_THRESHOLDS;
    },
    { ttlMs: options.ttlMs ?? 5000 },
  );

  return {
    /**
     * The tenants of this platform (the governance records): the hourly job rescores only theirs, so
     * platforms sharing one Neo4j but not one Mongo store (tests, a staging copy) never grade each other's.
     */
    async platformTenants(): Promise<Set<string>> {
      const records = await options.db
        .collection<{ _id: string }>("governance_tenants")
        .find({}, { projection: { _id: 1 } })
        .toArray();
      return new Set(records.map((r) => String(r._id)));
    },
    async ensureIndexes() {
      await reliabilities.ensureIndexes();
      await thresholds.ensureIndexes();
    },

    /** The tenant's graded sources, by name. */
    listReliabilities: (tenantId: string) => reliabilities.forTenant(tenantId).find({}, { sort: { source: 1 } }),

    /** A grade lookup for scoring the tenant's indicators (ungraded sources are F). */
    async gradesFor(tenantId: string): Promise<(source: string) => AdmiraltyGrade> {
      const docs = await reliabilities.forTenant(tenantId).find({});
      const table = new Map(docs.map((d) => [d.source, d.grade]));
      return (source) => table.get(source) ?? DEFAULT_GRADE;
    },

    async setReliability(tenantId: string, source: string, grade: AdmiraltyGrade, userId: string): Promise<SourceReliabilityDoc> {
      const doc = { source, grade, updatedBy: userId, updatedAt: new Date(now()) };
      await reliabilities.forTenant(tenantId).findOneAndUpdate({ _id: reliabilityId(tenantId, source) }, { $set: doc }, { upsert: true });
      return { _id: reliabilityId(tenantId, source), tenantId, ...doc };
    },

    thresholdsFor: (tenantId: string) => cachedThresholds.get(tenantId),

    async thresholdsDoc(tenantId: string) {
      return thresholds.forTenant(tenantId).findOne({ _id: thresholdsId(tenantId) });
    },

    async setThresholds(tenantId: string, values: ScoreThresholdValues, userId: string) {
      await thresholds
        .forTenant(tenantId)
        .findOneAndUpdate(
          { _id: thresholdsId(tenantId) },
          { $set: { high: values.high, low: values.low, updatedBy: userId, updatedAt: new Date(now()) } },
          { upsert: true },
        );
      cachedThresholds.delete(tenantId);
      return this.thresholdsDoc(tenantId);
    },
  };
}

export type ScoringSettings = ReturnType<typeof createScoringSettings>;
