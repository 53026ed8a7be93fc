/** Isolation cases of the billing operations (test/support/isolationCases.ts spreads them in). */
import { seedLiveUsage } from "./billingUsage.ts";
import { gql } from "./graphqlClient.ts";
import type { TestPlatform } from "./platform.ts";
import { expect } from "vitest";
import type { IsolationContext, ValidCase } from "./isolationCases.ts";
import type { ReadProof } from "./isolationReads.ts";

type Trigger = { fire(platform: TestPlatform, token: string, name: string): Promise<void>; expect: string };

const REASON = "isolation suite";

/**
 * Billing reads left out of A's snapshots: those that change on their own (CSV
 * usage, usage in the account, firsts in the funnel, alerts raised and
 * delivered by a job), and the operator's costReconciliation, which A may not read.
 */
export const BILLING_UNSNAPSHOTTED = ["usageCsv", "billingAccount", "onboardingFunnel", "billingAlerts", "costReconciliation"];
let counter = 0;
const unique = (who: string) => `${who}${Date.now().toString(36)}${(counter++).toString(36)}`;
const mutationIds = async (ctx: IsolationContext, query: string, pick: (data: any) => string) => pick(await ctx.asA(query));

/** Each tenant changes only its own account; ids of A's (invoices, overrides) are NOT_FOUND for B. */
export const BILLING_CASES: Record<string, ValidCase> = {
  // The platform's alone: the operator's answer (today's, so it includes A's usage) names A's tenant; B's admin is refused.
  costReconciliation: { control: "operator", variables: () => ({ day: new Date().toISOString().slice(0, 10) }) },
  changePlan: { variables: () => ({ plan: "ENTERPRISE" }) },
  setBudget: { variables: () => ({ input: { monthlyLimit: 1000 } }) },
  setBillingAlertChannels: { variables: (_, who) => ({ input: { emails: [`${who}-${unique(who)}@billing.test`] } }) },
  grantBillingOverride: {
    variables: () => ({
      input: { kind: "QUOTA", metric: "EXPORTS", until: new Date(Date.now() + 3_600_000).toISOString(), reason: REASON },
    }),
  },
  revokeBillingOverride: {
    prepare: async (ctx) => ({
      id: await mutationIds(
        ctx,
        `mutation { grantBillingOverride(input: { kind: BUDGET, until: "${new Date(Date.now() + 3_600_000).toISOString()}", reason: "${REASON}" }) { id } }`,
        (d) => d.grantBillingOverride.id,
      ),
    }),
    variables: (_, __, { id }) => ({ id }),
  },
  createInvoice: { variables: () => ({ period: new Date().toISOString().slice(0, 7) }) },
  invoice: {
    prepare: async (ctx) => ({
      id: await mutationIds(
        ctx,
        `mutation { createInvoice(period: "${new Date().toISOString().slice(0, 7)}") { id } }`,
        (d) => d.createInvoice.id,
      ),
    }),
    variables: (_, __, { id }) => ({ id }),
  },
};

export const BUDGET_ALERT_TRIGGER: Trigger = {
  expect: "BUDGET",
  // A budget of 1 cent and a usage charge above it: the 50/80/100 % alerts are raised for the firing tenant only.
  async fire(platform, token) {
    const budget = (limit: string) =>
      gql(platform.url, `mutation { setBudget(input: { monthlyLimit: ${limit} }) { monthlyLimit } }`, {}, { token });
    await budget("0.01");
    const account = await gql<{ billingAccount: { tenantId: string } }>(platform.url, `{ billingAccount { tenantId } }`, {}, { token });
    const tenantId = account.data!.billingAccount.tenantId;
    await seedLiveUsage(platform, tenantId, "EXPORTS", A_LITTLE_OVER);
    await platform.billing.alerts.evaluate(tenantId);
    await budget("null"); // so the tenant's expensive work is not stopped for the rest of the suite
  },
};

/** Exports one past ENTERPRISE's 5,000 included: $0.05 of charges, over a 1-cent budget and nowhere near the suite's $1,000 one. */
const A_LITTLE_OVER = 5001;

/**
 * A's billing data for the reads: an invoice, and a budget alert at a 10 %
 * threshold (the subscription trigger raises the default 50/80/100 % ones
 * later); the budget is removed again so A's expensive work is not stopped.
 */
export async function seedBillingOfA(platform: TestPlatform, tenantId: string, seed: (query: string) => Promise<unknown>) {
  await seed(`mutation { createInvoice(period: "${new Date().toISOString().slice(0, 7)}") { id } }`);
  await seed(`mutation { setBudget(input: { monthlyLimit: 0.01, thresholds: [10] }) { monthlyLimit } }`);
  await seedLiveUsage(platform, tenantId, "EXPORTS", A_LITTLE_OVER);
  expect(await platform.billing.alerts.evaluate(tenantId), "A's budget alert").toBe(1);
  await seed(`mutation { setBudget(input: { monthlyLimit: null }) { monthlyLimit } }`);
}

const csvColumnSum = (csv: string, column: string) => {
  const [header, ...rows] = csv.trim().split("\n");
  const at = header!.split(",").indexOf(column);
  return rows.reduce((n, row) => n + Number(row.split(",")[at]), 0);
};

/** Billing reads that hold no id of A's, proven by value. */
export const BILLING_READ_PROOFS: Record<string, ReadProof> = {
  plans: {
    noIds: "the plan catalogue, the same for every tenant: no tenant data at all",
    compare(ofA, ofB) {
      expect(ofA.map((p: { id: string }) => p.id)).toEqual(["FREE", "TEAM", "ENTERPRISE"]);
      expect(ofB).toEqual(ofA);
    },
  },
  usageCsv: {
    noIds: "per-day counts of the caller's tenant as CSV, no ids",
    compare(ofA, ofB, { usageMutations }) {
      expect(csvColumnSum(ofA.content, "mutations")).toBeGreaterThanOrEqual(usageMutations);
      expect(csvColumnSum(ofB.content, "mutations"), "B's usage counts A's mutations").toBeLessThan(usageMutations);
    },
  },
  invoice: {
    noIds: "one of A's invoices, read by the id A sent (an id the caller sent is no proof)",
    compare(ofA, ofB) {
      expect(ofA).toMatchObject({ planId: "ENTERPRISE", lines: expect.arrayContaining([expect.objectContaining({ metric: "PLAN_FEE" })]) });
      expect(ofB ?? null, "B read A's invoice").toBeNull();
    },
  },
  onboardingFunnel: {
    noIds: "the times of the caller's tenant's firsts, no ids",
    // A ingested, asked, reported and exported in its seeding; B (reads run before its mutations) has done none of it.
    compare(ofA, ofB) {
      const reached = (f: { steps: { step: string; at: string | null }[] }) => f.steps.filter((s) => s.at).map((s) => s.step);
      expect(reached(ofA)).toEqual(expect.arrayContaining(["CREATED", "FIRST_INGEST", "FIRST_REPORT", "FIRST_EXPORT"]));
      expect(reached(ofB), "B's funnel shows A's firsts").not.toContain("FIRST_EXPORT");
    },
  },
};
