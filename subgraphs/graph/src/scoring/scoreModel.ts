/**
 * The confidence model (docs: the scoring section of the threat-intel doc),
 * pure: an indicator's inputs and the time → a score 0–100 with its parts.
 *
 *   weights   wᵢ = RELIABILITY_WEIGHTS[grade of source i]  (a source nobody graded is F)
 *   combined  = 1 − Π(1 − wᵢ) over its independent (distinct) sources
 *   sightings = min(0.15, 0.05 · log₂(1 + sightings))
 *   base      = min(1, combined + sightings)
 *   decay     = 0.5 ^ (ageDays / halfLifeDays)   (age since lastSeen, else validFrom, else createdAt)
 *   score     = round(100 · base · decay), then feedback: CONFIRMED → at least 90, FALSE_POSITIVE → 0
 *
 * The parts reported: reliability = the best single source's weight,
 * corroboration = what the other sources add (combined − reliability),
 * sightings, decay (the factor) and feedback.
 */

export const SCORE_MODEL_VERSION = "confidence-v1";

export const ADMIRALTY_GRADES = ["A", "B", "C", "D", "E", "F"] as const;
export type AdmiraltyGrade = (typeof ADMIRALTY_GRADES)[number];

/** Admiralty (NATO) source reliability → weight. E (unreliable) counts less than F (cannot be judged). */
export const RELIABILITY: Readonly<Record<AdmiraltyGrade, { weight: number; meaning: string }>> = {
  A: { weight: 0.9, meaning: "completely reliable" },
  B: { weight: 0.75, meaning: "usually reliable" },
  C: { weight: 0.6, meaning: "fairly reliable" },
  D: { weight: 0.45, meaning: "not usually reliable" },
  E: { weight: 0.25, meaning: "unreliable" },
  F: { weight: 0.3, meaning: "reliability cannot be judged" },
};

/** The grade of a source no one graded. */
export const DEFAULT_GRADE: AdmiraltyGrade = "F";

export const INDICATOR_TYPES = ["ip", "domain", "url", "file-hash", "email", "other"] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** Half-life of confidence by indicator type, days (infrastructure moves fast, file hashes do not). */
export const HALF_LIFE_DAYS: Readonly<Record<IndicatorType, number>> = {
  ip: 30,
  domain: 90,
  url: 30,
  "file-hash": 365,
  email: 60,
  other: 60,
};

export const SIGHTINGS_STEP = 0.05;
export const SIGHTINGS_CAP = 0.15;
/** A confirmed indicator scores at least this. */
export const CONFIRMED_FLOOR = 90;

export const VERDICTS = ["CONFIRMED", "FALSE_POSITIVE", "NONE"] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface ScoreInputs {
  /** STIX pattern (or any indicator value) and the ingest `kind` (ipv4, domain, sha256…): they give the type. */
  pattern: string;
  kind?: string | null;
  /** Names of the sources that reported it (duplicates count once). */
  sources: readonly string[];
  /** Source name → its grade in the tenant; missing → F. */
  gradeOf: (source: string) => AdmiraltyGrade;
  sightings?: number | null;
  /** When it was last seen (ms); else validFrom, else createdAt. Null → no decay. */
  seenAt?: number | null;
  feedback?: string | null;
}

export interface ScorePartValues {
  reliability: number;
  corroboration: number;
  sightings: number;
  decay: number;
  feedback: Verdict;
}

export interface ScoreResult {
  score: number;
  parts: ScorePartValues;
  indicatorType: IndicatorType;
  halfLifeDays: number;
  ageDays: number;
  /** The independent sources and their grades, best first. */
  sources: Array<{ source: string; grade: AdmiraltyGrade }>;
  computedAt: string;
  model: string;
}

const DAY_MS = 86_400_000;

/** The indicator's type from its STIX pattern, else from its ingest kind. */
export function indicatorTypeOf(pattern: string, kind?: string | null): IndicatorType {
  const object = /\[\s*([a-z0-9-]+):/i.exec(pattern)?.[1]?.toLowerCase();
  const byObject: Record<string, IndicatorType> = {
    "ipv4-addr": "ip",
    "ipv6-addr": "ip",
    "domain-name": "domain",
    url: "url",
    file: "file-hash",
    "email-addr": "email",
    "email-message": "email",
  };
  if (object && byObject[object]) return byObject[object];
  const k = (kind ?? "").toLowerCase();
  if (/^(ip|ipv4|ipv6|ip-address)$/.test(k)) return "ip";
  if (/^(domain|domain-name|hostname|fqdn)$/.test(k)) return "domain";
  if (/^(url|uri)$/.test(k)) return "url";
  if (/^(md5|sha1|sha-1|sha256|sha-256|sha512|hash|file|file-hash)$/.test(k)) return "file-hash";
  if (/^(email|email-addr)$/.test(k)) return "email";
  return "other";
}

const verdictOf = (feedback?: string | null): Verdict => (feedback === "CONFIRMED" || feedback === "FALSE_POSITIVE" ? feedback : "NONE");

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

export function computeScore(inputs: ScoreInputs, now: number): ScoreResult {
  const distinct = [...new Set(inputs.sources.map((s) => s.trim()).filter(Boolean))];
  const graded = distinct
    .map((source) => ({ source, grade: inputs.gradeOf(source) }))
    .sort((a, b) => RELIABILITY[b.grade].weight - RELIABILITY[a.grade].weight || a.source.localeCompare(b.source));
  // An indicator no source names is judged like one ungraded source.
  const weights = graded.length ? graded.map((g) => RELIABILITY[g.grade].weight) : [RELIABILITY[DEFAULT_GRADE].weight];
  const best = Math.max(...weights);
  const combined = 1 - weights.reduce((rest, w) => rest * (1 - w), 1);
  const sightings = Math.min(SIGHTINGS_CAP, SIGHTINGS_STEP * Math.log2(1 + Math.max(0, inputs.sightings ?? 0)));
  const indicatorType = indicatorTypeOf(inputs.pattern, inputs.kind);
  const halfLifeDays = HALF_LIFE_DAYS[indicatorType];
  const ageDays = inputs.seenAt == null ? 0 : Math.max(0, (now - inputs.seenAt) / DAY_MS);
  const decay = Math.pow(0.5, ageDays / halfLifeDays);
  const feedback = verdictOf(inputs.feedback);
  const modelled = Math.round(100 * Math.min(1, combined + sightings) * decay);
  const score = feedback === "FALSE_POSITIVE" ? 0 : feedback === "CONFIRMED" ? Math.max(CONFIRMED_FLOOR, modelled) : modelled;
  return {
    score: Math.min(100, Math.max(0, score)),
    parts: {
      reliability: round4(best),
      corroboration: round4(combined - best),
      sightings: round4(sightings),
      decay: round4(decay),
      feedback,
    },
    indicatorType,
    halfLifeDays,
    ageDays: round4(ageDays),
    sources: graded,
    computedAt: new Date(now).toISOString(),
    model: SCORE_MODEL_VERSION,
  };
}

export interface ScoreThresholdValues {
  high: number;
  low: number;
}

export const DEFAULT_THRESHOLDS: ScoreThresholdValues = { high: 75, low: 30 };

export type ScoreBand = "HIGH" | "MEDIUM" | "LOW";

/** HIGH at or above `high`, LOW below `low`, MEDIUM between. */
export function bandOf(score: number, thresholds: ScoreThresholdValues): ScoreBand {
  if (score >= thresholds.high) return "HIGH";
  if (score < thresholds.low) return "LOW";
  return "MEDIUM";
}

/** Each part with a sentence a person can read (the API's `parts`). */
export function describeParts(result: Pick<ScoreResult, "parts" | "sources" | "ageDays" | "halfLifeDays" | "indicatorType">) {
  const { parts, sources } = result;
  const bestSource = sources[0];
  const others = Math.max(0, sources.length - 1);
  const pct = (n: number) => `${Math.round(n * 100)} %`;
  return [
    {
      name: "reliability",
      value: parts.reliability,
      sentence: bestSource
        ? `Best source ${bestSource.source} is graded ${bestSource.grade} (${RELIABILITY[bestSource.grade].meaning}): ${pct(parts.reliability)}.`
        : `No source names it; judged as one ungraded source (F): ${pct(parts.reliability)}.`,
    },
    {
      name: "corroboration",
      value: parts.corroboration,
      sentence: others
        ? `${others} more independent source${others === 1 ? " adds" : "s add"} ${pct(parts.corroboration)}.`
        : "No independent source corroborates it.",
    },
    {
      name: "sightings",
      value: parts.sightings,
      sentence: parts.sightings > 0 ? `Sightings add ${pct(parts.sightings)} (at most ${pct(SIGHTINGS_CAP)}).` : "Not sighted.",
    },
    {
      name: "decay",
      value: parts.decay,
      sentence: `Last seen ${result.ageDays.toFixed(1)} days ago; ${result.indicatorType} indicators lose half their confidence in ${result.halfLifeDays} days: × ${parts.decay.toFixed(2)}.`,
    },
    {
      name: "feedback",
      value: parts.feedback === "FALSE_POSITIVE" ? 0 : parts.feedback === "CONFIRMED" ? CONFIRMED_FLOOR / 100 : 1,
      sentence:
        parts.feedback === "CONFIRMED"
          ? `An analyst confirmed it: at least ${CONFIRMED_FLOOR}.`
          : parts.feedback === "FALSE_POSITIVE"
            ? "An analyst marked it a false positive: 0."
            : "No analyst verdict.",
    },
  ];
}
