/** Reports with cited evidence, the validator, and published versions (docs/reports.md). */
export const reportTypeDefs = /* GraphQL */ `
  "What a finding can cite."
  enum EvidenceKind {
    "A graph entity, by id."
    ENTITY
    "A relationship between two entities (from, type, to)."
    RELATIONSHIP
    "A question's result frozen at a point in time (captureQuerySnapshot)."
    QUERY_SNAPSHOT
    "An ingest job, by id."
    INGEST_JOB
    "An audit event, by id."
    AUDIT_EVENT
  }

  enum ReportStatus {
    "Never published."
    DRAFT
    "At least one published version exists; the draft may have moved on since."
    PUBLISHED
  }

  "A question's result as it was when captured: what the report cites, not a live query."
  type QuerySnapshot {
    id: ID!
    question: String!
    interpretation: String
    cypher: String!
    parameters: JSON!
    columns: [String!]!
    rows: [JSON!]!
    rowCount: Int!
    truncated: Boolean!
    "sha256 of the canonical JSON of columns and rows."
    resultHash: String!
    "The entities the result touched (cited with it)."
    entityIds: [ID!]!
    capturedBy: ID!
    capturedAt: String!
  }

  type CitedRelationship {
    fromId: ID!
    type: String!
    toId: ID!
  }

  "One piece of evidence a finding cites."
  type ReportEvidence {
    "Stable within the report."
    id: ID!
    kind: EvidenceKind!
    "The cited thing's id (entity, snapshot, ingest job or audit event); null for a relationship."
    ref: ID
    relationship: CitedRelationship
    "How the thing read when it was cited, e.g. 'Person Dana Whitfield'."
    label: String!
    note: String
    "True when it cites something marked above your clearance: ref, relationship, label and note are then withheld."
    restricted: Boolean!
  }

  type ReportSection {
    id: ID!
    title: String!
    "Markdown. [[Finding 2]] or [[Section 1]] cross-references another part of the report."
    body: String!
  }

  type ReportFinding {
    id: ID!
    "1-based position, as cross-references name it."
    number: Int!
    title: String!
    "Markdown, cross-references as in sections."
    body: String!
    evidence: [ReportEvidence!]!
  }

  "A highlight on a piece of evidence, kept with the version it was made on."
  type ReportAnnotation {
    id: ID!
    findingId: ID!
    evidenceId: ID!
    text: String!
    "The part of the evidence highlighted, e.g. a property name or a cell."
    highlight: String
    author: ID!
    at: String!
  }

  "A link the validator could not resolve, and how to fix it."
  type BrokenLink {
    "Where it is, e.g. 'Finding 2, evidence 1' or 'Section 1'."
    location: String!
    findingId: ID
    sectionId: ID
    evidenceId: ID
    "An EvidenceKind, or CROSS_REFERENCE."
    kind: String!
    ref: String
    reason: String!
    fix: String!
  }

  type ReportValidation {
    valid: Boolean!
    broken: [BrokenLink!]!
    checkedAt: String!
  }

  "A published version: immutable."
  type ReportVersion {
    id: ID!
    reportId: ID!
    version: Int!
    title: String!
    sections: [ReportSection!]!
    findings: [ReportFinding!]!
    annotations: [ReportAnnotation!]!
    publishedBy: ID!
    publishedAt: String!
    "Published by an admin over broken links, with a justification."
    forced: Boolean!
    justification: String
    brokenAtPublish: [BrokenLink!]!
  }

  type Report {
    id: ID!
    title: String!
    status: ReportStatus!
    "The draft: sections, findings and annotations as they are now."
    sections: [ReportSection!]!
    findings: [ReportFinding!]!
    annotations: [ReportAnnotation!]!
    "Goes up by one with every change of the draft; pass it back as expectedRevision."
    revision: Int!
    "The latest published version number; null while a draft."
    latestVersion: Int
    versions: [ReportVersion!]!
    createdBy: ID!
    createdAt: String!
    updatedAt: String!
  }

  "Something the evidence picker found that a finding may cite."
  type CitableItem {
    kind: EvidenceKind!
    ref: ID
    relationship: CitedRelationship
    label: String!
    "More about it: type, source, when."
    detail: String
  }

  input CitedRelationshipInput {
    fromId: ID!
    type: String!
    toId: ID!
  }

  input ReportEvidenceInput {
    "Keep an existing evidence id to keep its annotations; omit for new evidence."
    id: ID
    kind: EvidenceKind!
    ref: ID
    relationship: CitedRelationshipInput
    note: String
  }

  input ReportSectionInput {
    id: ID
    title: String!
    body: String!
  }

  input ReportFindingInput {
    id: ID
    title: String!
    body: String!
    evidence: [ReportEvidenceInput!]!
  }

  input CreateReportInput {
    title: String!
    sections: [ReportSectionInput!]
    findings: [ReportFindingInput!]
  }

  "The whole draft as the editor has it; replaces the previous draft."
  input UpdateReportDraftInput {
    title: String!
    sections: [ReportSectionInput!]!
    findings: [ReportFindingInput!]!
  }

  input AnnotateEvidenceInput {
    reportId: ID!
    findingId: ID!
    evidenceId: ID!
    text: String!
    highlight: String
  }

  input PublishReportInput {
    reportId: ID!
    "The draft revision being published (CONFLICT when the draft moved on)."
    expectedRevision: Int
    "Admins only: publish over broken links; needs a justification, which is audited."
    force: Boolean
    justification: String
  }

  type Query {
    reports(status: ReportStatus, first: Int = 50): [Report!]!
    report(id: ID!): Report
    reportVersion(reportId: ID!, version: Int!): ReportVersion
    "Checks every evidence link and cross-reference of the draft (or of a version) without publishing."
    validateReport(id: ID!, version: Int): ReportValidation!
    "The evidence picker: entities, relationships, snapshots, ingest jobs and audit events matching the text."
    citableItems(search: String!, kinds: [EvidenceKind!], first: Int = 20): [CitableItem!]!
    querySnapshot(id: ID!): QuerySnapshot
  }

  type Mutation {
    createReport(input: CreateReportInput!): Report!
    "Replaces the draft; CONFLICT when expectedRevision is not the current revision."
    updateReportDraft(id: ID!, expectedRevision: Int!, input: UpdateReportDraftInput!): Report!
    "Appends one finding to the draft (the console's 'add to report')."
    addReportFinding(reportId: ID!, finding: ReportFindingInput!): Report!
    annotateEvidence(input: AnnotateEvidenceInput!): ReportAnnotation!
    "Runs a question (as askGraph RUN) and freezes its result so a finding can cite it."
    captureQuerySnapshot(question: String!, confirm: Boolean = false): QuerySnapshot!
    "Validates, then publishes the draft as a new immutable version; REPORT_INVALID lists broken links."
    publishReport(input: PublishReportInput!): ReportVersion!
  }
`;
