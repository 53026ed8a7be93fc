import type { AllInOnePlatform } from "@intelgraph/gateway";

/**
 * Sets today's `metric` of a tenant to `quantity` in the live totals, as a
 * writer of its own ("seed"), and drops the guard's cache so quotas and
 * budgets see it at once: how tests put a tenant near or over a limit
 * without making thousands of requests.
 */
export async function seedLiveUsage(platform: AllInOnePlatform, tenantId: string, metric: string, quantity: number): Promise<void> {
  const day = new Date().toISOString().slice(0, 10);
  await platform.stores.mongo.db
    .collection<{ _id: string }>("billing_usage_live")
    .updateOne(
      { _id: `${tenantId}|${day}|seed` },
      { $set: { [`q.${metric}`]: quantity }, $setOnInsert: { tenantId, day, writer: "seed" } },
      { upsert: true },
    );
  platform.billing.guard.invalidate(tenantId);
}
