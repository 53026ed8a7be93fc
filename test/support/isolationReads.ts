/**
 * What makes the isolation suite's reads prove something
 * (test/integration/isolationSuite.test.ts): B seeing nothing of A's means
 * nothing when A's own answer holds nothing of A's either. So A gets real data
 * for every read that would otherwise answer empty or with defaults (a legal
 * hold, a soft-deleted entity, a purge and an audit trim record, an anchor,
 * retention settings, token alert rules and an alert, an approved type), and
 * each read's positive control must show one of A's ids or markers — except
 * the reads listed in READ_PROOFS as exceptions, whose answers hold no ids at
 * all and are compared by value instead.
 */
import { expect } from "vitest";
import { auditAnchorKeysOf } from "@intelgraph/gateway";
import { createChainService } from "@intelgraph/subgraph-audit";
import { gql } from "./graphqlClient.ts";
import type { IsolationContext } from "./isolationCases.ts";
import type { TestPlatform } from "./platform.ts";
import { createTestLogger } from "./testLogger.ts";
import { BILLING_READ_PROOFS, seedBillingOfA } from "./isolationBilling.ts";
import { CONNECTOR_READ_PROOFS } from "./isolationConnectors.ts";
import { INTEL_READ_PROOFS } from "./isolationIntel.ts";
import { PLAYBOOK_READ_PROOFS } from "./isolationPlaybooks.ts";

/** Strings only A's data holds (besides A's ids): the seeded names, and the relationship type A approved. */
export const A_MARKERS = ["MARKER-A", "MARKER_A_KNOWS"];

/** A's distinctive settings; B's defaults (deniedBurst 10, dormantDays 30, no retention) differ from every one. */
const A_RULES = { deniedBurst: 7, dormantDays: 45 };
const A_AUDIT_DAYS = 400;
const A_GRACE_DAYS = 21;
const A_RETENTION_RULES = [{ olderThanDays: 3333 }];
const REASON = "isolation suite: A's own data for the reads";
const DAY_MS = 86_400_000;

/** What the seeding measured, for the comparisons by value. */
export interface ReadSeeds {
  /** The last position of A's chain that the trim removed: A's kept chain starts after it, from the retention anchor. */
  auditCut: number;
  /** A's mutations counted by the usage meter once the seeding was done. */
  usageMutations: number;
}

type Seed = (query: string, variables?: Record<string, unknown>) => Promise<any>;

/**
 * A real trim of A's audit log. Through the API none is possible today (nothing
 * is a year old); the chain service with a clock 401 days ahead trims as the
 * service would then (as test/integration/auditChain.test.ts does), behind a
 * signed retention anchor. Runs first, so the rest of the seeding stays in A's log.
 */
export async function trimAuditLogOfA(platform: TestPlatform, ctx: IsolationContext, ids: Set<string>): Promise<number> {
  await ctx.asA(`mutation($input: SetAuditRetentionInput!) { setAuditRetention(input: $input) { days } }`, {
    input: { days: A_AUDIT_DAYS, reason: REASON },
  });
  const chain = createChainService({
    db: platform.stores.mongo.db,
    logger: createTestLogger("isosuite-trim"),
    anchorKeys: auditAnchorKeysOf(platform.config),
    now: () => Date.now() + (A_AUDIT_DAYS + 1) * DAY_MS,
  });
  const principal = { kind: "user" as const, tenantId: ctx.a.id, userId: ctx.a.adminId, roles: ["ADMIN"], scopes: [] };
  const { trim, upToSeq } = await chain.trim(principal, { dryRun: false });
  expect(trim, "the trim of A's audit log wrote a record").toBeTruthy();
  ids.add(trim!._id);
  return upToSeq;
}

/** Everything else, through the API as A's admin; entities of its own, so no other case's entity is held or removed. */
export async function seedReadsOfA(platform: TestPlatform, ctx: IsolationContext, seed: Seed): Promise<void> {
  // An approved type beyond the built-in model (a relationship: it adds no constraint to the shared Neo4j).
  const person = (as: string, from: string) => ({ as, type: "Person", key: ["name"], properties: { name: from } });
  const spec = { entities: [person("p", "name"), person("q", "knows")], relationships: [{ type: "MARKER_A_KNOWS", from: "p", to: "q" }] };
  const mapping = await seed(`mutation($input: CreateIngestMappingInput!) { createIngestMapping(input: $input) { id } }`, {
    input: { name: "MARKER-A-knows", format: "NDJSON", spec },
  });
  await seed(`mutation { approveIngestMapping(id: "${mapping.createIngestMapping.id}", reason: "${REASON}") { id } }`);

  // A hold on one person; a purge (grace 0 first) of a second; a third left soft-deleted; then distinctive retention.
  const people = await seed(
    `mutation { createPeople(input: [{ name: "MARKER-A-held" }, { name: "MARKER-A-purged" }, { name: "MARKER-A-deleted" }]) { people { id name } } }`,
  );
  const idOf = (name: string) => people.createPeople.people.find((p: { name: string }) => p.name === `MARKER-A-${name}`).id as string;
  await seed(
    `mutation { placeLegalHold(input: { name: "MARKER-A-hold", reason: "${REASON}", selector: { ids: ["${idOf("held")}"] } }) { id } }`,
  );
  const retention = `mutation($input: SetGraphRetentionInput!) { setGraphRetention(input: $input) { graceDays } }`;
  await seed(retention, { input: { rules: A_RETENTION_RULES, graceDays: 0, reason: REASON } });
  const remove = (name: string) =>
    seed(`mutation { deleteEntities(input: { selector: { ids: ["${idOf(name)}"] }, reason: "${REASON}" }) { deleted } }`);
  await remove("purged");
  const purged = await seed(`mutation { purgeDeletedEntities(dryRun: false) { entities record { id } } }`);
  expect(purged.purgeDeletedEntities, "A's purge wrote a record").toMatchObject({ entities: 1, record: { id: expect.any(String) } });
  await remove("deleted");
  await seed(retention, { input: { rules: A_RETENTION_RULES, graceDays: A_GRACE_DAYS, reason: REASON } });

  // Token alert rules of A's own, and a NEW_IP alert: an API token of A's used from a second address.
  await seed(
    `mutation { setTokenAlertRules(input: { deniedBurst: ${A_RULES.deniedBurst}, dormantDays: ${A_RULES.dormantDays} }) { updatedBy } }`,
  );
  const created = await seed(
    `mutation { createApiToken(input: { name: "MARKER-A-alerting", scopes: ["graph:read"] }) { token apiToken { id } } }`,
  );
  const { token, apiToken } = created.createApiToken;
  for (const from of ["127.0.0.1", "127.0.0.2"])
    expect((await gql(platform.url, `{ people(limit: 1) { id } }`, {}, { token, from })).errors).toBeUndefined();
  // Raised off the response path: it arrives shortly after (expect.poll is for tests, not hooks).
  const alerts = async () => (await seed(`{ tokenAlerts(tokenId: "${apiToken.id}") { id rule userId } }`)).tokenAlerts;
  for (let i = 0; i < 50 && !(await alerts()).length; i++) await new Promise((r) => setTimeout(r, 100));
  expect(await alerts(), "A's token raised NEW_IP").toMatchObject([{ rule: "NEW_IP", userId: ctx.a.adminId }]);

  // A's askGraph threshold (updatedBy is A's admin).
  await seed(`mutation { setTenantAskSettings(input: { confidenceThreshold: 0.85 }) { updatedBy } }`);

  // A's report branding (its name holds the marker; it is also updated by A's admin).
  await seed(`mutation { setReportBranding(input: { name: "MARKER-A-brand", footer: "MARKER-A" }) { name } }`);

  // An invoice and a budget alert of A's (isolationBilling.ts).
  await seedBillingOfA(platform, ctx.a.id, seed);
  // One of each STIX domain object type and a STIX report, for their generated reads.
  await seed(`mutation {
    ${["ThreatActors", "IntrusionSets", "Campaigns", "Malwares", "Tools", "AttackPatterns", "Vulnerabilities", "ThreatReports"]
      .map((plural) => `create${plural}(input: [{ name: "MARKER-A-${plural}" }]) { info { nodesCreated } }`)
      .join(" ")}
  }`);

  // A manual anchor of A's chain (its id names A's tenant).
  expect((await ctx.asA(`mutation { anchorAuditChain { id } }`)).anchorAuditChain.id).toContain(ctx.a.id);
}

/** A's mutations as the usage meter counts them, once what is pending is written. */
export async function usageMutationsOf(platform: TestPlatform, ctx: IsolationContext): Promise<number> {
  await platform.usage.flush();
  return mutationsIn((await ctx.asA(`{ usage { mutations } }`)).usage);
}

const mutationsIn = (days: Array<{ mutations: number }>) => days.reduce((n, d) => n + d.mutations, 0);

export interface ReadProof {
  /** Set for the exceptions: why A's answer can hold no id or marker of A's, however much A has. */
  noIds?: string;
  /** Fails unless A's answer (the read's field) shows A's data and B's answer is not it. */
  compare(ofA: any, ofB: any, seeds: ReadSeeds): void;
}

/** Reads compared by value: the exceptions to "A's answer holds A's ids", and settings whose values are A's too. */
export const READ_PROOFS: Record<string, ReadProof> = {
  ...BILLING_READ_PROOFS,
  ...CONNECTOR_READ_PROOFS,
  ...PLAYBOOK_READ_PROOFS,
  ...INTEL_READ_PROOFS,
  validateReport: {
    noIds: "a verdict on one of A's reports (valid, no broken links), no ids",
    // A's published report validates; B is refused (NOT_FOUND), so it has no verdict at all.
    compare(ofA, ofB) {
      expect(ofA).toMatchObject({ valid: true, broken: [] });
      expect(ofB ?? null, "B got a verdict on A's report").toBeNull();
    },
  },
  usage: {
    noIds: "per-day operation counts of the caller's tenant, no ids",
    // B has made no mutation yet (the reads run first); A's seeding made dozens.
    compare(ofA, ofB, { usageMutations }) {
      expect(usageMutations, "A's seeding was metered").toBeGreaterThan(10);
      expect(mutationsIn(ofA)).toBeGreaterThanOrEqual(usageMutations);
      expect(mutationsIn(ofB), "B's usage counts A's mutations").toBeLessThan(usageMutations);
    },
  },
  verifyAuditChain: {
    noIds: "a report of positions and counts, no ids",
    // A's kept chain starts at the signed anchor of its trim; B's was never trimmed, so it starts at its genesis (or is empty).
    compare(ofA, ofB, { auditCut }) {
      expect(ofA).toMatchObject({ ok: true, startedFrom: "ANCHOR", fromSeq: auditCut + 1, firstBreak: null });
      expect(["GENESIS", "EMPTY"], `B's report is of a trimmed chain, A's: ${JSON.stringify(ofB)}`).toContain(ofB.startedFrom);
    },
  },
  // These hold A's admin's id (setBy, updatedBy) as well; their values are compared too.
  tokenAlertRules: {
    compare(ofA, ofB) {
      expect(ofA).toMatchObject(A_RULES);
      expect([ofB.deniedBurst, ofB.dormantDays], "B's rules are A's").not.toEqual([A_RULES.deniedBurst, A_RULES.dormantDays]);
    },
  },
  auditRetention: {
    compare(ofA, ofB) {
      expect(ofA).toMatchObject({ days: A_AUDIT_DAYS });
      expect(ofB?.days, "B's audit retention is A's").not.toBe(A_AUDIT_DAYS);
    },
  },
  graphRetention: {
    compare(ofA, ofB) {
      expect(ofA).toMatchObject({ graceDays: A_GRACE_DAYS, rules: [expect.objectContaining(A_RETENTION_RULES[0])] });
      expect(ofB?.graceDays, "B's graph retention is A's").not.toBe(A_GRACE_DAYS);
    },
  },
};

/**
 * A's answer to read `name` must show A's data, or B's seeing nothing of A's proves nothing: one of A's ids
 * or markers (`ofA`'s, found by `shown`) — or, for READ_PROOFS, its comparison by value, against each of B's answers.
 */
export function expectShowsA(
  name: string,
  ofA: unknown,
  answersOfB: unknown[],
  shown: (json: string) => string[],
  seeds: ReadSeeds,
): "ids" | "value" {
  const proof = READ_PROOFS[name];
  for (const ofB of answersOfB.filter((x) => x !== undefined)) proof?.compare(ofA, ofB, seeds);
  if (proof?.noIds) return "value";
  const json = JSON.stringify(ofA ?? null);
  const why = `positive control of ${name} shows nothing of A's (seed A's data for it in test/support/isolationReads.ts)`;
  expect(shown(json), `${why}: ${json.slice(0, 300)}`).not.toEqual([]);
  return "ids";
}
