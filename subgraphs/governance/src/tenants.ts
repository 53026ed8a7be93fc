import type { Collection } from "mongodb";
import { z } from "zod";
import {
  appError,
  ErrorCode,
  isDuplicateKeyError,
  isSignedIn,
  newId,
  requirePerson,
  requireUser,
  validateInput,
  type AuditHints,
  type Clock,
  type Principal,
} from "@intelgraph/kit";
import { PLATFORM_ADMIN } from "@intelgraph/policies";
import type { TenantRecord } from "./governanceRecords.ts";

const createTenantInput = z.object({
  name: z.string().trim().min(2, "at least 2 characters").max(100),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "lower-case letters, digits and dashes, 1–40 characters")
    .optional()
    .nullable(),
  region: z
    .string()
    .trim()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "a region such as eu-west-1 or us-east-2"),
  legalEntity: z.string().trim().min(2, "at least 2 characters").max(200).nullish(),
  plan: z.enum(["FREE", "TEAM", "ENTERPRISE"]),
});

const slugify = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40) || "tenant";

export interface TenantsDeps {
  tenants: Collection<TenantRecord>;
  now: Clock;
}

/** Creating tenants and reading them: the caller's own, or any for platform admins. */
export function createTenants({ tenants, now }: TenantsDeps) {
  return {
    async createTenant(principal: Principal, args: { input: unknown }, hints: AuditHints): Promise<TenantRecord> {
      // Who may create tenants is policy (tenants:create); tokens never may.
      requirePerson(principal, "create tenants");
      const input = validateInput(createTenantInput, args.input);
      const tenant: TenantRecord = {
        _id: newId(),
        name: input.name,
        slug: input.slug ?? slugify(input.name),
        region: input.region,
        legalEntity: input.legalEntity ?? null,
        plan: input.plan,
        createdAt: new Date(now()),
      };
      try {
        await tenants.insertOne(tenant);
      } catch (error) {
        if (isDuplicateKeyError(error)) {
          throw appError(ErrorCode.CONFLICT, `The slug "${tenant.slug}" is taken. Pass another \`slug\`.`, { field: "slug" });
        }
        throw error;
      }
      hints.targetIds = [tenant._id];
      return tenant;
    },

    /** Internal (no caller check): a tenant by id, for limits. */
    tenantRecord(tenantId: string) {
      return tenants.findOne({ _id: tenantId });
    },

    async myTenant(principal: Principal) {
      if (!isSignedIn(principal)) return null;
      return tenants.findOne({ _id: principal.tenantId });
    },

    /** Tenant lookup for entity resolution; only the caller's own tenant (or any, for platform admins). */
    async tenantById(principal: Principal, { id }: { id: string }) {
      const caller = requireUser(principal);
      if (id !== caller.tenantId && !caller.roles.includes(PLATFORM_ADMIN)) return null;
      return tenants.findOne({ _id: id });
    },
  };
}
