import type { Db } from "mongodb";

/** The governance users collection, read here (never written) so services can re-check a stored grant. */
const USERS = "governance_users";

interface UserRecord {
  _id: string;
  tenantId: string;
  role: string;
  platformAdmin?: boolean;
  active?: boolean;
}

export type CurrentRoles = { ok: true; roles: string[] } | { ok: false; reason: "gone" | "inactive" };

/**
 * A user's roles as they are now, the way the API-token verifier reads them
 * (role, plus PLATFORM_ADMIN for platform admins): for work done later on a
 * person's behalf (a playbook schedule, a share link), so it never outlives
 * their rights. `gone` when the user no longer exists in the tenant,
 * `inactive` when disabled.
 */
export async function readCurrentRoles(db: Db, tenantId: string, userId: string): Promise<CurrentRoles> {
  const user = await db.collection<UserRecord>(USERS).findOne({ _id: userId, tenantId });
  if (!user) return { ok: false, reason: "gone" };
  if (user.active === false) return { ok: false, reason: "inactive" };
  return { ok: true, roles: user.platformAdmin ? [user.role, "PLATFORM_ADMIN"] : [user.role] };
}
