import { gql } from "graphql-tag";

export const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  "Any JSON value (ServiceNow's inbound payload)."
  scalar JSON

  enum ConnectorKind {
    SERVICENOW
  }

  enum SecretSource {
    "The secret is stored encrypted (AES-256-GCM) by the platform."
    ENCRYPTED
    "The secret lives in an external secret manager; only its reference is stored."
    REFERENCE
  }

  enum ConnectorAuthKind {
    "HTTP basic: username + secret (the user's password)."
    BASIC
    "OAuth 2 client credentials against /oauth_token.do: clientId + secret (the client secret)."
    OAUTH_CLIENT_CREDENTIALS
  }

  "How one of our severities maps to ServiceNow's urgency and impact (1 high … 3 low)."
  type SeverityMapping {
    severity: String!
    urgency: Int!
    impact: Int!
  }

  "How our Incident maps to a ServiceNow incident (docs/connectors/servicenow.md)."
  type ConnectorMapping {
    "sys_id or name of the assignment group set on created incidents."
    assignmentGroup: String
    category: String
    callerId: String
    severity: [SeverityMapping!]!
    "Urgency and impact for a severity not in the table."
    defaultUrgency: Int!
    defaultImpact: Int!
    "close_code on RESOLVE, e.g. 'Resolved by caller' or 'Solution provided'."
    closeCode: String!
  }

  "Token bucket per connector: a sustained rate and a burst."
  type ConnectorRateLimit {
    ratePerSecond: Float!
    burst: Int!
  }

  "How failed deliveries are retried: inline first, then from the dead-letter queue."
  type ConnectorReplayPolicy {
    "Attempts inside the request before a delivery is dead-lettered."
    inlineAttempts: Int!
    "Replays of a dead letter before it is given up (EXHAUSTED)."
    maxAttempts: Int!
    "First replay delay; doubled per attempt, with jitter."
    backoffSeconds: Int!
    "Dead letters older than this are not replayed automatically (safe window)."
    windowHours: Int!
    "connectorAlertRaised fires when this many dead letters are pending."
    alertThreshold: Int!
  }

  "Pull mode: incidents changed in ServiceNow since the stored cursor."
  type ConnectorSyncSettings {
    enabled: Boolean!
    intervalMinutes: Int!
    "Extra sysparm_query ANDed with the cursor, e.g. assignment_group=…"
    query: String
    "sys_updated_on of the newest incident synced (ServiceNow's UTC 'YYYY-MM-DD HH:mm:ss')."
    cursor: String
    lastSyncAt: String
    "Who the scheduled sync runs as (set by whoever enabled it)."
    runAsUserId: ID
  }

  "A configured connection to an external system. Secrets are never returned."
  type Connector @key(fields: "id") {
    id: ID!
    kind: ConnectorKind!
    name: String!
    baseUrl: String!
    authKind: ConnectorAuthKind!
    username: String
    clientId: String
    secretSource: SecretSource!
    "For REFERENCE secrets, the reference (e.g. vault://servicenow/prod); null for ENCRYPTED."
    secretRef: String
    mapping: ConnectorMapping!
    rateLimit: ConnectorRateLimit!
    replay: ConnectorReplayPolicy!
    sync: ConnectorSyncSettings!
    createdBy: ID!
    createdAt: String!
    updatedAt: String
  }

  input SeverityMappingInput {
    severity: String!
    urgency: Int!
    impact: Int!
  }

  input ConnectorMappingInput {
    assignmentGroup: String
    category: String
    callerId: String
    severity: [SeverityMappingInput!]
    defaultUrgency: Int
    defaultImpact: Int
    closeCode: String
  }

  input ConnectorRateLimitInput {
    ratePerSecond: Float!
    burst: Int!
  }

  input ConnectorReplayPolicyInput {
    inlineAttempts: Int
    maxAttempts: Int
    backoffSeconds: Int
    windowHours: Int
    alertThreshold: Int
  }

  input ConnectorSyncInput {
    enabled: Boolean!
    intervalMinutes: Int
    query: String
  }

  input RegisterConnectorInput {
    kind: ConnectorKind!
    name: String!
    "https:// base URL of the instance, e.g. https://acme.service-now.com"
    baseUrl: String!
    "Default BASIC."
    authKind: ConnectorAuthKind
    username: String
    clientId: String
    "Give exactly one of secret (stored encrypted) or secretRef."
    secret: String
    secretRef: String
    mapping: ConnectorMappingInput
    rateLimit: ConnectorRateLimitInput
    replay: ConnectorReplayPolicyInput
  }

  "Only the fields given change; a new secret replaces the old one."
  input UpdateConnectorInput {
    name: String
    baseUrl: String
    authKind: ConnectorAuthKind
    username: String
    clientId: String
    secret: String
    secretRef: String
    mapping: ConnectorMappingInput
    rateLimit: ConnectorRateLimitInput
    replay: ConnectorReplayPolicyInput
    sync: ConnectorSyncInput
  }

  "Where a connection test stopped."
  enum ConnectionStage {
    "The host name does not resolve."
    DNS
    "No TCP/TLS connection (refused, reset, timeout)."
    CONNECT
    "Credentials refused (401, or the OAuth token request failed)."
    AUTH
    "Signed in but not allowed to read the incident table (403)."
    PERMISSION
    "Another HTTP status, or an answer that is not the Table API contract."
    HTTP
    "Everything worked."
    OK
  }

  type ConnectionTestResult {
    ok: Boolean!
    stage: ConnectionStage!
    httpStatus: Int
    "ServiceNow's error message and detail, or what failed; never the secret."
    message: String!
    latencyMs: Int!
  }

  enum IncidentAction {
    UPSERT
    RESOLVE
  }

  input PushIncidentInput {
    connectorId: ID!
    incidentId: ID!
    action: IncidentAction = UPSERT
    workNotes: String
  }

  enum DeliveryStatus {
    DELIVERED
    PENDING
    DEAD_LETTERED
  }

  type ConnectorDelivery {
    id: ID!
    connectorId: ID!
    incidentId: ID!
    action: IncidentAction!
    status: DeliveryStatus!
    "ServiceNow's sys_id and number of the incident, once known."
    sysId: String
    number: String
    attempts: Int!
    lastError: String
    "False when the retry found the incident already in the wanted state (idempotent no-op)."
    created: Boolean!
    createdAt: String!
    deliveredAt: String
  }

  type ConnectorSync {
    connectorId: ID!
    fetched: Int!
    upserted: Int!
    pages: Int!
    "The stored cursor after this sync."
    cursor: String
  }

  enum DeadLetterStatus {
    "Waiting for the next (auto or manual) replay."
    PENDING
    "Replayed successfully."
    REPLAYED
    "Out of attempts or outside the safe window; only a manual replay sends it."
    EXHAUSTED
  }

  type ConnectorDeadLetter {
    id: ID!
    connectorId: ID!
    deliveryId: ID!
    incidentId: ID!
    action: IncidentAction!
    status: DeadLetterStatus!
    "Delivery attempts so far (inline and replays)."
    attempts: Int!
    replays: Int!
    lastError: String!
    nextAttemptAt: String
    createdAt: String!
    replayedAt: String
  }

  type ConnectorRateLimitState {
    ratePerSecond: Float!
    burst: Int!
    "Tokens in the bucket now."
    tokens: Float!
    "Until when ServiceNow asked us (429 Retry-After) not to send."
    blockedUntil: String
  }

  "Health over the last hour of requests to the external system."
  type ConnectorHealth {
    connectorId: ID!
    requests: Int!
    failures: Int!
    "Successful requests / all requests (1 when there were none)."
    successRate: Float!
    p50LatencyMs: Float
    p95LatencyMs: Float
    dlqDepth: Int!
    lastSuccessAt: String
    lastFailureAt: String
    lastError: String
    rateLimit: ConnectorRateLimitState!
  }

  type ConnectorAlert {
    connectorId: ID!
    kind: String!
    dlqDepth: Int!
    threshold: Int!
    message: String!
    raisedAt: String!
  }

  "What an inbound incident did in the graph."
  type IngestedIncident {
    connectorId: ID!
    sysId: String!
    incidentId: ID!
    created: Boolean!
    "False when the same record (same hash) was ingested before: nothing changed but lastSeen."
    changed: Boolean!
    indicatorsLinked: Int!
  }

  type Query {
    connectors: [Connector!]!
    connector(id: ID!): Connector
    connectorHealth(id: ID!): ConnectorHealth!
    connectorDeadLetters(connectorId: ID!, status: DeadLetterStatus, limit: Int = 50): [ConnectorDeadLetter!]!
    connectorDeliveries(connectorId: ID!, limit: Int = 50): [ConnectorDelivery!]!
  }

  type Mutation {
    "Registers a connector (admins and operators)."
    registerConnector(input: RegisterConnectorInput!): Connector!
    updateConnector(id: ID!, input: UpdateConnectorInput!): Connector!
    "Signs in and reads one incident; reports the stage that failed (never throws for an unreachable instance)."
    testConnection(id: ID!): ConnectionTestResult!
    "Creates or updates (UPSERT) or resolves our Incident in ServiceNow; idempotent by correlation_id."
    pushIncidentToServiceNow(input: PushIncidentInput!): ConnectorDelivery!
    "ServiceNow calls this (API token scoped connectors:write) with a Table API incident record."
    ingestServiceNowIncident(connectorId: ID!, payload: JSON!): IngestedIncident!
    "Pulls incidents changed since the stored cursor, page by page."
    syncServiceNowIncidents(connectorId: ID!): ConnectorSync!
    "Sends a dead letter again now (any status but REPLAYED); idempotent by correlation_id."
    replayConnectorDeadLetter(id: ID!): ConnectorDelivery!
  }

  type Subscription {
    "Raised when a connector's dead-letter queue grows past its alertThreshold."
    connectorAlertRaised: ConnectorAlert!
  }
`;
