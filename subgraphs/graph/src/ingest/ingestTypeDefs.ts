/** The ingest API, served by the graph subgraph beside the @neo4j/graphql model. */
export const ingestTypeDefs = /* GraphQL */ `
  scalar JSON

  enum SourceFormat {
    CSV
    JSON
    NDJSON
    "A STIX 2.1 bundle: indicators, observables, identities, incidents, threat actors, intrusion sets, campaigns, malware, tools, attack patterns, vulnerabilities, reports, sightings and their relationships; TLP markings from object_marking_refs."
    STIX
  }

  enum MappingState {
    PENDING_APPROVAL
    APPROVED
    REJECTED
  }

  enum IngestJobState {
    "Created; waiting for its file at upload.path."
    AWAITING_UPLOAD
    QUEUED
    RUNNING
    SUCCEEDED
    FAILED
    CANCELLED
  }

  enum DeadLetterState {
    OPEN
    REPLAYED
  }

  "An entity or relationship type beyond the built-in model, approved per tenant."
  type SchemaType {
    "ENTITY or RELATIONSHIP."
    kind: String!
    "Vulnerability, or Indicator-EXPLOITS->Vulnerability for a relationship."
    name: String!
    approved: Boolean!
  }

  type ApprovalDecision {
    by: ID!
    at: String!
    reason: String!
  }

  "How a source's records become entities and relationships. Ingests need it approved."
  type IngestMapping {
    id: ID!
    name: String!
    format: SourceFormat!
    "Entities, keys, properties and relationships (see docs/ingest.md); null for STIX, which is built in."
    spec: JSON
    "Goes up with every change to the spec; each version needs its own approval."
    version: Int!
    state: MappingState!
    "Types the mapping introduces beyond the built-in model; approving the mapping approves them."
    newTypes: [SchemaType!]!
    createdBy: ID!
    createdAt: String!
    updatedAt: String!
    "The last approval or rejection."
    decision: ApprovalDecision
  }

  type IngestTotals {
    recordsRead: Int!
    "Records whose entities and relationships landed."
    recordsWritten: Int!
    deadLettered: Int!
    "Records outside the supported subset (e.g. STIX marking definitions, or relationship shapes the model does not have)."
    skipped: Int!
    entitiesCreated: Int!
    "Entity mentions that resolved onto an entity another record created."
    entitiesMerged: Int!
    relationshipsWritten: Int!
  }

  type IngestProgress {
    "Records behind the checkpoint."
    recordsDone: Int!
    bytesRead: Float!
    bytesTotal: Float
    "0…1 of the file read, when its size is known."
    fraction: Float
    "Records per second over this attempt."
    ratePerSecond: Float
    etaSeconds: Float
    "Where this attempt started (0 unless it resumed after a crash or retry)."
    resumedFrom: Int!
  }

  type BatchLatency {
    p50: Float!
    p95: Float!
    max: Float!
    batches: Int!
  }

  type ApprovalOverride {
    by: ID!
    reason: String!
  }

  "Where to send the file: a signed, single-use link on the API's host, valid until expiresAt."
  type IngestUpload {
    method: String!
    "Relative to the API's base URL, e.g. PUT https://api.example.com/uploads/…"
    path: String!
    expiresAt: String!
  }

  type IngestJob {
    id: ID!
    mappingId: ID!
    mappingName: String!
    mappingVersion: Int!
    format: SourceFormat!
    "The file or connector the data came from; stamped on everything the job writes."
    source: String!
    state: IngestJobState!
    createdBy: ID!
    createdAt: String!
    startedAt: String
    finishedAt: String
    "Attempts so far; more than one means it resumed after a crash or retry."
    attempts: Int!
    cancelRequested: Boolean!
    totals: IngestTotals!
    progress: IngestProgress!
    batchLatencyMs: BatchLatency
    "SHA-256 of the uploaded file."
    sha256: String
    error: String
    approvalOverride: ApprovalOverride
    "Only while the job waits for its file."
    upload: IngestUpload
    "Set while the job waits in the queue for its tenant's quota or budget (it resumes from its checkpoint when they allow it)."
    blocked: IngestJobBlock
  }

  "Why a queued job waits: QUOTA_EXCEEDED or BUDGET_EXCEEDED, with the message that says who can lift it."
  type IngestJobBlock {
    code: String!
    message: String!
    at: String!
  }

  "A record that could not be ingested, with why, kept until it is fixed and replayed."
  type DeadLetter {
    id: ID!
    jobId: ID!
    recordIndex: Int!
    line: Int
    raw: String!
    reason: String!
    "PARSE_ERROR, MISSING_FIELD, INVALID_VALUE, UNKNOWN_REFERENCE, UNSUPPORTED or WRITE_FAILED."
    code: String!
    state: DeadLetterState!
    attempts: Int!
    createdAt: String!
    updatedAt: String!
  }

  type DeadLetterPageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type DeadLetterPage {
    nodes: [DeadLetter!]!
    totalCount: Int!
    pageInfo: DeadLetterPageInfo!
  }

  type ReplayResult {
    replayed: Int!
    stillFailing: Int!
    deadLetters: [DeadLetter!]!
  }

  type RecordRef {
    jobId: ID!
    index: Int!
    hash: String!
  }

  type MergeUndo {
    by: ID!
    at: String!
    reason: String!
    "The entity the spelling now resolves to."
    splitEntityId: ID!
  }

  "Entity resolution's decision to treat a record's entity as one that already existed."
  type MergeDecision {
    id: ID!
    entityId: ID!
    type: String!
    "The normalised key both resolved to."
    key: String!
    "The key as the merged record spelt it."
    rawKey: String!
    "Normalisation rules that made the spellings equal, or exact-key."
    rule: String!
    record: RecordRef!
    "Hash of the record that created the entity."
    mergedIntoRecord: String!
    state: String!
    createdAt: String!
    undo: MergeUndo
  }

  input CreateIngestMappingInput {
    name: String!
    format: SourceFormat!
    spec: JSON
  }

  input CreateIngestJobInput {
    mappingId: ID!
    fileName: String!
    "Admins only: ingest although the mapping is not approved, and say why (audited)."
    approvalOverride: String
  }

  input IngestRecordsInput {
    mappingId: ID!
    "The connector or feed the records came from."
    source: String!
    "Up to 5000 records, each shaped like the mapping's source records."
    records: [JSON!]!
    approvalOverride: String
  }

  type Query {
    ingestMappings: [IngestMapping!]!
    ingestMapping(id: ID!): IngestMapping
    "Types beyond the built-in model that your tenant has approved."
    approvedSchemaTypes: [SchemaType!]!
    ingestJobs(first: Int, state: IngestJobState): [IngestJob!]!
    ingestJob(id: ID!): IngestJob
    deadLetters(jobId: ID!, state: DeadLetterState, first: Int, after: String): DeadLetterPage!
    mergeDecisions(entityId: ID, jobId: ID, first: Int): [MergeDecision!]!
  }

  type Mutation {
    createIngestMapping(input: CreateIngestMappingInput!): IngestMapping!
    "A new spec is a new version, pending approval again."
    updateIngestMapping(id: ID!, spec: JSON!): IngestMapping!
    approveIngestMapping(id: ID!, reason: String!): IngestMapping!
    rejectIngestMapping(id: ID!, reason: String!): IngestMapping!
    "Creates a job and returns where to upload its file."
    createIngestJob(input: CreateIngestJobInput!): IngestJob!
    "Ingests records sent in the request (for connectors); runs like an uploaded file."
    ingestRecords(input: IngestRecordsInput!): IngestJob!
    cancelIngestJob(id: ID!): IngestJob!
    "Queues a failed job again; it resumes from its checkpoint."
    retryIngestJob(id: ID!): IngestJob!
    "Fixes a dead letter's raw record before replaying it."
    editDeadLetter(id: ID!, raw: String!): DeadLetter!
    "Replays a job's open dead letters (all, or those named), idempotently."
    replayDeadLetters(jobId: ID!, ids: [ID!]): ReplayResult!
    "Splits a merged spelling back into an entity of its own."
    undoMerge(id: ID!, reason: String!): MergeDecision!
  }

  type Subscription {
    "The job now, then on every checkpoint and state change until it ends."
    ingestProgress(jobId: ID!): IngestJob!
  }
`;
