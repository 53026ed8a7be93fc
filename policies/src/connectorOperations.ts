import { needs, type OperationRule } from "./rules.ts";

/** The connectors subgraph's operations (ServiceNow and what follows). */
export const CONNECTOR_OPERATIONS: Readonly<Record<string, OperationRule>> = {
  "Query.connectors": needs("connectors:read"),
  "Mutation.registerConnector": needs("connectors:write"),
};
