import { needs, type OperationRule } from "./rules.ts";

/**
 * The connectors subgraph's operations (ServiceNow and what follows), and the
 * graph's `upsertExternalIncident`, which only connectors call (through
 * deps.peers, as the caller): it needs `connectors:write`, so an inbound
 * ServiceNow token scoped to `connectors:write` alone can write incidents
 * through the connector and nothing else of the graph.
 */
export const CONNECTOR_OPERATIONS: Readonly<Record<string, OperationRule>> = {
  "Query.connectors": needs("connectors:read"),
  "Query.connector": needs("connectors:read"),
  "Query.connectorHealth": needs("connectors:read"),
  "Query.connectorDeadLetters": needs("connectors:read"),
  "Query.connectorDeliveries": needs("connectors:read"),
  "Mutation.registerConnector": needs("connectors:write"),
  "Mutation.updateConnector": needs("connectors:write"),
  "Mutation.testConnection": needs("connectors:write"),
  // Pushing also reads the incident from the graph as the caller (graph:read applies there).
  "Mutation.pushIncidentToServiceNow": needs("connectors:write"),
  "Mutation.ingestServiceNowIncident": needs("connectors:write"),
  "Mutation.syncServiceNowIncidents": needs("connectors:write"),
  "Mutation.replayConnectorDeadLetter": needs("connectors:write"),
  "Subscription.connectorAlertRaised": needs("connectors:read"),
  // graph subgraph (subgraphs/graph/src/incidents/)
  "Mutation.upsertExternalIncident": needs("connectors:write"),
};
