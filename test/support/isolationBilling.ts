/** Isolation cases of the billing operations (test/support/isolationCases.ts spreads them in). */
import { gql } from "./graphqlClient.ts";
import type { TestPlatform } from "./platform.ts";
import type { IsolationContext, ValidCase } from "./isolationCases.ts";

type Trigger = { fire(platform: TestPlatform, token: string, name: string): Promise<void>; expect: string };

const REASON = "isolation suite";
let counter = 0;
const unique = (who: string) => `${who}${Date.now().toString(36)}${(counter++).toString(36)}`;
const mutationIds = async (ctx: IsolationContext, query: string, pick: (data: any) => string) => pick(await ctx.asA(query));

/** Each tenant changes only its own account; ids of A's (invoices, overrides) are NOT_FOUND for B. */
export const BILLING_CASES: Record<string, ValidCase> = {
  changePlan: { variables: () => ({ plan: "TEAM" }) },
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
    await gql(platform.url, `mutation { setBudget(input: { monthlyLimit: 0.01 }) { monthlyLimit } }`, {}, { token });
    const account = await gql<{ billingAccount: { tenantId: string } }>(platform.url, `{ billingAccount { tenantId } }`, {}, { token });
    const tenantId = account.data!.billingAccount.tenantId;
    const day = new Date().toISOString().slice(0, 10);
    await platform.stores.mongo.db
      .collection("billing_usage_live")
      .updateOne(
        { _id: `${tenantId}|${day}|EXPORTS|isolation` as never },
        { $set: { tenantId, day, metric: "EXPORTS", writer: "isolation", quantity: 1_000_000 } },
        { upsert: true },
      );
    await platform.billing.alerts.evaluate(tenantId);
  },
};
