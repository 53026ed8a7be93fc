/**
 * How the console explains a score. An indicator's parts come from
 * `indicatorScore` (value and sentence per part); another object's score is
 * the best of its indicators, and its `scoreBreakdown` JSON names that one.
 */
import type { IndicatorScoreQuery } from "../api/generated/graphql.ts";

export type IndicatorScoreView = NonNullable<IndicatorScoreQuery["indicatorScore"]>;

/** A score taken from the object's indicators (scoring writes it as JSON text). */
export interface DerivedScore {
  score: number;
  /** The indicator whose score it is. */
  indicatorId: string;
  /** How many visible indicators point at the object. */
  indicators: number;
  computedAt: string | null;
  model: string | null;
}

/** The derived score in an object's `scoreBreakdown`, or null (none, an indicator's own, or text that does not read). */
export function derivedScoreOf(breakdown: string | null | undefined): DerivedScore | null {
  if (!breakdown) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(breakdown);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const b = parsed as Record<string, unknown>;
  if (b["from"] !== "indicators" || typeof b["indicatorId"] !== "string" || typeof b["score"] !== "number") return null;
  return {
    score: b["score"],
    indicatorId: b["indicatorId"],
    indicators: typeof b["indicators"] === "number" ? b["indicators"] : 1,
    computedAt: typeof b["computedAt"] === "string" ? b["computedAt"] : null,
    model: typeof b["model"] === "string" ? b["model"] : null,
  };
}

const PART_LABELS: Record<string, string> = {
  reliability: "Source reliability",
  corroboration: "Corroboration",
  sightings: "Sightings",
  decay: "Age decay",
  feedback: "Analyst feedback",
};

/** "Source reliability" for "reliability"; an unknown part keeps its name, capitalised. */
export const partLabel = (name: string): string => PART_LABELS[name] ?? name.charAt(0).toUpperCase() + name.slice(1);

/**
 * A part's value as shown, two decimals; age decay multiplies the sum, so it
 * reads ×0.50. Feedback is not written as a factor: CONFIRMED sets a floor and
 * FALSE_POSITIVE zero, which its sentence says.
 */
export function partValue(name: string, value: number): string {
  const fixed = value.toFixed(2);
  return name === "decay" ? `×${fixed}` : fixed;
}

/** "30 days" / "1.5 days" / "no decay" for an infinite half-life. */
export function formatDays(days: number): string {
  if (!Number.isFinite(days)) return "no decay";
  const rounded = Math.round(days * 10) / 10;
  return `${rounded} ${rounded === 1 ? "day" : "days"}`;
}

export const VERDICTS = [
  { verdict: "CONFIRMED", label: "Confirm", pressed: "Confirmed" },
  { verdict: "FALSE_POSITIVE", label: "False positive", pressed: "False positive" },
  { verdict: "NONE", label: "Clear", pressed: "No verdict" },
] as const;

export type Verdict = (typeof VERDICTS)[number]["verdict"];

/** The stored feedback as a verdict: null/empty is NONE. */
export const verdictOf = (feedback: string | null | undefined): Verdict =>
  feedback === "CONFIRMED" || feedback === "FALSE_POSITIVE" ? feedback : "NONE";
