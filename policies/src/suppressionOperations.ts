import { needs, type OperationRule } from "./rules.ts";

/**
 * The graph subgraph's suppression rules (subgraphs/graph/src/suppression/).
 * Reading rules, dry runs and the suppressed indicators is for anyone who may
 * read the graph (the data layer still holds them to their clearance);
 * changing rules, which hides indicators from the whole tenant, is
 * `intel:manage` (tenant admins).
 */
export const SUPPRESSION_OPERATIONS: Readonly<Record<string, OperationRule>> = {
  "Query.suppressionRules": needs("graph:read"),
  "Query.dryRunSuppressionRule": needs("graph:read"),
  "Query.suppressedIndicators": needs("graph:read"),
  "Mutation.createSuppressionRule": needs("intel:manage"),
  "Mutation.updateSuppressionRule": needs("intel:manage"),
  "Mutation.deleteSuppressionRule": needs("intel:manage"),
  "Mutation.applySuppressionRules": needs("intel:manage"),
};
