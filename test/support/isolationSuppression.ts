/**
 * Isolation cases of the suppression rules (spread into isolationIntel.ts), and
 * the helpers test/integration/suppression*.test.ts share with them: STIX
 * indicators ingested for a tenant, and rule calls.
 */
import { expect } from "vitest";
import { randomUUID } from "node:crypto";
import { codes, gql } from "./graphqlClient.ts";
import { approveMapping, createMapping, waitForJob } from "./ingest.ts";
import type { IsolationContext, ValidCase } from "./isolationCases.ts";
import type { ReadProof } from "./isolationReads.ts";
import type { TestPlatform, TestTenant } from "./platform.ts";

export const stixIndicator = (pattern: string) => ({
  type: "indicator",
  spec_version: "2.1",
  id: `indicator--${randomUUID()}`,
  created: "2026-11-01T00:00:00.000Z",
  modified: "2026-11-01T00:00:00.000Z",
  pattern,
  pattern_type: "stix",
  valid_from: "2026-11-01T00:00:00.000Z",
});

export const ipv4 = (v: string) => `[ipv4-addr:value = '${v}']`;
export const domain = (v: string) => `[domain-name:value = '${v}']`;

/** Ingests the patterns as STIX indicators from `source` (a STIX mapping per tenant, made once) and waits for the job. */
export async function ingestIndicators(platform: TestPlatform, tenant: TestTenant, source: string, patterns: string[]) {
  const mappingId = await stixMapping(platform, tenant);
  const job = await gql<{ ingestRecords: { id: string } }>(
    platform.url,
    `mutation($input: IngestRecordsInput!) { ingestRecords(input: $input) { id } }`,
    { input: { mappingId, source, records: patterns.map(stixIndicator) } },
    { token: tenant.token },
  );
  if (!job.data) throw new Error(`ingestRecords: ${JSON.stringify(job.errors)}`);
  const done = await waitForJob(platform.url, tenant.token, job.data.ingestRecords.id);
  if (done.state !== "SUCCEEDED" || done.totals["recordsWritten"] !== patterns.length)
    throw new Error(`ingest ${done.state}: ${JSON.stringify(done)}`);
}

const mappings = new Map<string, Promise<string>>();
function stixMapping(platform: TestPlatform, tenant: TestTenant) {
  let id = mappings.get(tenant.id);
  if (!id) {
    id = createMapping(platform.url, tenant.token, "stix feed", "STIX", null).then(async (m) => {
      await approveMapping(platform.url, tenant.token, m);
      return m;
    });
    mappings.set(tenant.id, id);
  }
  return id;
}

export const RULE_FIELDS = "id name enabled match { types sources scoreBelow patternRegex allowLists } suppressedCount createdBy";

export async function call<T = Record<string, any>>(platform: TestPlatform, token: string, query: string, variables = {}) {
  return gql<T>(platform.url, query, variables, { token });
}

export async function createRule(platform: TestPlatform, token: string, input: Record<string, unknown>) {
  const res = await call(
    platform,
    token,
    `mutation($input: CreateSuppressionRuleInput!) { createSuppressionRule(input: $input) { ${RULE_FIELDS} } }`,
    {
      input,
    },
  );
  if (!res.data) throw new Error(`createSuppressionRule: ${JSON.stringify(res.errors)}`);
  return res.data["createSuppressionRule"] as { id: string; suppressedCount: number; enabled: boolean };
}

export { codes };

let counter = 0;
const unique = (who: string) => `${who}-${Date.now().toString(36)}${(counter++).toString(36)}`;

/** A rule of A's hiding private addresses, and (for the reads) one of A's indicators it matches. */
async function ruleOfA(ctx: IsolationContext, options: { enabled?: boolean; indicator?: boolean } = {}) {
  let indicator: string | undefined;
  if (options.indicator) {
    const made = await ctx.asA(`mutation($input: [IndicatorCreateInput!]!) { createIndicators(input: $input) { indicators { id } } }`, {
      input: [{ pattern: ipv4(`10.9.${counter++ % 250}.${Math.floor(Math.random() * 250)}`), kind: "stix" }],
    });
    indicator = made.createIndicators.indicators[0].id as string;
  }
  const rule = await ctx.asA(`mutation($input: CreateSuppressionRuleInput!) { createSuppressionRule(input: $input) { id } }`, {
    input: { name: unique("a-rule"), enabled: options.enabled ?? false, match: { allowLists: ["PRIVATE_RANGES"] } },
  });
  return { id: rule.createSuppressionRule.id as string, ...(indicator ? { indicator } : {}) };
}

/** Suppression rules: B lists, dry-runs, changes and deletes none of A's (NOT_FOUND), and sees none of A's suppressed indicators. */
export const SUPPRESSION_CASES: Record<string, ValidCase> = {
  // A's answer lists A's rule; B's lists B's own rules only.
  suppressionRules: { prepare: async (ctx) => ruleOfA(ctx), variables: () => ({}) },
  // A's dry run of A's rule samples A's indicator; B's is NOT_FOUND.
  dryRunSuppressionRule: {
    prepare: async (ctx) => ruleOfA(ctx, { indicator: true }),
    variables: (_, __, { id }) => ({ id, sampleSize: 500 }),
  },
  // A's enabled rule hides A's indicator: A's explicit list shows it, B's shows none of A's.
  suppressedIndicators: {
    prepare: async (ctx) => ruleOfA(ctx, { enabled: true, indicator: true }),
    variables: () => ({ limit: 500 }),
  },
  createSuppressionRule: {
    variables: (_, who) => ({ input: { name: unique(who), match: { allowLists: ["DOCUMENTATION_RANGES"] } } }),
  },
  updateSuppressionRule: {
    prepare: async (ctx) => ruleOfA(ctx),
    variables: (_, who, { id }) => ({ id, input: { name: unique(`${who}-renamed`) } }),
  },
  deleteSuppressionRule: { prepare: async (ctx) => ruleOfA(ctx), variables: (_, __, { id }) => ({ id }) },
};

/** The suppression reads whose answers hold only ids the case itself made for A (not the suite's seeds): compared by value. */
export const SUPPRESSION_READ_PROOFS: Record<string, ReadProof> = {
  dryRunSuppressionRule: {
    noIds: "the dry run of the rule A named: its ids are that rule's and the indicator the case made for it",
    compare(ofA, ofB) {
      expect(ofA).toMatchObject({ wouldHide: expect.any(Number), sample: expect.any(Array) });
      expect(ofA.wouldHide).toBeGreaterThan(0);
      expect(ofB ?? null, "B dry-ran A's rule").toBeNull();
    },
  },
  suppressedIndicators: {
    noIds: "A's indicators hidden by A's rule, both made by the case",
    compare(ofA, ofB) {
      const ofAIds = (ofA.nodes as Array<{ id: string; suppressedByName: string }>).map((n) => n.id);
      expect(ofAIds.length).toBeGreaterThan(0);
      expect(ofB?.nodes.map((n: { id: string }) => n.id) ?? []).not.toEqual(expect.arrayContaining([ofAIds[0]]));
    },
  },
};
