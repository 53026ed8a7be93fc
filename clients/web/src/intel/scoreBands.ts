/** Confidence scores (0–100) in bands, from the tenant's thresholds (scoreThresholds) or the defaults. */

export type ScoreBand = "HIGH" | "MEDIUM" | "LOW";

export interface ScoreThresholds {
  /** A score at or above it is HIGH. */
  high: number;
  /** A score below it is LOW. */
  low: number;
}

/** What the API uses until a tenant sets its own (docs/threat-intel.md). */
export const DEFAULT_THRESHOLDS: ScoreThresholds = { high: 75, low: 30 };

/** The band of a score; null for an unscored object. */
export function scoreBand(score: number | null | undefined, thresholds: ScoreThresholds = DEFAULT_THRESHOLDS): ScoreBand | null {
  if (score == null || !Number.isFinite(score)) return null;
  if (score >= thresholds.high) return "HIGH";
  if (score < thresholds.low) return "LOW";
  return "MEDIUM";
}

/** "82 · high confidence", or "unscored". */
export function scoreText(score: number | null | undefined, band: ScoreBand | null): string {
  if (score == null || band == null) return "unscored";
  return `${Math.round(score)} · ${band.toLowerCase()}`;
}
