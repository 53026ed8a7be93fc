import { needs, type OperationRule } from "./rules.ts";

/**
 * STIX 2.1 (threat intelligence). A bundle export reads what the caller could
 * read through the graph API anyway, within its clearance, so it needs
 * `graph:read`; importing is an ingest job (ingest's own rules).
 */
export const STIX_OPERATIONS: Readonly<Record<string, OperationRule>> = {
  "Query.stixBundle": needs("graph:read"),
};
