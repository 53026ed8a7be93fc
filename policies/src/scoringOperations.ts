import { needs, type OperationRule } from "./rules.ts";

/**
 * Confidence scoring (the graph subgraph's scoring/). Reading scores and the
 * tenant's settings is `graph:read`; an analyst's verdict on an indicator is
 * a graph edit (`graph:write`); grading sources, setting the score bands and
 * recomputing every score are the tenant admins' who approve what sources
 * come in (`ingest:approve`).
 */
export const SCORING_OPERATIONS: Readonly<Record<string, OperationRule>> = {
  "Query.sourceReliabilities": needs("graph:read"),
  "Query.scoreThresholds": needs("graph:read"),
  "Query.indicatorScore": needs("graph:read"),
  "Mutation.setIndicatorFeedback": needs("graph:write"),
  "Mutation.setSourceReliability": needs("ingest:approve"),
  "Mutation.setScoreThresholds": needs("ingest:approve"),
  "Mutation.recomputeScores": needs("ingest:approve"),
};
