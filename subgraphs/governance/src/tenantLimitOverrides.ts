import type { Collection } from "mongodb";
import { appError, ErrorCode, parseId, requirePerson, validateInput, type AuditHints, type Clock, type Principal } from "@intelgraph/kit";
import type { TenantRecord } from "./governanceRecords.ts";
import { effectiveLimits, limitsOverrideInput, type LimitsOverride } from "./limits.ts";

export interface TenantLimitOverridesDeps {
  tenants: Collection<TenantRecord>;
  now: Clock;
}

/** A platform admin's change to a tenant's plan limits (the plans themselves are in limits.ts). */
export function createTenantLimitOverrides({ tenants, now }: TenantLimitOverridesDeps) {
  return {
    /** Changes some of a tenant's plan limits (platform admins; audited with the reason). No limit given = back to the plan. */
    async setTenantLimits(principal: Principal, args: { tenantId: unknown; input: unknown }, hints: AuditHints): Promise<TenantRecord> {
      const caller = requirePerson(principal, "change tenant limits");
      const tenantId = parseId(args.tenantId, "tenantId");
      // Before validation, so a refused change is audited in the tenant it targeted.
      hints.tenantId = tenantId;
      hints.targetIds = [tenantId];
      const input = validateInput(limitsOverrideInput, args.input);
      const tenant = await tenants.findOne({ _id: tenantId });
      if (!tenant) throw appError(ErrorCode.NOT_FOUND, `No tenant with id ${tenantId}.`, { argument: "tenantId" });
      const { ratePerSecond, burst, concurrentJobs, reason } = input;
      const given = Object.entries({ ratePerSecond, burst, concurrentJobs }).filter(([, v]) => v != null);
      const limits: LimitsOverride | null = given.length
        ? { ...Object.fromEntries(given), reason, setBy: caller.userId, setAt: new Date(now()) }
        : null;
      if (limits) {
        const effective = effectiveLimits({ plan: tenant.plan, limits });
        if (effective.burst < effective.ratePerSecond) {
          throw appError(ErrorCode.BAD_USER_INPUT, "`burst` must be at least `ratePerSecond`, or no request could use the full rate.", {
            argument: "input.burst",
          });
        }
      }
      await tenants.updateOne({ _id: tenantId }, { $set: { limits } });
      return { ...tenant, limits };
    },
  };
}
