import { residencyLabelTypeDefs } from "@intelgraph/kit";
import { gql } from "graphql-tag";

export const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

  enum AuditOutcome {
    SUCCESS
    FAILURE
  }

  type AuditActor {
    userId: ID
    "user, token or anonymous"
    kind: String!
    "The API token used, when kind is token."
    tokenId: ID
  }

  "One recorded state change (or attempted change) in a tenant."
  type AuditEvent @key(fields: "id") {
    id: ID!
    tenantId: ID!
    actor: AuditActor!
    "The mutation that ran, e.g. createPeople."
    action: String!
    service: String!
    targetType: String
    targetIds: [ID!]!
    outcome: AuditOutcome!
    errorCode: String
    requestId: String!
    "Mutation arguments as JSON, with secrets redacted."
    arguments: String!
    at: String!
    "Position in the tenant's hash chain (null for events recorded before the chain existed)."
    seq: Int
    "sha256 of the previous event's hash and this event's content."
    hash: String
  }

  input AuditEventFilter {
    action: String
    actorId: ID
    "e.g. Person, IngestJob, AuditLog"
    targetType: String
    targetId: ID
    outcome: AuditOutcome
    "ISO-8601 lower bound (inclusive)."
    since: String
    "ISO-8601 upper bound (exclusive)."
    until: String
    "Case-insensitive text in the reasons people gave (overrides, approvals, retention) and error codes."
    text: String
  }

  "A filter saved under a name for the tenant's compliance staff."
  type AuditSavedQuery {
    id: ID!
    name: String!
    description: String
    filter: AuditSavedFilter!
    createdBy: ID!
    createdAt: String!
    updatedAt: String!
    "Set when deleted; a deleted query can be restored."
    deletedAt: String
    deletedBy: ID
  }

  type AuditSavedFilter {
    action: String
    actorId: ID
    targetType: String
    targetId: ID
    outcome: AuditOutcome
    since: String
    until: String
    text: String
  }

  input SaveAuditQueryInput {
    name: String!
    description: String
    filter: AuditEventFilter!
  }

  enum AuditExportFormat {
    CSV
    JSON
  }

  input ExportAuditEventsInput {
    "The events to export: a filter, or a saved query (not both; neither exports everything)."
    filter: AuditEventFilter
    savedQueryId: ID
    format: AuditExportFormat!
    "Where the export goes; must be the tenant's residency region."
    destinationRegion: String!
    "At most 10000 (the default)."
    limit: Int
  }

  ${residencyLabelTypeDefs}

  type AuditExport {
    id: ID!
    format: AuditExportFormat!
    residency: ResidencyLabel!
    "The residency policy that allowed this export."
    policyId: String!
    destinationRegion: String!
    rows: Int!
    "True when more events matched than the limit."
    truncated: Boolean!
    "sha256 of content."
    sha256: String!
    content: String!
    at: String!
  }

  enum AuditChainBreakKind {
    MODIFIED
    LINK_BROKEN
    MISSING
    ANCHOR_MISMATCH
    TRUNCATED
    "An event without a chain position dated after the chain began (written around the chain)."
    UNCHAINED
  }

  type AuditChainBreak {
    kind: AuditChainBreakKind!
    "The chain position where verification failed."
    seq: Int!
    eventId: ID
    detail: String!
  }

  enum AuditChainStart {
    GENESIS
    EVENT
    ANCHOR
    EMPTY
  }

  type AuditChainReport {
    ok: Boolean!
    fromSeq: Int
    toSeq: Int
    eventsChecked: Int!
    anchorsChecked: Int!
    startedFrom: AuditChainStart!
    "The first broken link, or null when the chain verifies."
    firstBreak: AuditChainBreak
  }

  "A signed checkpoint of the chain head (HMAC with the audit anchor key)."
  type AuditAnchor {
    id: ID!
    seq: Int!
    hash: String!
    at: String!
    keyId: String!
    "periodic, manual or retention"
    reason: String!
  }

  type AuditRetention {
    days: Int!
    minimumDays: Int!
    policyId: String!
    reason: String
    setBy: ID
    setAt: String
  }

  input SetAuditRetentionInput {
    "Days to keep audit events; at least the platform minimum (365)."
    days: Int!
    reason: String!
  }

  type AuditTrimRecord {
    id: ID!
    upToSeq: Int!
    events: Int!
    unchainedEvents: Int!
    cutoff: String!
    days: Int!
    policyId: String!
    anchorId: String!
    by: ID!
    at: String!
  }

  type AuditTrimResult {
    dryRun: Boolean!
    "Events recorded before this time go."
    cutoff: String!
    days: Int!
    policyId: String!
    "Chain positions up to this one go (0: none)."
    upToSeq: Int!
    events: Int!
    unchainedEvents: Int!
    "What was done (null on a dry run or when nothing was old enough)."
    trim: AuditTrimRecord
  }

  type AuditPageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type AuditEventConnection {
    nodes: [AuditEvent!]!
    pageInfo: AuditPageInfo!
  }

  type Query {
    "Audit events of the caller's tenant, newest first (admins and compliance). Each read is itself audited."
    auditEvents(filter: AuditEventFilter, savedQueryId: ID, first: Int, after: String): AuditEventConnection!
    "Saved audit queries of the tenant (deleted ones too when asked)."
    auditSavedQueries(includeDeleted: Boolean): [AuditSavedQuery!]!
    "Verifies the tenant's audit hash chain over [fromSeq, toSeq] (all kept events by default) and names the first broken link."
    verifyAuditChain(fromSeq: Int, toSeq: Int): AuditChainReport!
    "Signed checkpoints of the tenant's chain, newest first."
    auditAnchors(first: Int): [AuditAnchor!]!
    "The tenant's audit retention (null: kept forever)."
    auditRetention: AuditRetention
    "Trims of the audit log that happened, newest first."
    auditTrims: [AuditTrimRecord!]!
  }

  type Mutation {
    saveAuditQuery(input: SaveAuditQueryInput!): AuditSavedQuery!
    "Soft delete: restorable with restoreAuditSavedQuery."
    deleteAuditSavedQuery(id: ID!): AuditSavedQuery!
    restoreAuditSavedQuery(id: ID!): AuditSavedQuery!
    "Exports matching events as CSV or JSON, labelled with the tenant's residency; RESIDENCY_MISMATCH outside its region."
    exportAuditEvents(input: ExportAuditEventsInput!): AuditExport!
    "Writes a signed anchor at the head of the tenant's chain now (the service also anchors periodically)."
    anchorAuditChain: AuditAnchor
    setAuditRetention(input: SetAuditRetentionInput!): AuditRetention!
    "Removes events older than the retention after verifying them and anchoring the cut; dryRun shows what would go."
    trimAuditLog(dryRun: Boolean!): AuditTrimResult!
  }

  type Subscription {
    "Every audit event recorded in the caller's tenant from now on."
    auditEventRecorded: AuditEvent!
  }
`;
