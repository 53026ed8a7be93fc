import { gql } from "graphql-tag";

export const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  scalar JSON

  enum PlaybookParameterType {
    STRING
    NUMBER
    "An ISO date (YYYY-MM-DD) or date-time."
    DATE
    "One of the parameter's options."
    ENUM
    "The id of an entity of entityType in the caller's tenant."
    ENTITY
  }

  enum PlaybookEntityType {
    Person
    Organization
    Domain
    IPAddress
    Indicator
    Incident
    ThreatActor
    IntrusionSet
    Campaign
    Malware
    Tool
    AttackPattern
    Vulnerability
    ThreatReport
  }

  enum PlaybookStepKind {
    "askGraph(question, mode: RUN) on graph; config { question, confirm? }"
    ASK
    "A read-only GraphQL query on graph; config { query, variables? }"
    GRAPH_QUERY
    "createReport on graph; config { title, sections?, findings?, publish? }"
    CREATE_REPORT
    "updateReportDraft on graph; config { reportId?, title, sections?, findings?, publish? } (reportId defaults to the run's report)"
    UPDATE_REPORT
    "exportReport on graph; config { reportId?, format: JSON|MARKDOWN|PDF, destinationRegion, locale? }"
    EXPORT_REPORT
    "syncServiceNowIncidents on connectors; config { connectorId }"
    CONNECTOR_INGEST
    "pushIncidentToServiceNow on connectors; config { connectorId, incidentId, action?, workNotes? }"
    SERVICENOW_INCIDENT
    "A signed JSON POST; config { url, body? } (https, or http to localhost)"
    WEBHOOK
  }

  enum PlaybookRight {
    VIEW
    RUN
    EDIT
    SHARE
  }

  enum PlaybookMissedRunPolicy {
    "A slot missed while no worker was up is not run."
    SKIP
    "The latest missed slot runs once when a worker is back."
    RUN_ONCE
  }

  enum PlaybookRunStatus {
    QUEUED
    RUNNING
    SUCCEEDED
    FAILED
  }

  enum PlaybookStepStatus {
    PENDING
    RUNNING
    SUCCEEDED
    FAILED
    SKIPPED
  }

  enum PlaybookRunTrigger {
    MANUAL
    SCHEDULE
    SHARE_LINK
  }

  enum PlaybookShareScope {
    "See the playbook and its runs' results."
    VIEW_RESULTS
    "Run it with the link's fixed parameters, as the link's creator."
    RUN
  }

  enum PlaybookRunExportFormat {
    JSON
    CSV
    "The PDF of the report the run made (through graph's exportReport)."
    PDF
  }

  type PlaybookParameter {
    name: String!
    type: PlaybookParameterType!
    required: Boolean!
    default: JSON
    "ENUM only."
    options: [String!]
    "ENTITY only."
    entityType: PlaybookEntityType
    description: String
  }

  input PlaybookParameterInput {
    name: String!
    type: PlaybookParameterType!
    required: Boolean = false
    default: JSON
    options: [String!]
    entityType: PlaybookEntityType
    description: String
  }

  type PlaybookStep {
    "Stable key: later steps read this step's output as {{steps.<id>.<path>}}."
    id: ID!
    name: String!
    kind: PlaybookStepKind!
    config: JSON!
    timeoutMs: Int!
    "Further attempts after a failure (with backoff)."
    retries: Int!
  }

  input PlaybookStepInput {
    "Default: s1, s2, … by position."
    id: ID
    name: String
    kind: PlaybookStepKind!
    config: JSON
    "Default 30000, at most 600000."
    timeoutMs: Int
    "Default 0, at most 5."
    retries: Int
  }

  type PlaybookSchedule {
    cron: String!
    timeZone: String!
    missedRunPolicy: PlaybookMissedRunPolicy!
    paused: Boolean!
    "Runs on its own: not paused and, when the playbook requires approval, its current version is approved."
    active: Boolean!
    "The next \`count\` (1–50) run times (ISO), whether or not active. Required: the answer moves with the clock."
    nextRuns(count: Int!): [String!]!
  }

  input PlaybookScheduleInput {
    cron: String!
    timeZone: String = "UTC"
    missedRunPolicy: PlaybookMissedRunPolicy = SKIP
  }

  type PlaybookAlerts {
    "Receives a signed POST (x-intelgraph-signature) when a run fails."
    webhookUrl: String
    emails: [String!]!
  }

  input PlaybookAlertsInput {
    webhookUrl: String
    emails: [String!]
  }

  type PlaybookAclEntry {
    "A tenant role (ADMIN, ANALYST, …); or null for a named user."
    role: String
    userId: ID
    rights: [PlaybookRight!]!
  }

  input PlaybookAclEntryInput {
    role: String
    userId: ID
    rights: [PlaybookRight!]!
  }

  type PlaybookApproval {
    version: Int!
    approvedBy: ID!
    approvedAt: String!
  }

  "A saved, parameterised sequence of steps an analyst can run."
  type Playbook @key(fields: "id") {
    id: ID!
    name: String!
    description: String
    "Goes up by one with every edit; each version is kept (versions)."
    version: Int!
    parameters: [PlaybookParameter!]!
    steps: [PlaybookStep!]!
    schedule: PlaybookSchedule
    alerts: PlaybookAlerts!
    requiresApproval: Boolean!
    "The approval of the current version; null when none (or the playbook changed since)."
    approval: PlaybookApproval
    ownerId: ID!
    acl: [PlaybookAclEntry!]!
    "What the caller may do with it."
    myRights: [PlaybookRight!]!
    updatedBy: ID!
    createdAt: String!
    updatedAt: String!
    versions: [PlaybookVersion!]!
    "The latest \`first\` runs (1–100), newest first. Required: runs change on their own as workers run them."
    runs(first: Int!): [PlaybookRun!]!
  }

  "One immutable version of a playbook's definition."
  type PlaybookVersion {
    playbookId: ID!
    version: Int!
    name: String!
    description: String
    parameters: [PlaybookParameter!]!
    steps: [PlaybookStep!]!
    schedule: PlaybookScheduleInputView
    requiresApproval: Boolean!
    changedBy: ID!
    changedAt: String!
  }

  type PlaybookScheduleInputView {
    cron: String!
    timeZone: String!
    missedRunPolicy: PlaybookMissedRunPolicy!
  }

  type PlaybookStepRun {
    id: ID!
    name: String!
    kind: PlaybookStepKind!
    status: PlaybookStepStatus!
    attempts: Int!
    startedAt: String
    finishedAt: String
    durationMs: Int
    "What the step returned (at most 64 KiB of JSON; outputTruncated says when cut)."
    output: JSON
    outputTruncated: Boolean!
    error: String
    errorCode: String
    logs: [String!]!
  }

  type PlaybookRun {
    id: ID!
    playbookId: ID!
    "The playbook version it ran."
    version: Int!
    status: PlaybookRunStatus!
    trigger: PlaybookRunTrigger!
    parameters: JSON!
    "Who asked for it (the schedule's owner for a scheduled run, the link's user for a share link)."
    requestedBy: ID!
    "Whose rights the steps ran with."
    runAs: ID!
    "The slot, for a scheduled run."
    scheduledFor: String
    queuedAt: String!
    startedAt: String
    finishedAt: String
    error: String
    errorCode: String
    "The report a CREATE_REPORT step made, if any."
    reportId: ID
    steps: [PlaybookStepRun!]!
  }

  type PlaybookRunExport {
    runId: ID!
    format: PlaybookRunExportFormat!
    fileName: String!
    contentType: String!
    "JSON or CSV text; null for PDF."
    content: String
    "PDF: graph's signed download link of the report export (relative to the gateway)."
    downloadUrl: String
  }

  type PlaybookShareLink {
    id: ID!
    playbookId: ID!
    scope: PlaybookShareScope!
    "RUN links: the parameters every run of the link uses."
    parameters: JSON
    expiresAt: String!
    createdBy: ID!
    createdAt: String!
    revokedAt: String
    lastUsedAt: String
  }

  type CreatedPlaybookShareLink {
    link: PlaybookShareLink!
    "Shown once; only its SHA-256 is stored."
    token: String!
  }

  "What a share link opens, for a signed-in user of the playbook's tenant."
  type SharedPlaybook {
    link: PlaybookShareLink!
    name: String!
    description: String
    parameters: [PlaybookParameter!]!
    "VIEW_RESULTS: the latest runs; RUN: the runs made through this link."
    runs: [PlaybookRun!]!
  }

  type PlaybookAlertsResult {
    playbook: Playbook!
    "The signing secret of alert webhooks: shown when first set or rotated, null otherwise."
    webhookSecret: String
  }

  input CreatePlaybookInput {
    name: String!
    description: String
    parameters: [PlaybookParameterInput!]
    steps: [PlaybookStepInput!]!
    schedule: PlaybookScheduleInput
    requiresApproval: Boolean = false
  }

  "The whole definition, replacing the current one as a new version (approval is reset when parameters, steps or schedule change)."
  input UpdatePlaybookInput {
    name: String!
    description: String
    parameters: [PlaybookParameterInput!]
    steps: [PlaybookStepInput!]!
    schedule: PlaybookScheduleInput
    requiresApproval: Boolean = false
  }

  input CreatePlaybookShareLinkInput {
    playbookId: ID!
    scope: PlaybookShareScope!
    "RUN links: validated like a run's parameters now."
    parameters: JSON
    expiresAt: String!
  }

  type Query {
    "The playbooks the caller may view."
    playbooks: [Playbook!]!
    "NOT_FOUND semantics: null when it does not exist or the caller may not view it."
    playbook(id: ID!): Playbook
    playbookVersion(id: ID!, version: Int!): PlaybookVersion
    playbookRun(id: ID!): PlaybookRun
    playbookRuns(playbookId: ID!, first: Int = 20): [PlaybookRun!]!
    "The next count (1–50) run times of a cron pattern in an IANA time zone; BAD_USER_INPUT for a bad pattern or zone."
    previewPlaybookSchedule(cron: String!, timeZone: String = "UTC", count: Int = 5): [String!]!
    playbookShareLinks(playbookId: ID!): [PlaybookShareLink!]!
    "LINK_EXPIRED when expired or revoked; NOT_FOUND for an unknown token or another tenant's."
    sharedPlaybook(token: String!): SharedPlaybook!
  }

  type Mutation {
    "Creates a playbook owned by the caller (admins, analysts, operators)."
    createPlaybook(input: CreatePlaybookInput!): Playbook!
    "New version of the definition; CONFLICT when expectedVersion is not the current version."
    updatePlaybook(id: ID!, expectedVersion: Int!, input: UpdatePlaybookInput!): Playbook!
    "Replaces the ACL (needs SHARE)."
    setPlaybookAcl(id: ID!, entries: [PlaybookAclEntryInput!]!): Playbook!
    "Failure alert channels (needs EDIT); rotateSecret makes a new webhook signing secret."
    setPlaybookAlerts(id: ID!, input: PlaybookAlertsInput!, rotateSecret: Boolean = false): PlaybookAlertsResult!
    "Approves the given (current) version; someone with EDIT other than who last changed it."
    approvePlaybook(id: ID!, version: Int!): Playbook!
    pausePlaybookSchedule(id: ID!): Playbook!
    resumePlaybookSchedule(id: ID!): Playbook!
    "Queues a run (needs RUN); parameters are validated against the playbook's."
    runPlaybook(id: ID!, parameters: JSON): PlaybookRun!
    "JSON or CSV of a run's history and outputs, or the PDF of the report it made."
    exportPlaybookRun(runId: ID!, format: PlaybookRunExportFormat!): PlaybookRunExport!
    "Needs SHARE; the token is returned once."
    createPlaybookShareLink(input: CreatePlaybookShareLinkInput!): CreatedPlaybookShareLink!
    revokePlaybookShareLink(id: ID!): PlaybookShareLink!
    "Runs a RUN link's playbook with its fixed parameters as the link's creator."
    runSharedPlaybook(token: String!): PlaybookRun!
  }

  type Subscription {
    "Every change of a run the caller may view (filter by run or playbook)."
    playbookRunUpdated(runId: ID, playbookId: ID): PlaybookRun!
  }
`;
