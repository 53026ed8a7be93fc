import type { GraphQLSchema } from "graphql";
import { OPERATIONS, type OperationRule } from "./operations.ts";
import { rootOperations } from "./protectSchema.ts";

export interface CoverageReport {
  covered: Array<{ operation: string; rule: string }>;
  /** Operations of the API without a policy: denied at run time, and a CI failure. */
  uncovered: string[];
  /** Policies naming operations the API no longer has: stale entries to remove. */
  stale: string[];
}

export const describeRule = (rule: OperationRule) => (rule.kind === "permission" ? `permission ${rule.permission}` : rule.kind);

/** Checks the client-facing schema (schema/api.graphql) against the policies. */
export function policyCoverage(apiSchema: GraphQLSchema): CoverageReport {
  const operations = rootOperations(apiSchema);
  const present = new Set(operations.map((o) => o.operation));
  return {
    covered: operations.flatMap(({ operation, policy }) => (policy ? [{ operation, rule: describeRule(policy) }] : [])),
    uncovered: operations.filter((o) => !o.policy).map((o) => o.operation),
    stale: Object.keys(OPERATIONS).filter((operation) => !present.has(operation)),
  };
}
