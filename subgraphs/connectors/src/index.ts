export { name, sdl, createServer, createConnectorServices, type ConnectorsDeps, type ConnectorsServer } from "./server.ts";
// The ServiceNow client and its contract, for the contract tests and the delivery bench.
export { incidentRecord, nextLink, singleEnvelope, listEnvelope, errorEnvelope } from "./servicenow/contract.ts";
export { createTableClient, ServiceNowError, type TableClient } from "./servicenow/tableClient.ts";
export { fromServiceNow } from "./servicenow/incidentMapping.ts";
export { DEFAULT_MAPPING } from "./connectorConfig.ts";
export { createTokenBucket } from "./rateLimiter.ts";
export { createConnectorMetrics } from "./connectorMetrics.ts";
