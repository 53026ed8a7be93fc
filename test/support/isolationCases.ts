/**
 * Valid inputs for the generated isolation suite (test/integration/isolationSuite.test.ts):
 * for each operation whose arguments the schema alone cannot make valid, the
 * variables that reach the service — A's real ids, names that pass validation —
 * and, for operations that consume what they act on (revoke, delete, approve),
 * a throwaway of A's made first. B sends the same variables (its own names,
 * A's ids), so its refusal cannot be a validation error.
 */
import { getNamedType, isListType, isNonNullType, isObjectType, type GraphQLSchema } from "graphql";
import { gql } from "./graphqlClient.ts";
import type { TestPlatform, TestTenant } from "./platform.ts";
import { minimalInput } from "./selections.ts";
import { BILLING_CASES, BILLING_UNSNAPSHOTTED, BUDGET_ALERT_TRIGGER } from "./isolationBilling.ts";
import { CONNECTOR_ALERT_TRIGGER, CONNECTOR_CASES } from "./isolationConnectors.ts";
import { INTEL_CASES, INTEL_UNSNAPSHOTTED } from "./isolationIntel.ts";
import { PLAYBOOK_CASES, PLAYBOOK_RUN_TRIGGER } from "./isolationPlaybooks.ts";

/**
 * Reads left out of A's snapshots: their answers change on their own (every request is audited and metered;
 * chains are anchored on a timer), or A may not read them (isolationBilling.ts says which billing reads and why),
 * or they have no answer without arguments (isolationIntel.ts).
 */
const UNSNAPSHOTTED = [...BILLING_UNSNAPSHOTTED, ...INTEL_UNSNAPSHOTTED];
export const VOLATILE = new Set(["auditEvents", "usage", "auditAnchors", "verifyAuditChain", ...UNSNAPSHOTTED]);

/** A's things the cases point at, made by the suite's beforeAll. */
export interface SeededIds {
  org: string;
  person: string;
  playbook: string;
  mapping: string;
  job: string;
  deadLetter: string;
  deadLetterRaw: string;
  mergeDecision: string;
  analyst: string;
  savedQuery: string;
  subjectExport: string;
  /** A published report of A's citing A's person, with one annotated piece of evidence, and an export of it. */
  report: string;
  reportFinding: string;
  reportEvidence: string;
  snapshot: string;
  reportExport: string;
}

export interface IsolationContext {
  api: GraphQLSchema;
  a: TestTenant;
  b: TestTenant;
  ids: SeededIds;
  /** Runs a document as A's admin and returns its data; fails the test on any error. */
  asA<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

type Variables = Record<string, unknown>;
type Who = "a" | "b";

export interface ValidCase {
  /** Makes the throwaway of A's that the call consumes; its result is handed to `variables`. */
  prepare?(ctx: IsolationContext): Promise<Variables>;
  /** Valid variables for A's positive control (`who` "a") and B's attempt ("b"). */
  variables(ctx: IsolationContext, who: Who, prepared: Variables): Variables;
  /** Operations only the platform operator may call: the operator proves the input valid. */
  control?: "operator";
}

/** Field values a placeholder cannot fill (checked formats), wherever they appear in an input. */
export const KNOWN_VALUES: Record<string, unknown> = {
  destinationRegion: "eu-west-1",
  address: "192.0.2.50",
  // The suite's tenants are ENTERPRISE: a probe of changePlan must not drop B to FREE's rate limit for the rest of the run.
  plan: "ENTERPRISE",
};

const REASON = "isolation suite";
let counter = 0;
const unique = (who: Who) => `${who}${Date.now().toString(36)}${(counter++).toString(36)}`;

const mutationIds = async (ctx: IsolationContext, query: string, pick: (data: any) => string) => pick(await ctx.asA(query));

/** The smallest NDJSON mapping spec: one indicator per record. */
const INDICATOR_SPEC = {
  entities: [
    { as: "ind", type: "Indicator", key: ["pattern"], properties: { pattern: "pattern", kind: { from: "kind", required: true } } },
  ],
  relationships: [],
};

async function throwawayMapping(ctx: IsolationContext): Promise<string> {
  const data = await ctx.asA(`mutation($input: CreateIngestMappingInput!) { createIngestMapping(input: $input) { id } }`, {
    input: { name: `throwaway-${unique("a")}`, format: "NDJSON", spec: INDICATOR_SPEC },
  });
  return data.createIngestMapping.id as string;
}

async function throwawayJob(ctx: IsolationContext): Promise<string> {
  return mutationIds(
    ctx,
    `mutation { createIngestJob(input: { mappingId: "${ctx.ids.mapping}", fileName: "throwaway.ndjson" }) { id } }`,
    (d) => d.createIngestJob.id,
  );
}

/** A new node of `type` (a graph type: Person, Domain…) of A's, made with the generated create mutation. */
export async function throwawayNode(ctx: IsolationContext, plural: string): Promise<string> {
  const create = ctx.api.getMutationType()!.getFields()[`create${plural}`]!;
  const response = getNamedType(create.type);
  if (!isObjectType(response)) throw new Error(`create${plural} returns no object`);
  const list = Object.values(response.getFields()).find((f) => isListType(isNonNullType(f.type) ? f.type.ofType : f.type))!;
  const input = minimalInput(create.args[0]!.type, `throwaway-${unique("a")}`, KNOWN_VALUES);
  const data = await ctx.asA(`mutation($input: ${create.args[0]!.type}) { create${plural}(input: $input) { ${list.name} { id } } }`, {
    input,
  });
  return data[`create${plural}`][list.name][0].id as string;
}

/** A fresh draft report of A's, citing nothing (so it publishes). */
async function throwawayReport(ctx: IsolationContext): Promise<Variables> {
  const data = await ctx.asA(`mutation($input: CreateReportInput!) { createReport(input: $input) { id } }`, {
    input: { title: `throwaway-${unique("a")}`, sections: [{ title: "Summary", body: "Nothing cited." }] },
  });
  return { id: data.createReport.id };
}

const personOfA = async (ctx: IsolationContext) => ({ person: await throwawayNode(ctx, "People") });

export const VALID_CASES: Record<string, ValidCase> = {
  // Queries with required arguments.
  neighbourhood: { variables: ({ ids }) => ({ id: ids.org, hops: 1 }) },
  // A plain question that names no value (B's audit trail would echo a marker it sent): A's run lists A's people, B's none of them.
  askGraph: { variables: () => ({ question: "list people", mode: "RUN", confirm: true }) },
  setTenantAskSettings: { variables: () => ({ input: { confidenceThreshold: 0.8 } }) },
  ingestMapping: { variables: ({ ids }) => ({ id: ids.mapping }) },
  ingestJob: { variables: ({ ids }) => ({ id: ids.job }) },
  deadLetters: { variables: ({ ids }) => ({ jobId: ids.job }) },
  subjectExport: { variables: ({ ids }) => ({ id: ids.subjectExport }) },
  playbook: { variables: ({ ids }) => ({ id: ids.playbook }) },
  ingestProgress: { variables: ({ ids }) => ({ jobId: ids.job }) },

  // Audit.
  saveAuditQuery: { variables: (_, who) => ({ input: { name: `q-${unique(who)}`, filter: { action: "createPlaybook" } } }) },
  deleteAuditSavedQuery: {
    prepare: async (ctx) => ({
      id: await mutationIds(
        ctx,
        `mutation { saveAuditQuery(input: { name: "throwaway-${unique("a")}", filter: {} }) { id } }`,
        (d) => d.saveAuditQuery.id,
      ),
    }),
    variables: (_, __, { id }) => ({ id }),
  },
  restoreAuditSavedQuery: {
    prepare: async (ctx) => {
      const id = await mutationIds(
        ctx,
        `mutation { saveAuditQuery(input: { name: "throwaway-${unique("a")}", filter: {} }) { id } }`,
        (d) => d.saveAuditQuery.id,
      );
      await ctx.asA(`mutation { deleteAuditSavedQuery(id: "${id}") { id } }`);
      return { id };
    },
    variables: (_, __, { id }) => ({ id }),
  },
  exportAuditEvents: {
    variables: ({ ids }) => ({ input: { format: "JSON", destinationRegion: "eu-west-1", savedQueryId: ids.savedQuery, limit: 5 } }),
  },
  setAuditRetention: { variables: () => ({ input: { days: 2555, reason: REASON } }) },
  trimAuditLog: { variables: (_, who) => ({ dryRun: who === "a" }) },

  // Connectors.
  registerConnector: {
    variables: (_, who) => ({
      input: { kind: "SERVICENOW", name: `sn-${unique(who)}`, baseUrl: "https://iso.service-now.example", secretRef: "vault://iso" },
    }),
  },

  // Governance.
  createTenant: {
    control: "operator",
    variables: (_, who) => {
      const slug = `iso-${unique(who)}`;
      return { input: { name: `Tenant ${slug}`, slug, region: "eu-west-1", plan: "TEAM" } };
    },
  },
  createUser: {
    // B names A's tenant; A creates in its own.
    variables: ({ a }, who) => ({
      input: {
        email: `u-${unique(who)}@${a.slug}.test`,
        password: "a-long-password-1",
        role: "VIEWER",
        ...(who === "b" ? { tenantId: a.id } : {}),
      },
    }),
  },
  login: { variables: ({ a }, who) => ({ email: a.adminEmail, password: who === "a" ? a.adminPassword : "not-the-password-1" }) },
  refreshSession: {
    prepare: async (ctx) => {
      const data = await ctx.asA(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { refreshToken } }`, {
        e: ctx.a.adminEmail,
        p: ctx.a.adminPassword,
      });
      return { refreshToken: data.login.refreshToken };
    },
    // B does not hold A's refresh token: it tries one of the right shape.
    variables: (_, who, { refreshToken }) => ({ refreshToken: who === "a" ? refreshToken : `${String(refreshToken).slice(0, -6)}AAAAAA` }),
  },
  createApiToken: { variables: (_, who) => ({ input: { name: `t-${unique(who)}`, scopes: ["graph:read"] } }) },
  revokeApiToken: {
    prepare: async (ctx) => ({
      id: await mutationIds(
        ctx,
        `mutation { createApiToken(input: { name: "throwaway-${unique("a")}", scopes: ["graph:read"] }) { apiToken { id } } }`,
        (d) => d.createApiToken.apiToken.id,
      ),
    }),
    variables: (_, __, { id }) => ({ id }),
  },
  setTenantLimits: { control: "operator", variables: ({ a }) => ({ tenantId: a.id, input: { reason: REASON } }) },
  updateUser: { variables: ({ ids }) => ({ id: ids.analyst, input: { displayName: "MARKER-A-analyst", reason: REASON } }) },
  setUserPassword: { variables: ({ ids }) => ({ id: ids.analyst, password: "analyst-password-2" }) },
  importUsers: {
    variables: ({ a, b }, who) => ({
      input: { format: "CSV", data: `email,role\nimported-${unique(who)}@${(who === "a" ? a : b).slug}.test,VIEWER`, dryRun: true },
    }),
  },
  setTokenAlertRules: { variables: () => ({ input: { dormantDays: 30 } }) },

  // Ingest.
  createIngestMapping: { variables: (_, who) => ({ input: { name: `m-${unique(who)}`, format: "NDJSON", spec: INDICATOR_SPEC } }) },
  updateIngestMapping: {
    prepare: async (ctx) => ({ id: await throwawayMapping(ctx) }),
    variables: (_, __, { id }) => ({ id, spec: INDICATOR_SPEC }),
  },
  approveIngestMapping: {
    prepare: async (ctx) => ({ id: await throwawayMapping(ctx) }),
    variables: (_, __, { id }) => ({ id, reason: REASON }),
  },
  rejectIngestMapping: {
    prepare: async (ctx) => ({ id: await throwawayMapping(ctx) }),
    variables: (_, __, { id }) => ({ id, reason: REASON }),
  },
  createIngestJob: { variables: ({ ids }) => ({ input: { mappingId: ids.mapping, fileName: "iso.ndjson" } }) },
  ingestRecords: {
    variables: ({ ids }, who) => ({
      input: {
        mappingId: ids.mapping,
        source: `iso-${who}`,
        records: [{ pattern: `iso-${unique(who)}`, kind: "domain", domain: "", ip: "" }],
      },
    }),
  },
  cancelIngestJob: { prepare: async (ctx) => ({ id: await throwawayJob(ctx) }), variables: (_, __, { id }) => ({ id }) },
  retryIngestJob: {
    prepare: async (ctx) => {
      const id = await throwawayJob(ctx);
      await ctx.asA(`mutation { cancelIngestJob(id: "${id}") { id } }`);
      return { id };
    },
    variables: (_, __, { id }) => ({ id }),
  },
  editDeadLetter: { variables: ({ ids }) => ({ id: ids.deadLetter, raw: ids.deadLetterRaw }) },
  replayDeadLetters: { variables: ({ ids }) => ({ jobId: ids.job, ids: [ids.deadLetter] }) },
  undoMerge: { variables: ({ ids }) => ({ id: ids.mergeDecision, reason: REASON }) },

  // Reports and exports: B sends A's ids (reports, evidence, snapshots, exports) and cites A's person.
  report: { variables: ({ ids }) => ({ id: ids.report }) },
  reportVersion: { variables: ({ ids }) => ({ reportId: ids.report, version: 1 }) },
  validateReport: { variables: ({ ids }) => ({ id: ids.report }) },
  querySnapshot: { variables: ({ ids }) => ({ id: ids.snapshot }) },
  reportExports: { variables: ({ ids }) => ({ reportId: ids.report }) },
  // The seeded name of A's person: A's picker finds it, B's finds nothing.
  citableItems: { variables: () => ({ search: "MARKER-A-person" }) },
  createReport: {
    variables: ({ ids }, who) => ({
      input: {
        title: `r-${unique(who)}`,
        findings: [{ title: "cites A's person", body: "", evidence: [{ kind: "ENTITY", ref: ids.person }] }],
      },
    }),
  },
  updateReportDraft: {
    prepare: throwawayReport,
    variables: (_, who, { id }) => ({ id, expectedRevision: 1, input: { title: `d-${unique(who)}`, sections: [], findings: [] } }),
  },
  addReportFinding: {
    variables: ({ ids }, who) => ({
      reportId: ids.report,
      finding: { title: `f-${unique(who)}`, body: "", evidence: [{ kind: "ENTITY", ref: ids.person }] },
    }),
  },
  annotateEvidence: {
    variables: ({ ids }, who) => ({
      input: { reportId: ids.report, findingId: ids.reportFinding, evidenceId: ids.reportEvidence, text: `note ${unique(who)}` },
    }),
  },
  captureQuerySnapshot: { variables: () => ({ question: "list people", confirm: true }) },
  publishReport: { prepare: throwawayReport, variables: (_, __, { id }) => ({ input: { reportId: id } }) },
  exportReport: { variables: ({ ids }) => ({ input: { reportId: ids.report, format: "JSON", destinationRegion: "eu-west-1" } }) },
  reportExportLink: { variables: ({ ids }) => ({ exportId: ids.reportExport }) },
  setReportBranding: { variables: (_, who) => ({ input: { name: `brand-${unique(who)}` } }) },

  ...BILLING_CASES,
  ...CONNECTOR_CASES,
  ...PLAYBOOK_CASES,
  ...INTEL_CASES,

  // Lifecycle.
  exportSubjectData: { variables: ({ ids }) => ({ input: { identifier: ids.person, destinationRegion: "eu-west-1" } }) },
  placeLegalHold: {
    prepare: personOfA,
    variables: (_, who, { person }) => ({ input: { name: `h-${unique(who)}`, reason: REASON, selector: { ids: [person] } } }),
  },
  releaseLegalHold: {
    prepare: async (ctx) => {
      const { person } = await personOfA(ctx);
      const data = await ctx.asA(
        `mutation { placeLegalHold(input: { name: "throwaway-${unique("a")}", reason: "${REASON}", selector: { ids: ["${person}"] } }) { id } }`,
      );
      return { id: data.placeLegalHold.id };
    },
    variables: (_, __, { id }) => ({ id, reason: REASON }),
  },
  deleteEntities: { prepare: personOfA, variables: (_, __, { person }) => ({ input: { selector: { ids: [person] }, reason: REASON } }) },
  restoreEntities: {
    prepare: async (ctx) => {
      const { person } = await personOfA(ctx);
      await ctx.asA(`mutation { deleteEntities(input: { selector: { ids: ["${person}"] }, reason: "${REASON}" }) { deleted } }`);
      return { person };
    },
    variables: (_, __, { person }) => ({ ids: [person] }),
  },
  setGraphRetention: { variables: () => ({ input: { rules: [{ olderThanDays: 3650 }], graceDays: 30, reason: REASON } }) },
  applyGraphRetention: { variables: (_, who) => ({ dryRun: who === "a" }) },
  purgeDeletedEntities: { variables: (_, who) => ({ dryRun: who === "a" }) },

  createPlaybook: {
    variables: (_, who) => ({ input: { name: `pb-${unique(who)}`, steps: [{ kind: "ASK", config: { question: "x" } }] } }),
  },
};

/**
 * The generated graph mutations (`deletePeople`, `updateDomains`…): A acts on a
 * throwaway node of its own by id; B sends the same `where` (and, for updates,
 * the same change).
 */
export function graphMutationCase(api: GraphQLSchema, name: string): ValidCase | undefined {
  const match = /^(delete|update)(.+)$/.exec(name);
  if (!match) return undefined;
  const [, verb, plural] = match;
  if (!api.getMutationType()!.getFields()[`create${plural}`]) return undefined;
  return {
    prepare: async (ctx) => ({ id: await throwawayNode(ctx, plural!) }),
    variables: (_, __, { id }) => ({
      where: { id: { eq: id } },
      ...(verb === "update" ? { update: { source: { set: "changed-by-isolation-suite" } } } : {}),
    }),
  };
}

/** How to make each subscription fire for the tenant whose admin token is given, and what B's own event contains. */
export const SUBSCRIPTION_TRIGGERS: Record<
  string,
  { fire(platform: TestPlatform, token: string, name: string): Promise<void>; expect: string }
> = {
  auditEventRecorded: {
    expect: "createPlaybook",
    async fire(platform, token, name) {
      await gql(
        platform.url,
        `mutation { createPlaybook(input: { name: "${name}-${Date.now()}", steps: [{ kind: ASK, config: { question: "x" } }] }) { id } }`,
        {},
        { token },
      );
    },
  },
  budgetAlertRaised: BUDGET_ALERT_TRIGGER,
  connectorAlertRaised: CONNECTOR_ALERT_TRIGGER,
  playbookRunUpdated: PLAYBOOK_RUN_TRIGGER,
  tokenAlertRaised: {
    expect: "DORMANT_USE",
    // An API token used, then left unused for 100 days (moved back in the store), then used again.
    async fire(platform, token, name) {
      const created = await gql<{ createApiToken: { token: string; apiToken: { id: string } } }>(
        platform.url,
        `mutation { createApiToken(input: { name: "${name}-token-${Date.now()}", scopes: ["graph:read"] }) { token apiToken { id } } }`,
        {},
        { token },
      );
      const { token: apiToken, apiToken: record } = created.data!.createApiToken;
      await gql(platform.url, `{ people(limit: 1) { id } }`, {}, { token: apiToken });
      const longAgo = new Date(Date.now() - 100 * 86_400_000);
      await platform.stores.mongo.db
        .collection("governance_api_tokens")
        .updateOne({ _id: record.id as never }, { $set: { lastUsedAt: longAgo, createdAt: longAgo } });
      await gql(platform.url, `{ people(limit: 1) { id } }`, {}, { token: apiToken });
    },
  },
};
