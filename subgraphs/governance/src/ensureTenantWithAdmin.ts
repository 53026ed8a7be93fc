import type { Collection } from "mongodb";
import { isDuplicateKeyError, newId, validateInput, type Clock } from "@intelgraph/kit";
import type { TenantRecord, UserRecord } from "./governanceRecords.ts";
import { createUserInput, insertUser } from "./users.ts";

export interface EnsureTenantWithAdminOptions {
  tenant: { name: string; slug: string; region: string; plan: TenantRecord["plan"] };
  admin: { email: string; password: string; displayName?: string; platformAdmin?: boolean };
}

/**
 * Idempotent bootstrap used by the start command and tests, not the API:
 * ensures a tenant and an admin user exist, returns both.
 */
export async function ensureTenantWithAdmin(
  deps: { tenants: Collection<TenantRecord>; users: Collection<UserRecord>; now: Clock },
  options: EnsureTenantWithAdminOptions,
) {
  const { tenants, users, now } = deps;
  let tenant = await tenants.findOne({ slug: options.tenant.slug });
  if (!tenant) {
    tenant = { _id: newId(), ...options.tenant, createdAt: new Date(now()) };
    try {
      await tenants.insertOne(tenant);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      tenant = (await tenants.findOne({ slug: options.tenant.slug }))!;
    }
  }
  const email = options.admin.email.toLowerCase();
  let user = await users.findOne({ email });
  if (!user) {
    const input = validateInput(createUserInput, { ...options.admin, role: "ADMIN" });
    user = await insertUser(deps, input, tenant._id, options.admin.platformAdmin ?? false);
  }
  return { tenant, user };
}
