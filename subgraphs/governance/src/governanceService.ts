import type { Db } from "mongodb";
import { systemClock, type Clock, type SessionKeyring } from "@intelgraph/kit";
import { ensureTenantWithAdmin, type EnsureTenantWithAdminOptions } from "./ensureTenantWithAdmin.ts";
import { TENANTS, USERS, type TenantRecord, type UserRecord } from "./governanceRecords.ts";
import { createRefreshTokenStore } from "./refreshTokens.ts";
import { createSessions } from "./sessions.ts";
import { createTenantLimitOverrides } from "./tenantLimitOverrides.ts";
import { createTenants } from "./tenants.ts";
import { createUserClearance } from "./userClearance.ts";
import { createUsers } from "./users.ts";

export interface GovernanceServiceOptions {
  db: Db;
  /** Signs session tokens with its active key. */
  sessionKeys: SessionKeyring;
  /**
   * Session lifetime in seconds.
   * @default 3600
   */
  sessionTtlSeconds?: number;
  /**
   * The clock (ms since the epoch) for record stamps, sessions and refresh tokens.
   * @default systemClock
   */
  now?: Clock;
}

/**
 * Tenants, users and sign-in. Each concern is its own file (tenants.ts,
 * users.ts, userClearance.ts, sessions.ts, tenantLimitOverrides.ts); this composes them over
 * the shared collections.
 */
export function createGovernanceService({ db, sessionKeys, sessionTtlSeconds = 3600, now = systemClock }: GovernanceServiceOptions) {
  const tenants = db.collection<TenantRecord>(TENANTS);
  // Users are looked up by e-mail before anyone is signed in (login), so this
  // collection is read through explicit tenant filters rather than the scoped repository.
  const users = db.collection<UserRecord>(USERS);
  const refreshTokens = createRefreshTokenStore(db, { now });
  const deps = { tenants, users, refreshTokens, sessionKeys, sessionTtlSeconds, now };

  return {
    /** For the user import, which shares the collection and its rules. */
    users,
    refreshTokens,
    async ensureIndexes() {
      await refreshTokens.ensureIndexes();
      await tenants.createIndex({ slug: 1 }, { unique: true, name: "slug_unique" });
      await users.createIndex({ email: 1 }, { unique: true, name: "email_unique" });
      await users.createIndex({ tenantId: 1 }, { name: "tenant" });
    },
    ...createTenants(deps),
    ...createTenantLimitOverrides(deps),
    ...createUsers(deps),
    ...createUserClearance(deps),
    ...createSessions(deps),
    ensureTenantWithAdmin: (options: EnsureTenantWithAdminOptions) => ensureTenantWithAdmin(deps, options),
  };
}

export type GovernanceService = ReturnType<typeof createGovernanceService>;
