/**
 * The generated isolation suite: for every root operation of the API
 * (schema/api.graphql), tenant B — an admin of its own tenant, so no policy
 * stands in the way — tries to read or change tenant A's data with VALID
 * input, and the test proves it cannot: B is refused (FORBIDDEN, NOT_FOUND,
 * UNAUTHENTICATED) or sees and changes nothing of A's. A refusal for bad input
 * proves nothing, so the same input must then reach the service as A (the
 * positive control); a read's answer to A must also show A's data, or B's
 * empty answer proves nothing (test/support/isolationReads.ts). Operations are
 * enumerated from the schema; valid inputs are generated from it where it can,
 * and come from test/support/isolationCases.ts where it cannot. An operation
 * without a valid input fails, by name.
 */
import { readFileSync } from "node:fs";
import {
  buildSchema,
  getNamedType,
  isInputObjectType,
  isNonNullType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputObjectType,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { ingestFile, sample, sampleMapping } from "../support/ingest.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import {
  graphMutationCase,
  KNOWN_VALUES,
  SUBSCRIPTION_TRIGGERS,
  VOLATILE,
  VALID_CASES,
  type IsolationContext,
  type SeededIds,
  type ValidCase,
} from "../support/isolationCases.ts";
import { A_MARKERS, expectShowsA, seedReadsOfA, trimAuditLogOfA, usageMutationsOf, type ReadSeeds } from "../support/isolationReads.ts";
// Thousands of quick probes from one address: kept under the gateway's address limit, so no 429 stands in for an answer.
import { pacedGql as gql } from "../support/paced.ts";
import { seedReportOfA } from "../support/isolationReports.ts";
import { idPathsOf, minimalInput, selectionFor } from "../support/selections.ts";
import { canonical, differences } from "../support/snapshotDiff.ts";
import { subscribe } from "../support/wsClient.ts";

const api = buildSchema(readFileSync(new URL("../../schema/api.graphql", import.meta.url), "utf8"));
const MARKER = "MARKER-A";

interface Operation {
  kind: "query" | "mutation" | "subscription";
  name: string;
  field: GraphQLField<unknown, unknown>;
}
const operations: Operation[] = [
  ...Object.values(api.getQueryType()!.getFields()).map((field) => ({ kind: "query" as const, name: field.name, field })),
  ...Object.values(api.getMutationType()!.getFields()).map((field) => ({ kind: "mutation" as const, name: field.name, field })),
  ...Object.values(api.getSubscriptionType()!.getFields()).map((field) => ({ kind: "subscription" as const, name: field.name, field })),
];

/** What B's valid-input call may end with besides an answer that holds nothing of A's: a deliberate refusal. */
const REFUSALS = ["FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"];
/** B's generated probes (A's ids in every ID slot, placeholder values) may also stop at validation: they only look for leaks. */
const PROBE_ANSWERS = [...REFUSALS, "BAD_USER_INPUT", "CONFLICT"];
/** Errors only a resolver or service raises: A's positive control may end with one and still prove it reached the service. */
const DOMAIN_ERRORS = ["CONFLICT", "LEGAL_HOLD", "RESIDENCY_MISMATCH", "SCHEMA_NOT_APPROVED", "QUOTA_EXCEEDED", "BUDGET_EXCEEDED"];

const platform = useTestPlatform("isosuite");
let a: TestTenant;
let b: TestTenant;
const aIds = new Set<string>();

type Snapshot = Record<string, unknown>;

/** Everything A can see, read with A's own token (volatile fields left out), one entry per query field. */
async function snapshotOfA(): Promise<Snapshot> {
  const fields = operations.filter((o) => o.kind === "query" && !VOLATILE.has(o.name) && !o.field.args.some((x) => isNonNullType(x.type)));
  const snapshot: Snapshot = {};
  for (let i = 0; i < fields.length; i += 6) {
    const selection = fields
      .slice(i, i + 6)
      .map((o) => `${o.name} ${selectionFor(o.field.type, 1)}`)
      .join(" ");
    const res = await gql(platform.url, `{ ${selection} }`, {}, { token: a.token });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    Object.assign(snapshot, canonical(res.data));
  }
  return snapshot;
}

/** Operations that answer with B's own audit events, whose arguments hold what B sent earlier. */
const OWN_AUDIT_TRAIL = new Set(["auditEvents", "exportAuditEvents"]);
const sentByB = new Set<string>();

/** Every string B sent, however deep in its variables. */
const sentStrings = (value: unknown): string[] =>
  typeof value === "string" ? [value] : value && typeof value === "object" ? Object.values(value).flatMap(sentStrings) : [];

/** A's ids and markers found in `json`; ids the caller itself sent (echoed in an error message, alone or in a compound id) do not count. */
const leaks = (json: string, sent: string[] = []) =>
  [...aIds].filter((id) => !sent.some((x) => x.includes(id)) && json.includes(id)).concat(A_MARKERS.filter((m) => json.includes(m)));

/**
 * B's probes besides the valid input: A's ids for every ID argument (required or not) and
 * for every ID field of an input object, A's tenant for any `tenantId`,
 * `dryRun: false` (the variant that acts), generated values for the rest.
 */
function argumentVariants(op: Operation): Array<Record<string, unknown>> {
  const base: Record<string, unknown> = {};
  const idArgs: GraphQLArgument[] = [];
  for (const arg of op.field.args) {
    const named = getNamedType(arg.type).name;
    if (arg.name === "where") base[arg.name] = {};
    else if (arg.name === "update") base[arg.name] = { source: { set: "changed-by-B" } };
    else if (named === "ID") idArgs.push(arg);
    else if (arg.name === "dryRun") base[arg.name] = false;
    else if (isNonNullType(arg.type)) base[arg.name] = KNOWN_VALUES[arg.name] ?? minimalInput(arg.type, "b-value", KNOWN_VALUES);
  }
  const input = base["input"];
  const inputType = op.field.args.find((x) => x.name === "input")?.type;
  if (input && typeof input === "object" && !Array.isArray(input)) {
    const type = getNamedType(inputType!);
    if ("getFields" in type && "tenantId" in (type as { getFields(): object }).getFields())
      (input as Record<string, unknown>)["tenantId"] = a.id;
  }
  const variants = [base];
  // Updates also try a relationship-only change: @neo4j/graphql 7.6 once skipped the tenant filter there.
  const updateArg = op.field.args.find((x) => x.name === "update");
  if (updateArg) {
    const updateType = getNamedType(updateArg.type) as GraphQLInputObjectType;
    const relationship = Object.values(updateType.getFields()).find((f) => {
      const inner = getNamedType(f.type);
      return isInputObjectType(inner) && "create" in inner.getFields();
    });
    if (relationship) {
      const create = (getNamedType(relationship.type) as GraphQLInputObjectType).getFields()["create"]!;
      variants.push({ ...base, update: { [relationship.name]: [{ create: minimalInput(create.type, "b-value", KNOWN_VALUES) }] } });
    }
  }
  // A single input object (not a list of them): each of its ID fields, nested ones too, pointed at each of A's ids.
  const namedInput = inputType && getNamedType(inputType);
  if (input && !Array.isArray(input) && namedInput && isInputObjectType(namedInput)) {
    for (const { list, place } of idPathsOf(namedInput, "b-value", KNOWN_VALUES)) {
      for (const id of aIds) variants.push({ ...base, input: place(input as Record<string, unknown>, list ? [id] : id) });
    }
  }
  if (!idArgs.length) return variants;
  const withIds = [...aIds].map((id) => ({ ...base, ...Object.fromEntries(idArgs.map((x) => [x.name, id])) }));
  // Without a required id the operation also runs on its own (e.g. a list B may filter by one of A's ids).
  return idArgs.some((x) => isNonNullType(x.type)) ? withIds : [...variants, ...withIds];
}

function document(op: Operation, variables: Record<string, unknown>): string {
  const types = new Map(op.field.args.map((x) => [x.name, x.type.toString()]));
  const declared = Object.keys(variables).map((k) => `$${k}: ${types.get(k)}`);
  const args = Object.keys(variables).map((k) => `${k}: $${k}`);
  return `${op.kind}${declared.length ? `(${declared.join(", ")})` : ""} { ${op.name}${args.length ? `(${args.join(", ")})` : ""} ${selectionFor(op.field.type, 1)} }`;
}

let before: Snapshot;

const ids = {} as SeededIds;
const seeds = {} as ReadSeeds;
const ctx: IsolationContext = {
  api,
  get a() {
    return a;
  },
  get b() {
    return b;
  },
  ids,
  async asA(query, variables = {}) {
    const res = await gql(platform.url, query, variables, { token: a.token });
    expect(res.errors, `${query}: ${JSON.stringify(res.errors)}`).toBeUndefined();
    return res.data as any;
  },
};

beforeAll(async () => {
  a = await platform.newTenant("a", "ENTERPRISE");
  b = await platform.newTenant("b", "ENTERPRISE");
  aIds.add(a.id).add(a.adminId);
  seeds.auditCut = await trimAuditLogOfA(platform, ctx, aIds);
  const seed = async (query: string, variables?: Record<string, unknown>): Promise<any> => {
    const data = await ctx.asA(query, variables);
    JSON.stringify(data).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => (aIds.add(id), id));
    return data;
  };
  const edge = `edge: { confidence: 0.9, source: "${MARKER}" }`;
  const org = await seed(`mutation { createOrganizations(input: [{ name: "${MARKER}-org", source: "${MARKER}",
    domains: { create: [{ node: { name: "${MARKER}.example", resolvesTo: { create: [{ node: { address: "192.0.2.1" }, ${edge} }] } }, ${edge} }] },
    members: { create: [{ node: { name: "${MARKER}-person" }, ${edge} }] } }]) { organizations { id domains { id resolvesTo { id } } members { id } } } }`);
  ids.org = org.createOrganizations.organizations[0].id;
  ids.person = org.createOrganizations.organizations[0].members[0].id;
  await seed(
    `mutation { createIncidents(input: [{ title: "${MARKER}-incident", indicators: { create: [{ node: { pattern: "${MARKER}", kind: "stix" }, ${edge} }] } }]) { incidents { id indicators { id } } } }`,
  );
  ids.playbook = (
    await seed(
      `mutation { createPlaybook(input: { name: "${MARKER}-playbook", steps: [{ kind: ASK, config: { question: "${MARKER}" } }] }) { id } }`,
    )
  ).createPlaybook.id;
  await seed(
    `mutation { registerConnector(input: { kind: SERVICENOW, name: "${MARKER}-sn", baseUrl: "https://a.service-now.example", secretRef: "vault://${MARKER}" }) { id } }`,
  );
  await seed(`mutation { createApiToken(input: { name: "${MARKER}-token", scopes: ["graph:read"] }) { apiToken { id } } }`);
  // Ingest: a mapping, a finished job with a dead letter and a merge decision.
  ids.mapping = await sampleMapping(platform.url, a.token, "threat-feed.ndjson", `${MARKER}-mapping`);
  aIds.add(ids.mapping);
  ids.job = (await ingestFile(platform.url, a.token, ids.mapping, sample("threat-feed.ndjson"), `${MARKER}.ndjson`)).id;
  aIds.add(ids.job);
  const ingested = await seed(`{ deadLetters(jobId: "${ids.job}") { nodes { id raw } } mergeDecisions { id entityId } }`);
  ids.deadLetter = ingested.deadLetters.nodes[0]?.id;
  ids.deadLetterRaw = ingested.deadLetters.nodes[0]?.raw;
  aIds.add(ids.deadLetter); // "<job>:<record>", which the UUID pattern above does not take whole
  ids.mergeDecision = ingested.mergeDecisions[0]?.id;
  ids.analyst = (
    await seed(
      `mutation { createUser(input: { email: "analyst@${a.slug}.test", password: "analyst-password-1", role: ANALYST, displayName: "${MARKER}-analyst" }) { id } }`,
    )
  ).createUser.id;
  ids.savedQuery = (
    await seed(`mutation { saveAuditQuery(input: { name: "${MARKER}-query", filter: { action: "createPlaybook" } }) { id } }`)
  ).saveAuditQuery.id;
  ids.subjectExport = (
    await seed(`mutation { exportSubjectData(input: { identifier: "${ids.person}", destinationRegion: "eu-west-1" }) { id } }`)
  ).exportSubjectData.id;
  Object.assign(ids, await seedReportOfA(seed, ids.person));
  expect(Object.entries(ids).filter(([, v]) => !v)).toEqual([]);
  await seedReadsOfA(platform, ctx, seed);
  seeds.usageMutations = await usageMutationsOf(platform, ctx);
  before = await snapshotOfA();
  expect(JSON.stringify(before)).toContain(MARKER);
}, 120_000);

/** Operations whose valid input reached the service as A (or the operator) while B was refused or saw nothing. */
const proven = new Set<string>();
/** Of those, the ones whose positive control ended with a domain error (the service ran and said no), and its code. */
const byDomainError = new Map<string, string>();
/** Reads whose positive control showed A's data: one of A's ids or markers ("ids"), or a comparison by value ("value"). */
const shownToA = new Map<string, "ids" | "value">();

/** A valid input for `op`: from the table, the graph mutations' rule, or generated when no argument needs one of A's ids. */
function validCaseFor(op: Operation): ValidCase | undefined {
  const listed = VALID_CASES[op.name] ?? graphMutationCase(api, op.name);
  if (listed) return listed;
  const required = op.field.args.filter((x) => isNonNullType(x.type));
  if (required.some((x) => getNamedType(x.type).name === "ID")) return undefined;
  return {
    variables: (_, who) => Object.fromEntries(required.map((x) => [x.name, minimalInput(x.type, `${who}-value`, KNOWN_VALUES)])),
  };
}

/** B's call: refused deliberately (or, for probes, at validation), with nothing of A's in errors or data. */
async function expectNothingOfA(op: Operation, variables: Record<string, unknown>, allowed: string[]): Promise<unknown> {
  const res = await gql(platform.url, document(op, variables), variables, { token: b.token });
  // Anything but a deliberate refusal (401, 429, a bad generated document) fails the case.
  expect(res.status, `HTTP ${res.status}: ${JSON.stringify(res.errors)}`).toBe(200);
  for (const error of res.errors ?? []) expect(allowed, `${op.name}: ${JSON.stringify(error)}`).toContain(error.extensions?.["code"]);
  const sent = sentStrings(variables);
  sent.forEach((x) => sentByB.add(x));
  // An error may quote an id B sent ("no job X"); data may not hold any of A's ids,
  // except B's own audit trail, which records the ids B sent (never A's marker).
  const answer = `${op.name}(${JSON.stringify(variables)}) returned A's data: ${JSON.stringify(res).slice(0, 600)}`;
  expect(leaks(JSON.stringify(res.errors ?? []), sent), answer).toEqual([]);
  const own = OWN_AUDIT_TRAIL.has(op.name) ? [...sentByB] : [];
  expect(leaks(JSON.stringify(res.data ?? null), own), answer).toEqual([]);
  return (res.data as Record<string, unknown> | null | undefined)?.[op.name];
}

/** The positive control: the same input reaches the resolver and service (an answer, or an error only the service raises). */
async function expectReachesService(op: Operation, variables: Record<string, unknown>, token: string): Promise<unknown> {
  if (op.kind === "subscription") {
    const { sub } = await subscribe(platform.url, document(op, variables), token, variables);
    try {
      const event = (await sub.next(5000)) as { errors?: Array<{ extensions?: { code?: string } }> };
      for (const error of event.errors ?? []) expect(DOMAIN_ERRORS, JSON.stringify(event)).toContain(error.extensions?.code);
      if (event.errors?.length) byDomainError.set(op.name, String(event.errors[0]!.extensions?.code));
    } finally {
      await sub.close();
    }
    return;
  }
  const res = await gql(platform.url, document(op, variables), variables, { token });
  expect(res.status, `positive control of ${op.name}: HTTP ${res.status} ${JSON.stringify(res.errors)}`).toBe(200);
  for (const error of res.errors ?? [])
    expect(DOMAIN_ERRORS, `positive control of ${op.name} did not reach the service: ${JSON.stringify(error)}`).toContain(
      error.extensions?.["code"],
    );
  if (!res.errors?.length) expect(res.data, `positive control of ${op.name}`).toHaveProperty(op.name);
  else byDomainError.set(op.name, String(res.errors[0]!.extensions?.["code"]));
  return (res.data as Record<string, unknown> | null | undefined)?.[op.name];
}

/** A subscription to one of A's things by id: B must be refused at once, with nothing of A's. */
async function expectSubscriptionRefused(op: Operation, variables: Record<string, unknown>): Promise<void> {
  const { sub } = await subscribe(platform.url, document(op, variables), b.token, variables);
  try {
    const event = (await sub.next(5000)) as { errors?: Array<{ extensions?: { code?: string } }> };
    expect(event.errors?.length, JSON.stringify(event)).toBeGreaterThan(0);
    for (const error of event.errors ?? []) expect(REFUSALS).toContain(error.extensions?.code);
    expect(leaks(JSON.stringify(event), sentStrings(variables))).toEqual([]);
  } finally {
    await sub.close();
  }
}

/** A subscription without arguments: B's stream shows B's own event first, never A's; A's shows A's (the positive control). */
async function expectOwnEventsOnly(op: Operation): Promise<void> {
  const trigger = SUBSCRIPTION_TRIGGERS[op.name];
  expect(trigger, `add a trigger for subscription ${op.name} to SUBSCRIPTION_TRIGGERS in test/support/isolationCases.ts`).toBeDefined();
  const query = `subscription { ${op.name} ${selectionFor(op.field.type, 1)} }`;
  const [ofB, ofA] = await Promise.all([subscribe(platform.url, query, b.token), subscribe(platform.url, query, a.token)]);
  try {
    const nextOfB = ofB.sub.next(5000).then((event) => JSON.stringify(event));
    const nextOfA = ofA.sub.next(5000).then((event) => JSON.stringify(event));
    // No event says a subscription has reached its subgraph: give both a moment (graphql-ws has no acknowledgement).
    await new Promise((r) => setTimeout(r, 300));
    await trigger!.fire(platform, a.token, MARKER);
    expect(await nextOfA).toContain(trigger!.expect);
    // B's own event proves B's subscription is live; it must be the first thing B sees.
    await trigger!.fire(platform, b.token, "MARKER-B");
    const received = await nextOfB;
    expect(received).toContain(trigger!.expect);
    expect(received).not.toContain('"errors"');
    expect(leaks(received)).toEqual([]);
  } finally {
    await Promise.all([ofB.sub.close(), ofA.sub.close()]);
  }
}

describe("generated isolation suite: tenant B against tenant A", { timeout: 180_000 /* B's probes of deleteEntities: over 60 s */ }, () => {
  it("enumerates the API's operations", () => {
    expect(operations.length).toBeGreaterThan(40);
  });

  it.each(operations.map((o) => [`${o.kind} ${o.name}`, o] as const))("%s", async (_label, op) => {
    if (op.kind === "subscription" && !op.field.args.some((x) => isNonNullType(x.type))) {
      await expectOwnEventsOnly(op);
      before = await snapshotOfA(); // A's own mutations above changed A's data
      proven.add(op.name);
      return;
    }
    const valid = validCaseFor(op);
    expect(valid, `no valid input for ${op.name}: add one to VALID_CASES in test/support/isolationCases.ts`).toBeDefined();
    const prepared = (await valid!.prepare?.(ctx)) ?? {};
    if (valid!.prepare) before = await snapshotOfA(); // the throwaway is A's too
    // B first, with valid input: A's positive control may consume what B aimed at (a token, a mapping to approve).
    const ofB = valid!.variables(ctx, "b", prepared);
    const answersOfB: unknown[] = [];
    if (op.kind === "subscription") {
      await expectSubscriptionRefused(op, ofB);
      for (const variables of argumentVariants(op)) await expectSubscriptionRefused(op, variables);
    } else {
      answersOfB.push(await expectNothingOfA(op, ofB, REFUSALS));
      for (const variables of argumentVariants(op)) answersOfB.push(await expectNothingOfA(op, variables, PROBE_ANSWERS));
    }
    if (op.kind === "mutation") expect(differences(before, await snapshotOfA()), `${op.name} by B changed A's data`).toEqual([]);
    const forA = valid!.variables(ctx, "a", prepared);
    const answerOfA = await expectReachesService(op, forA, valid!.control === "operator" ? platform.operatorToken : a.token);
    const shows = (json: string) => leaks(json, sentStrings(forA));
    if (op.kind === "query") shownToA.set(op.name, expectShowsA(op.name, answerOfA, answersOfB, shows, seeds));
    if (op.kind === "mutation") before = await snapshotOfA(); // A's positive control changed A's data
    proven.add(op.name);
  });

  it("proves every operation with valid input: A's call reached the service, B's was refused or saw nothing", () => {
    const missing = operations.filter((o) => !proven.has(o.name)).map((o) => o.name);
    const domain = [...byDomainError].map(([name, code]) => `${name} ${code}`).join(", ");
    console.info(
      `isolation suite: ${proven.size} of ${operations.length} operations proven with valid input (by a domain error: ${domain || "none"})`,
    );
    expect(missing).toEqual([]);
  });

  it("proves every read non-vacuously: A's own answer showed A's data (ids, markers, or a comparison by value)", () => {
    const reads = operations.filter((o) => o.kind === "query").map((o) => o.name);
    const byValue = reads.filter((name) => shownToA.get(name) === "value");
    console.log(
      `isolation suite: ${reads.filter((name) => shownToA.has(name)).length} of ${reads.length} reads proven non-vacuously (by value: ${byValue.join(", ")})`,
    );
    expect(reads.filter((name) => !shownToA.has(name))).toEqual([]);
  });

  it("positive control: the generated reads do show B its own data", async () => {
    await gql(platform.url, `mutation { createPeople(input: [{ name: "MARKER-B-person" }]) { people { id } } }`, {}, { token: b.token });
    for (const name of ["people", "peopleConnection"]) {
      const op = operations.find((o) => o.name === name)!;
      const res = await gql(platform.url, document(op, {}), {}, { token: b.token });
      expect(JSON.stringify(res.data), name).toContain("MARKER-B-person");
    }
  });

  it("left no trace of B in A's audit log", async () => {
    const res = await gql(platform.url, `{ auditEvents(first: 100) { nodes { tenantId actor { userId } } } }`, {}, { token: a.token });
    const events = res.data?.auditEvents.nodes as Array<{ tenantId: string; actor: { userId: string | null } }>;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.tenantId === a.id)).toBe(true);
    expect(events.map((e) => e.actor.userId)).not.toContain(b.adminId);
  });
});
