import { z } from "zod";
import { requireUser, validateInput, type Clock, type Principal, type TenantRepository } from "@intelgraph/kit";

/** No tenant may keep its audit log for less than this (the platform's policy). */
export const AUDIT_MIN_RETENTION_DAYS = 365;
export const AUDIT_RETENTION_POLICY_ID = "audit-retention/min-365d/v1";

export const AUDIT_RETENTION = "audit_retention";

export interface RetentionSetting {
  _id: string;
  tenantId: string;
  days: number;
  setBy: string;
  setAt: Date;
  reason: string;
}

const retentionInput = z.object({
  days: z
    .number()
    .int()
    .max(36_500, "at most 100 years")
    .refine((d) => d >= AUDIT_MIN_RETENTION_DAYS, {
      message: `the audit log must be kept at least ${AUDIT_MIN_RETENTION_DAYS} days (policy ${AUDIT_RETENTION_POLICY_ID})`,
    }),
  reason: z.string().trim().min(3, "say why (at least 3 characters)").max(500),
});

export interface AuditRetentionDeps {
  retention: TenantRepository<RetentionSetting>;
  now: Clock;
}

/** How long a tenant keeps its audit log (never below the policy minimum); the trim (auditTrim.ts) applies it. */
export function createAuditRetention({ retention, now }: AuditRetentionDeps) {
  return {
    async retentionOf(principal: Principal): Promise<RetentionSetting | null> {
      const caller = requireUser(principal);
      return retention.forTenant(caller.tenantId).findOne({ _id: caller.tenantId });
    },

    async setRetention(principal: Principal, args: { input: unknown }): Promise<RetentionSetting> {
      const caller = requireUser(principal);
      const input = validateInput(retentionInput, args.input);
      const setting = await retention
        .forTenant(caller.tenantId)
        .findOneAndUpdate(
          { _id: caller.tenantId },
          { $set: { days: input.days, reason: input.reason, setBy: caller.userId, setAt: new Date(now()) } },
          { upsert: true },
        );
      return setting!;
    },
  };
}
