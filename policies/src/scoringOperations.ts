import { needs, type OperationRule } from "./rules.ts";

/**
 * Confidence scoring (the graph subgraph's scoring/). Reading scores and the
 * tenant's settings is `graph:read`; an analyst's verdict on an indicator is
 * a graph edit (`graph:write`); grading sources, setting the score bands and
 * recomputing every score are the tenant's threat-intel settings
 * (`intel:manage`, tenant admins).
 */
export const SCORING_OPERATIONS: Readonly<Record<string, OperationRule>> = {
  "Query.sourceReliabilities": needs("graph:read"),
  "Query.scoreThresholds": needs("graph:read"),
  "Query.indicatorScore": needs("graph:read"),
  "Mutation.setIndicatorFeedback": needs("graph:write"),
  "Mutation.setSourceReliability": needs("intel:manage"),
  "Mutation.setScoreThresholds": needs("intel:manage"),
  "Mutation.recomputeScores": needs("intel:manage"),
};
