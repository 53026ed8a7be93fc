import { residencyLabelTypeDefs } from "@intelgraph/kit";
/** Legal holds, soft delete / restore, retention and purge of graph data, and subject export (see lifecycleService.ts). */
export const lifecycleTypeDefs = /* GraphQL */ `
  "Which entities an operation applies to; at least one of ids, types, source, ingestJobId or incidentId. All given parts must match."
  input EntitySelector {
    ids: [ID!]
    "Entity types, e.g. [Person, Domain]; default all."
    types: [String!]
    "Entities from this source (their source or one of their sources)."
    source: String
    "Entities written by this ingest job."
    ingestJobId: ID
    "A case: this Incident and every entity linked to it directly."
    incidentId: ID
    "Only entities last seen (or changed) more than this many days ago."
    olderThanDays: Int
  }

  type EntitySelection {
    ids: [ID!]
    types: [String!]
    source: String
    ingestJobId: ID
    incidentId: ID
    olderThanDays: Int
  }

  "Freezes entities: while active they cannot be changed, linked, unlinked, deleted or purged (LEGAL_HOLD)."
  type LegalHold {
    id: ID!
    name: String!
    reason: String!
    owner: ID!
    selector: EntitySelection!
    "Entities held when the hold was placed."
    entities: Int!
    createdAt: String!
    releasedAt: String
    releasedBy: ID
    releaseReason: String
  }

  input PlaceLegalHoldInput {
    name: String!
    reason: String!
    selector: EntitySelector!
    "Hold entities another active hold already holds (for a second matter); refused with CONFLICT otherwise."
    allowOverlap: Boolean
  }

  input DeleteEntitiesInput {
    selector: EntitySelector!
    reason: String!
  }

  type TypeCount {
    type: String!
    count: Int!
  }

  type DeletionResult {
    deleted: Int!
    byType: [TypeCount!]!
  }

  type RestoreResult {
    restored: Int!
    byType: [TypeCount!]!
  }

  "A soft-deleted entity: hidden from every query, restorable until purged."
  type DeletedEntity {
    id: ID!
    type: String!
    deletedAt: String!
    deletedBy: ID
    reason: String
    "retention:<rule> when a retention rule deleted it."
    rule: String
    legalHolds: [ID!]!
    "The earliest purge may remove it (deletedAt + the tenant's grace days)."
    purgeAfter: String!
  }

  type GraphRetentionRule {
    types: [String!]
    source: String
    olderThanDays: Int!
  }

  input GraphRetentionRuleInput {
    "Default: every entity type."
    types: [String!]
    source: String
    olderThanDays: Int!
  }

  type GraphRetention {
    rules: [GraphRetentionRule!]!
    "Days a soft-deleted entity stays restorable before purge may remove it."
    graceDays: Int!
    reason: String!
    setBy: ID!
    setAt: String!
  }

  input SetGraphRetentionInput {
    rules: [GraphRetentionRuleInput!]!
    graceDays: Int!
    reason: String!
  }

  type RetentionRuleRun {
    rule: Int!
    selected: Int!
    deleted: Int!
    "Selected but under legal hold: kept."
    heldSkipped: Int!
  }

  type RetentionRun {
    dryRun: Boolean!
    rules: [RetentionRuleRun!]!
  }

  type PurgeRecord {
    id: ID!
    entities: Int!
    relationships: Int!
    byType: [TypeCount!]!
    graceDays: Int!
    deletedBefore: String!
    by: ID!
    at: String!
  }

  type PurgeResult {
    dryRun: Boolean!
    graceDays: Int!
    "Entities soft-deleted before this time go."
    deletedBefore: String!
    entities: Int!
    relationships: Int!
    byType: [TypeCount!]!
    "What was written (null on a dry run or when nothing was due)."
    record: PurgeRecord
  }

  input ExportSubjectDataInput {
    "An entity id, e-mail address, name or address that identifies the subject."
    identifier: String!
    "How far from the subject's entities to include (0–2, default 1)."
    hops: Int
    "Where the package goes; must be the tenant's residency region."
    destinationRegion: String!
  }

  type ExportFile {
    name: String!
    bytes: Int!
    sha256: String!
    content: String!
  }

  type SubjectExportCounts {
    subjects: Int!
    entities: Int!
    relationships: Int!
    auditEvents: Int!
    truncated: Boolean!
  }

  "Everything held about a data subject: JSON and CSV files and manifest.json (checksums, residency, policy)."
  type SubjectExport {
    id: ID!
    identifier: String!
    residency: ResidencyLabel!
    policyId: String!
    counts: SubjectExportCounts!
    "Absent in lists; fetch one export by id to download them (audited)."
    files: [ExportFile!]
    requestedBy: ID!
    at: String!
  }

  ${residencyLabelTypeDefs}

  type Query {
    "A stored subject export with its files; every download is audited."
    subjectExport(id: ID!): SubjectExport!
    subjectExports: [SubjectExport!]!
    legalHolds(includeReleased: Boolean): [LegalHold!]!
    deletedEntities(first: Int): [DeletedEntity!]!
    graphRetention: GraphRetention
    purgeRecords: [PurgeRecord!]!
  }

  type Mutation {
    "Gathers everything held about a data subject into a package; RESIDENCY_MISMATCH outside the tenant's region."
    exportSubjectData(input: ExportSubjectDataInput!): SubjectExport!
    placeLegalHold(input: PlaceLegalHoldInput!): LegalHold!
    releaseLegalHold(id: ID!, reason: String!): LegalHold!
    "Soft delete: hidden at once, restorable until purged; LEGAL_HOLD when anything selected is held."
    deleteEntities(input: DeleteEntitiesInput!): DeletionResult!
    restoreEntities(ids: [ID!]!): RestoreResult!
    setGraphRetention(input: SetGraphRetentionInput!): GraphRetention!
    "Soft-deletes what the retention rules select (held entities are skipped); dryRun counts only."
    applyGraphRetention(dryRun: Boolean!): RetentionRun!
    "Removes soft-deleted entities past the grace period for good and writes a purge record; LEGAL_HOLD when any is held."
    purgeDeletedEntities(dryRun: Boolean!): PurgeResult!
  }
`;
