/**
 * The scoring API's domain logic: source reliabilities and score thresholds
 * (tenant settings), analyst feedback, an indicator's score with its parts,
 * and on-demand recomputes. Every read of the graph is the caller's tenant
 * and clearance (visibility.ts); another tenant's or a too-highly marked
 * indicator is NOT_FOUND.
 */
import { z } from "zod";
import { appError, ErrorCode, requireUser, validateInput, type AuditHints, type Clock, type Principal } from "@intelgraph/kit";
import { markingsParam } from "../visibility.ts";
import {
  ADMIRALTY_GRADES,
  bandOf,
  computeScore,
  DEFAULT_GRADE,
  DEFAULT_THRESHOLDS,
  describeParts,
  RELIABILITY,
  VERDICTS,
  type AdmiraltyGrade,
  type ScoreResult,
} from "./scoreModel.ts";
import type { ScoreRecompute } from "./scoreRecompute.ts";
import type { ScoringSettings } from "./scoringSettings.ts";
import type { ScoreStore } from "./scoreStore.ts";

const reliabilityInput = z.object({
  source: z.string().trim().min(1, "required").max(200, "at most 200 characters"),
  grade: z.enum(ADMIRALTY_GRADES),
});

const feedbackInput = z.object({
  id: z.string().min(1, "required"),
  verdict: z.enum(VERDICTS),
  note: z.string().max(2000, "at most 2,000 characters").nullish(),
});

const thresholdsInput = z
  .object({
    high: z.number().int("a whole number").min(1, "at least 1").max(100, "at most 100"),
    low: z.number().int("a whole number").min(0, "at least 0").max(99, "at most 99"),
  })
  .refine((t) => t.low < t.high, { path: ["low"], message: "must be below high (0 ≤ low < high ≤ 100)" });

export interface ScoringServiceDeps {
  settings: ScoringSettings;
  store: ScoreStore;
  recompute: ScoreRecompute;
  now: Clock;
}

const reliabilityView = (source: string, grade: AdmiraltyGrade, assigned: boolean, updatedBy: string | null, updatedAt: Date | null) => ({
  source,
  grade,
  weight: RELIABILITY[grade].weight,
  meaning: RELIABILITY[grade].meaning,
  assigned,
  updatedBy,
  updatedAt: updatedAt ? updatedAt.toISOString() : null,
});

export function createScoringService(deps: ScoringServiceDeps) {
  const { settings, store, recompute, now } = deps;

  async function visible(principal: Principal, id: string) {
    const caller = requireUser(principal);
    const found = await store.visibleIndicator(caller.tenantId, id, markingsParam(caller));
    if (!found) throw appError(ErrorCode.NOT_FOUND, `No indicator ${id} in your tenant that you are cleared to see.`, { id });
    return { caller, found };
  }

  return {
    /** The tenant's graded sources and the sources on its indicators nobody graded yet (F). */
    async sourceReliabilities(principal: Principal) {
      const caller = requireUser(principal);
      const graded = await settings.listReliabilities(caller.tenantId);
      const names = new Set(graded.map((d) => d.source));
      const seen = (await store.sourcesOf(caller.tenantId)).filter((s) => !names.has(s));
      return [
        ...graded.map((d) => reliabilityView(d.source, d.grade, true, d.updatedBy, d.updatedAt)),
        ...seen.map((s) => reliabilityView(s, DEFAULT_GRADE, false, null, null)),
      ].sort((a, b) => a.source.localeCompare(b.source));
    },

    async setSourceReliability(principal: Principal, args: unknown, hints: AuditHints) {
      const caller = requireUser(principal);
      const { source, grade } = validateInput(reliabilityInput, args);
      hints.targetType = "SourceReliability";
      hints.targetIds = [source];
      const doc = await settings.setReliability(caller.tenantId, source, grade, caller.userId);
      const counts = await recompute.forTenant(caller.tenantId, { source });
      return { ...reliabilityView(doc.source, doc.grade, true, doc.updatedBy, doc.updatedAt), indicatorsRescored: counts.indicatorsScored };
    },

    /** Records the verdict (NONE clears it) and rescores the indicator; returns its id. */
    async setIndicatorFeedback(principal: Principal, args: unknown, hints: AuditHints) {
      const { id, verdict } = validateInput(feedbackInput, args);
      hints.targetType = "Indicator";
      hints.targetIds = [id];
      const { caller, found } = await visible(principal, id);
      if (found.held)
        throw appError(ErrorCode.LEGAL_HOLD, `Indicator ${id} is under legal hold; its feedback cannot change until the hold is released.`);
      const clear = verdict === "NONE";
      await store.setFeedback(
        caller.tenantId,
        id,
        clear ? null : verdict,
        clear ? null : caller.userId,
        clear ? null : new Date(now()).toISOString(),
      );
      await recompute.forTenant(caller.tenantId, { ids: [id] });
      return { id };
    },

    async scoreThresholds(principal: Principal) {
      const caller = requireUser(principal);
      const doc = await settings.thresholdsDoc(caller.tenantId);
      return {
        high: doc?.high ?? DEFAULT_THRESHOLDS.high,
        low: doc?.low ?? DEFAULT_THRESHOLDS.low,
        updatedBy: doc?.updatedBy ?? null,
        updatedAt: doc?.updatedAt ? doc.updatedAt.toISOString() : null,
      };
    },

    async setScoreThresholds(principal: Principal, args: unknown, hints: AuditHints) {
      const caller = requireUser(principal);
      const values = validateInput(thresholdsInput, args);
      hints.targetType = "ScoreThresholds";
      hints.targetIds = [caller.tenantId];
      await settings.setThresholds(caller.tenantId, values, caller.userId);
      return this.scoreThresholds(principal);
    },

    /** The stored score with its parts explained; one never scored is computed now (not stored). */
    async indicatorScore(principal: Principal, args: unknown) {
      const { id } = validateInput(z.object({ id: z.string().min(1, "required") }), args);
      const { caller, found } = await visible(principal, id);
      let result = found.breakdown ? (JSON.parse(found.breakdown) as ScoreResult) : null;
      if (!result?.parts) {
        const [row] = await store.readBatch(caller.tenantId, { ids: [id] }, "", 1);
        if (!row) return null;
        result = computeScore({ ...row, gradeOf: await settings.gradesFor(caller.tenantId) }, now());
      }
      const thresholds = await settings.thresholdsFor(caller.tenantId);
      return {
        indicatorId: id,
        score: result.score,
        band: bandOf(result.score, thresholds),
        model: result.model,
        indicatorType: result.indicatorType,
        halfLifeDays: result.halfLifeDays,
        ageDays: result.ageDays,
        sources: result.sources.map((s) => ({ source: s.source, grade: s.grade })),
        parts: describeParts(result),
        computedAt: result.computedAt,
      };
    },

    async recomputeScores(principal: Principal, hints: AuditHints) {
      const caller = requireUser(principal);
      hints.targetType = "ScoreRecompute";
      hints.targetIds = [caller.tenantId];
      const counts = await recompute.forTenant(caller.tenantId, { all: true });
      return { ...counts, computedAt: new Date(now()).toISOString() };
    },

    /** The indicator's stored properties (tenant and clearance checked), for answers the generated query cannot give. */
    async indicatorProperties(principal: Principal, id: string) {
      const { caller } = await visible(principal, id);
      return store.properties(caller.tenantId, id);
    },

    /** The band of a score under the tenant's thresholds (Indicator.scoreBand and friends). */
    async bandFor(tenantId: string, score: number | null | undefined) {
      if (score == null) return null;
      return bandOf(score, await settings.thresholdsFor(tenantId));
    },
  };
}

export type ScoringService = ReturnType<typeof createScoringService>;
