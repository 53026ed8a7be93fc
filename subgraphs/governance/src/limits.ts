import type { Db } from "mongodb";
import { z } from "zod";
import { createTtlCache } from "@intelgraph/kit";

export type Plan = "FREE" | "TEAM" | "ENTERPRISE";

export interface TenantLimits {
  /** Sustained requests per second (token bucket refill). */
  ratePerSecond: number;
  /** Requests allowed at once before the rate applies (bucket size). */
  burst: number;
  /** Long jobs (imports, ingests, exports) running at the same time. */
  concurrentJobs: number;
}

/** What each plan includes. The gateway's rate limits and the job slots read these. */
export const PLAN_LIMITS: Readonly<Record<Plan, TenantLimits>> = {
  FREE: { ratePerSecond: 10, burst: 20, concurrentJobs: 1 },
  TEAM: { ratePerSecond: 50, burst: 100, concurrentJobs: 3 },
  ENTERPRISE: { ratePerSecond: 200, burst: 400, concurrentJobs: 10 },
};

/** A platform admin's override of some of a tenant's plan limits, with why and who. */
export interface LimitsOverride extends Partial<TenantLimits> {
  reason: string;
  setBy: string;
  setAt: Date;
}

/** Omitted (or null) fields keep the plan's value; all omitted removes the override. */
export const limitsOverrideInput = z.object({
  ratePerSecond: z.number().int().min(1, "at least 1").max(10_000, "at most 10000").nullish(),
  burst: z.number().int().min(1, "at least 1").max(100_000, "at most 100000").nullish(),
  concurrentJobs: z.number().int().min(1, "at least 1").max(100, "at most 100").nullish(),
  reason: z.string().trim().min(3, "say why (at least 3 characters)").max(500),
});

/** The plan's limits with the override (if any) applied. */
export function effectiveLimits(tenant: { plan: Plan; limits?: LimitsOverride | null }): TenantLimits & { overridden: boolean } {
  const base = PLAN_LIMITS[tenant.plan] ?? PLAN_LIMITS.FREE;
  const o = tenant.limits;
  return {
    ratePerSecond: o?.ratePerSecond ?? base.ratePerSecond,
    burst: o?.burst ?? base.burst,
    concurrentJobs: o?.concurrentJobs ?? base.concurrentJobs,
    overridden: Boolean(o),
  };
}

/**
 * Reads a tenant's effective limits for the gateway, cached for `ttlMs`
 * (default 5 s) so a request costs no extra query; a changed limit applies
 * within that time. Unknown tenants get the FREE plan's limits.
 */
export function createTenantLimitsReader(db: Db, options: { ttlMs?: number; maxEntries?: number } = {}) {
  const tenants = db.collection<{ _id: string; plan: Plan; limits?: LimitsOverride | null }>("governance_tenants");
  const cache = createTtlCache(
    async (tenantId): Promise<TenantLimits> => {
      const tenant = await tenants.findOne({ _id: tenantId }, { projection: { plan: 1, limits: 1 } });
      return effectiveLimits(tenant ?? { plan: "FREE" });
    },
    { ttlMs: options.ttlMs ?? 5000, ...(options.maxEntries ? { maxEntries: options.maxEntries } : {}) },
  );
  return (tenantId: string): Promise<TenantLimits> => cache.get(tenantId);
}

export type TenantLimitsReader = ReturnType<typeof createTenantLimitsReader>;
