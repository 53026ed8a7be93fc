import { needs, pub, signedIn, type OperationRule } from "./rules.ts";
import { CONNECTOR_OPERATIONS } from "./connectorOperations.ts";
import { PLAYBOOK_OPERATIONS } from "./playbookOperations.ts";
import { STIX_OPERATIONS } from "./stixOperations.ts";
import { SCORING_OPERATIONS } from "./scoringOperations.ts";
import { SUPPRESSION_OPERATIONS } from "./suppressionOperations.ts";

export type { OperationRule } from "./rules.ts";

const GRAPH_TYPES = [
  ["people", "People"],
  ["organizations", "Organizations"],
  ["domains", "Domains"],
  ["ipAddresses", "IpAddresses"],
  ["indicators", "Indicators"],
  ["incidents", "Incidents"],
  ["threatActors", "ThreatActors"],
  ["intrusionSets", "IntrusionSets"],
  ["campaigns", "Campaigns"],
  ["malwares", "Malwares"],
  ["tools", "Tools"],
  ["attackPatterns", "AttackPatterns"],
  ["vulnerabilities", "Vulnerabilities"],
  ["threatReports", "ThreatReports"],
] as const;

const graphQueries = Object.fromEntries(
  GRAPH_TYPES.flatMap(([plural]) => [
    [`Query.${plural}`, needs("graph:read")],
    [`Query.${plural}Connection`, needs("graph:read")],
  ]),
);
const graphMutations = Object.fromEntries(
  GRAPH_TYPES.flatMap(([, Plural]) => ["create", "update", "delete"].map((verb) => [`Mutation.${verb}${Plural}`, needs("graph:write")])),
);

/**
 * Every root field of the supergraph and its rule. Deny by default: a field
 * missing here is refused at run time and fails `pnpm policy:coverage`.
 */
export const OPERATIONS: Readonly<Record<string, OperationRule>> = {
  // governance
  "Mutation.login": pub,
  "Mutation.refreshSession": pub,
  // Who am I: null when nobody is signed in.
  "Query.me": pub,
  "Query.myTenant": signedIn,
  "Query.users": needs("users:manage"),
  "Mutation.createUser": needs("users:manage"),
  "Mutation.createTenant": needs("tenants:create"),
  // API tokens: anyone signed in manages their own; the service keeps scopes within the creator's rights.
  "Query.apiTokens": signedIn,
  "Mutation.createApiToken": signedIn,
  "Mutation.revokeApiToken": signedIn,
  "Mutation.setTenantLimits": needs("tenants:manage"),
  "Mutation.updateUser": needs("users:manage"),
  "Mutation.setUserPassword": needs("users:manage"),
  // Clearance (the highest TLP marking a user sees): the service keeps it at most the admin's own.
  "Mutation.setUserClearance": needs("users:manage"),
  "Mutation.importUsers": needs("users:manage"),
  // API token anomaly rules and alerts: the tenant's identity admins.
  "Query.tokenAlertRules": needs("users:manage"),
  "Query.tokenAlerts": needs("users:manage"),
  "Mutation.setTokenAlertRules": needs("users:manage"),
  "Subscription.tokenAlertRaised": needs("users:manage"),
  // graph
  ...graphQueries,
  ...graphMutations,
  "Query.neighbourhood": needs("graph:read"),
  "Query.askGraph": needs("graph:read"),
  // The tenant's confidence threshold for askGraph: read by anyone who may ask, set by tenant admins.
  "Query.tenantAskSettings": needs("graph:read"),
  "Mutation.setTenantAskSettings": needs("ask:manage"),
  // reports: drafts, evidence, validation, published versions (every role with reports:write has graph:read,
  // which captureQuerySnapshot relies on: it runs a question)
  "Query.reports": needs("reports:read"),
  "Query.report": needs("reports:read"),
  "Query.reportVersion": needs("reports:read"),
  "Query.validateReport": needs("reports:read"),
  "Query.citableItems": needs("reports:read"),
  "Query.querySnapshot": needs("reports:read"),
  "Mutation.createReport": needs("reports:write"),
  "Mutation.updateReportDraft": needs("reports:write"),
  "Mutation.addReportFinding": needs("reports:write"),
  "Mutation.annotateEvidence": needs("reports:write"),
  "Mutation.captureQuerySnapshot": needs("reports:write"),
  // Publishing over broken links (force) is checked in the service: ADMIN only, with a justification.
  "Mutation.publishReport": needs("reports:write"),
  // exports of published versions, and the branding they carry
  "Query.reportExports": needs("reports:read"),
  "Query.reportBranding": needs("reports:read"),
  "Mutation.exportReport": needs("reports:export"),
  "Mutation.reportExportLink": needs("reports:export"),
  "Mutation.setReportBranding": needs("branding:manage"),
  // ingest: mappings, jobs, dead letters, entity resolution
  "Query.ingestMappings": needs("ingest:read"),
  "Query.ingestMapping": needs("ingest:read"),
  "Query.approvedSchemaTypes": needs("ingest:read"),
  "Query.ingestJobs": needs("ingest:read"),
  "Query.ingestJob": needs("ingest:read"),
  "Query.deadLetters": needs("ingest:read"),
  "Query.mergeDecisions": needs("ingest:read"),
  "Subscription.ingestProgress": needs("ingest:read"),
  "Mutation.createIngestMapping": needs("ingest:write"),
  "Mutation.updateIngestMapping": needs("ingest:write"),
  // Approving a mapping also approves the new types it brings into the tenant's graph.
  "Mutation.approveIngestMapping": needs("ingest:approve"),
  "Mutation.rejectIngestMapping": needs("ingest:approve"),
  // An approval override (with a reason) is checked in the resolver: it needs ingest:approve too.
  "Mutation.createIngestJob": needs("ingest:write"),
  "Mutation.ingestRecords": needs("ingest:write"),
  "Mutation.cancelIngestJob": needs("ingest:write"),
  "Mutation.retryIngestJob": needs("ingest:write"),
  "Mutation.editDeadLetter": needs("ingest:write"),
  "Mutation.replayDeadLetters": needs("ingest:write"),
  "Mutation.undoMerge": needs("ingest:write"),
  // graph data lifecycle: holds, soft delete, retention, purge
  "Query.legalHolds": needs("audit:read"),
  "Query.subjectExport": needs("subjects:export"),
  "Query.subjectExports": needs("subjects:export"),
  "Mutation.exportSubjectData": needs("subjects:export"),
  "Query.deletedEntities": needs("graph:read"),
  "Query.graphRetention": needs("audit:read"),
  "Query.purgeRecords": needs("audit:read"),
  "Mutation.placeLegalHold": needs("holds:manage"),
  "Mutation.releaseLegalHold": needs("holds:manage"),
  "Mutation.deleteEntities": needs("graph:write"),
  "Mutation.restoreEntities": needs("graph:write"),
  "Mutation.setGraphRetention": needs("retention:manage"),
  "Mutation.applyGraphRetention": needs("retention:manage"),
  "Mutation.purgeDeletedEntities": needs("retention:manage"),
  // audit
  "Query.auditEvents": needs("audit:read"),
  "Subscription.auditEventRecorded": needs("audit:read"),
  "Query.auditSavedQueries": needs("audit:read"),
  "Query.verifyAuditChain": needs("audit:read"),
  "Query.auditAnchors": needs("audit:read"),
  "Query.auditRetention": needs("audit:read"),
  "Query.auditTrims": needs("audit:read"),
  "Mutation.saveAuditQuery": needs("audit:read"),
  "Mutation.deleteAuditSavedQuery": needs("audit:read"),
  "Mutation.restoreAuditSavedQuery": needs("audit:read"),
  "Mutation.exportAuditEvents": needs("audit:read"),
  // Changing what the log keeps and anchoring it: admins and compliance.
  "Mutation.anchorAuditChain": needs("audit:manage"),
  "Mutation.setAuditRetention": needs("audit:manage"),
  "Mutation.trimAuditLog": needs("audit:manage"),
  // billing
  "Query.usage": needs("billing:read"),
  "Query.usageCsv": needs("billing:read"),
  "Query.billingAccount": needs("billing:read"),
  "Query.billingAlerts": needs("billing:read"),
  "Query.onboardingFunnel": needs("billing:read"),
  "Query.invoices": needs("billing:read"),
  "Query.invoice": needs("billing:read"),
  "Subscription.budgetAlertRaised": needs("billing:read"),
  // The compare table is for anyone signed in: the upgrade modal shows it to whoever hit a limit.
  "Query.plans": signedIn,
  "Mutation.changePlan": needs("billing:manage"),
  "Mutation.setBudget": needs("billing:manage"),
  "Mutation.setBillingAlertChannels": needs("billing:manage"),
  "Mutation.grantBillingOverride": needs("billing:manage"),
  "Mutation.revokeBillingOverride": needs("billing:manage"),
  "Mutation.createInvoice": needs("billing:manage"),
  "Query.costReconciliation": needs("billing:reconcile"),
  ...PLAYBOOK_OPERATIONS,
  ...CONNECTOR_OPERATIONS,
  ...STIX_OPERATIONS,
  ...SCORING_OPERATIONS,
  ...SUPPRESSION_OPERATIONS,
};

/**
 * Federation plumbing every subgraph serves. `_service` returns SDL only;
 * `_entities` resolves references for the query planner and needs a signed-in
 * user (each subgraph's reference resolvers scope to the caller's tenant).
 */
export const FEDERATION_OPERATIONS: Readonly<Record<string, OperationRule>> = {
  "Query._service": pub,
  "Query._entities": signedIn,
};
