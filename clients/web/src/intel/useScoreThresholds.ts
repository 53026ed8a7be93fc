import { createQuery } from "@urql/solid";
import { ScoreThresholdsDocument } from "../api/generated/graphql.ts";
import { DEFAULT_THRESHOLDS, type ScoreThresholds } from "./scoreBands.ts";

/**
 * The tenant's score bands for badges, read once per client (cache-first).
 * Until they arrive, or if the caller may not read them, the API's defaults.
 */
export function useScoreThresholds(): () => ScoreThresholds {
  const [result] = createQuery({ query: ScoreThresholdsDocument, requestPolicy: "cache-first" });
  return () => {
    const t = result.data?.scoreThresholds;
    return t ? { high: t.high, low: t.low } : DEFAULT_THRESHOLDS;
  };
}
