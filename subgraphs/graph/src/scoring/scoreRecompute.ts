/**
 * Recomputing stored scores in batches: for one tenant's indicators in a
 * scope (all, one ingest job's, one source's, some ids) or for every tenant
 * (the hourly job). Never loads more than one batch of indicators at once.
 */
import type { Clock, Logger } from "@intelgraph/kit";
import { computeScore, SCORE_MODEL_VERSION } from "./scoreModel.ts";
import type { ScoringSettings } from "./scoringSettings.ts";
import type { IndicatorScope, ScoreStore } from "./scoreStore.ts";

export interface RecomputeCounts {
  indicatorsScored: number;
  objectsScored: number;
}

export interface ScoreRecomputeOptions {
  store: ScoreStore;
  settings: ScoringSettings;
  now: Clock;
  logger: Logger;
  /** Called after a tenant's scores changed (suppression re-applies its score rules). */
  onRescored?: (tenantId: string) => Promise<void>;
  /**
   * Indicators read and written per transaction.
   * @default 500
   */
  batchSize?: number;
}

export function createScoreRecompute(options: ScoreRecomputeOptions) {
  const { store, settings, now, logger, onRescored, batchSize = 500 } = options;

  async function forTenant(tenantId: string, scope: IndicatorScope, signal?: AbortSignal): Promise<RecomputeCounts> {
    const gradeOf = await settings.gradesFor(tenantId);
    const counts: RecomputeCounts = { indicatorsScored: 0, objectsScored: 0 };
    let after = "";
    for (;;) {
      if (signal?.aborted) break;
      const batch = await store.readBatch(tenantId, scope, after, batchSize);
      if (!batch.length) break;
      const at = now();
      const rows = batch.map((row) => {
        const result = computeScore(
          {
            pattern: row.pattern,
            kind: row.kind,
            sources: row.sources,
            gradeOf,
            sightings: row.sightings,
            seenAt: row.seenAt,
            feedback: row.feedback,
          },
          at,
        );
        return { id: row.id, score: result.score, breakdown: JSON.stringify(result) };
      });
      const written = await store.write(tenantId, rows, new Date(at).toISOString(), SCORE_MODEL_VERSION);
      counts.indicatorsScored += written.indicators;
      counts.objectsScored += written.objects;
      after = batch[batch.length - 1]!.id;
      if (batch.length < batchSize) break;
    }
    if ("all" in scope && !signal?.aborted) counts.objectsScored += await store.clearOrphans(tenantId);
    if (counts.indicatorsScored > 0)
      await onRescored?.(tenantId).catch((error) => logger.warn({ err: error, tenantId }, "announcing rescored indicators failed"));
    return counts;
  }

  return {
    forTenant,

    /** Every tenant's indicators (decay moves scores even when nothing else changed). */
    async all(signal?: AbortSignal): Promise<RecomputeCounts> {
      const totals: RecomputeCounts = { indicatorsScored: 0, objectsScored: 0 };
      const known = await settings.platformTenants();
      for (const tenantId of await store.tenants()) {
        if (signal?.aborted) break;
        if (!known.has(tenantId)) continue;
        try {
          const counts = await forTenant(tenantId, { all: true }, signal);
          totals.indicatorsScored += counts.indicatorsScored;
          totals.objectsScored += counts.objectsScored;
        } catch (error) {
          // One tenant's failure must not starve the others; the next run tries again.
          logger.warn({ err: error, tenantId }, "score recompute failed for a tenant");
        }
      }
      return totals;
    },
  };
}

export type ScoreRecompute = ReturnType<typeof createScoreRecompute>;
