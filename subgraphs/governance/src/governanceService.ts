import type { Db } from "mongodb";
import { z } from "zod";
import {
  appError,
  ErrorCode,
  isDuplicateKeyError,
  isSignedIn,
  issueSessionToken,
  newId,
  parseId,
  requirePerson,
  requireUser,
  validateInput,
  type AuditHints,
  type Principal,
  type SessionKeyring,
} from "@intelgraph/kit";
import { PLATFORM_ADMIN, TENANT_ROLES } from "@intelgraph/policies";
import { effectiveLimits, limitsOverrideInput, type LimitsOverride } from "./limits.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { createRefreshTokenStore } from "./refreshTokens.ts";

export type Role = (typeof TENANT_ROLES)[number];

export interface TenantRecord {
  _id: string;
  name: string;
  slug: string;
  region: string;
  /** The legal entity that holds the tenant's data (residency label); the tenant's name when not given. */
  legalEntity?: string | null;
  plan: "FREE" | "TEAM" | "ENTERPRISE";
  /** A platform admin's change to the plan's limits, if any. */
  limits?: LimitsOverride | null;
  createdAt: Date;
}

/** Fields an import manages, and that a manual change pins against later imports. */
export type ManagedField = "role" | "displayName" | "active";

export interface FieldOverride {
  value: string | boolean | null;
  reason: string;
  setBy: string;
  setAt: Date;
}

export interface UserRecord {
  _id: string;
  tenantId: string;
  email: string;
  displayName: string | null;
  role: Role;
  platformAdmin: boolean;
  /** Null for users provisioned by an import until an admin sets a password. */
  passwordHash: string | null;
  /** Deactivated users cannot sign in, refresh, or use their API tokens. Missing = true. */
  active?: boolean;
  /** The identity provider's id, when imported. */
  externalId?: string | null;
  source?: "manual" | "import";
  /** Fields changed by hand, which imports leave alone until released. */
  overrides?: Partial<Record<ManagedField, FieldOverride>>;
  createdAt: Date;
}

export const isActive = (user: Pick<UserRecord, "active">) => user.active !== false;

const updateUserInput = z.object({
  role: z.enum(TENANT_ROLES).nullish(),
  displayName: z.string().trim().max(100).nullish(),
  active: z.boolean().nullish(),
  reason: z.string().trim().min(3, "say why (at least 3 characters)").max(500),
  releaseOverrides: z.array(z.enum(["ROLE", "DISPLAY_NAME", "ACTIVE"])).nullish(),
});

const FIELD_OF = { ROLE: "role", DISPLAY_NAME: "displayName", ACTIVE: "active" } as const;

export const TENANTS = "governance_tenants";
export const USERS = "governance_users";

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

const createUserInput = z.object({
  email: z.email("a valid e-mail address").transform((e) => e.toLowerCase()),
  password: z.string().min(12, "at least 12 characters").max(200),
  displayName: z.string().trim().max(100).optional().nullable(),
  role: z.enum(TENANT_ROLES),
  tenantId: z.string().optional().nullable(),
});

export interface GovernanceServiceOptions {
  db: Db;
  /** Signs session tokens with its active key. */
  sessionKeys: SessionKeyring;
  /** Session lifetime in seconds; default 3600. */
  sessionTtlSeconds?: number;
}

const slugify = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40) || "tenant";

export function createGovernanceService({ db, sessionKeys, sessionTtlSeconds = 3600 }: GovernanceServiceOptions) {
  const tenants = db.collection<TenantRecord>(TENANTS);
  // Users are looked up by e-mail before anyone is signed in (login), so this
  // collection is read through explicit tenant filters rather than the scoped repository.
  const users = db.collection<UserRecord>(USERS);
  const refreshTokens = createRefreshTokenStore(db);

  async function insertUser(input: z.output<typeof createUserInput>, tenantId: string, platformAdmin = false) {
    const user: UserRecord = {
      _id: newId(),
      tenantId,
      email: input.email,
      displayName: input.displayName ?? null,
      role: input.role,
      platformAdmin,
      passwordHash: await hashPassword(input.password),
      active: true,
      source: "manual",
      createdAt: new Date(),
    };
    try {
      await users.insertOne(user);
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw appError(ErrorCode.CONFLICT, `A user with e-mail ${input.email} already exists. Use another address, or sign in.`, {
          field: "email",
        });
      }
      throw error;
    }
    return user;
  }

  /** A session JWT (roles and plan as of now) plus a rotating refresh token. */
  async function sessionFor(user: UserRecord, familyId?: string) {
    const roles = user.platformAdmin ? [user.role, PLATFORM_ADMIN] : [user.role];
    const tenant = await tenants.findOne({ _id: user.tenantId });
    const { token, expiresAt } = await issueSessionToken(
      { sub: user._id, tid: user.tenantId, roles, ...(tenant ? { plan: tenant.plan } : {}) },
      sessionKeys,
      sessionTtlSeconds,
    );
    const refresh = await refreshTokens.issue(user, familyId);
    return {
      token,
      expiresAt: expiresAt.toISOString(),
      refreshToken: refresh.token,
      refreshExpiresAt: refresh.expiresAt.toISOString(),
      user,
      tenant,
    };
  }

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

    async createTenant(principal: Principal, rawInput: unknown, hints: AuditHints): Promise<TenantRecord> {
      // Who may create tenants is policy (tenants:create); tokens never may.
      requirePerson(principal, "create tenants");
      const input = validateInput(createTenantInput, rawInput);
      const tenant: TenantRecord = {
        _id: newId(),
        name: input.name,
        slug: input.slug ?? slugify(input.name),
        region: input.region,
        legalEntity: input.legalEntity ?? null,
        plan: input.plan,
        createdAt: new Date(),
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

    async createUser(principal: Principal, rawInput: unknown, hints: AuditHints): Promise<UserRecord> {
      const caller = requirePerson(principal, "create users");
      const input = validateInput(createUserInput, rawInput);
      const isPlatformAdmin = caller.roles.includes(PLATFORM_ADMIN);
      let tenantId = caller.tenantId;
      if (input.tenantId) {
        const requested = parseId(input.tenantId, "input.tenantId");
        if (requested !== caller.tenantId && !isPlatformAdmin) {
          throw appError(ErrorCode.FORBIDDEN, "You can only create users in your own tenant.");
        }
        tenantId = requested;
      }
      if (!(await tenants.findOne({ _id: tenantId }))) {
        throw appError(ErrorCode.NOT_FOUND, `No tenant with id ${tenantId}.`, { argument: "input.tenantId" });
      }
      const user = await insertUser(input, tenantId);
      hints.tenantId = tenantId;
      hints.targetIds = [user._id];
      return user;
    },

    async login(rawEmail: string, password: string, hints: AuditHints) {
      const email = String(rawEmail).trim().toLowerCase();
      const user = await users.findOne({ email });
      // Same work and the same answer whether or not the e-mail exists.
      const ok =
        user?.passwordHash && isActive(user) ? await verifyPassword(password, user.passwordHash) : (await hashPassword(password), false);
      if (user) {
        hints.tenantId = user.tenantId;
        hints.actorId = user._id;
        hints.targetIds = [user._id];
      }
      if (!user || !ok) {
        throw appError(
          ErrorCode.UNAUTHENTICATED,
          "E-mail or password is wrong. Check both, or ask your tenant admin to reset your password.",
        );
      }
      return sessionFor(user);
    },

    /** Trades a refresh token for a new session and a new refresh token; a reused one revokes its family. */
    async refreshSession(refreshToken: string, hints: AuditHints) {
      const redeemed = await refreshTokens.redeem(String(refreshToken));
      if (!redeemed.ok) {
        if (redeemed.reason !== "invalid") {
          hints.tenantId = redeemed.tenantId;
          hints.actorId = redeemed.userId;
          hints.targetIds = [redeemed.userId];
        }
        const why = {
          invalid: "The refresh token is not valid.",
          expired: "The refresh token has expired.",
          revoked: "The refresh token has been revoked.",
          reused: "This refresh token was already used, so every session from that sign-in has been ended as a precaution.",
        }[redeemed.reason];
        throw appError(ErrorCode.UNAUTHENTICATED, `${why} Sign in again with \`login\`.`, { reason: redeemed.reason });
      }
      hints.tenantId = redeemed.tenantId;
      hints.actorId = redeemed.userId;
      hints.targetIds = [redeemed.userId];
      const user = await users.findOne({ _id: redeemed.userId, tenantId: redeemed.tenantId });
      if (!user) throw appError(ErrorCode.UNAUTHENTICATED, "This account no longer exists.");
      if (!isActive(user)) throw appError(ErrorCode.UNAUTHENTICATED, "This account has been deactivated. Ask your tenant admin.");
      return sessionFor(user, redeemed.familyId);
    },

    async me(principal: Principal) {
      if (!isSignedIn(principal)) return null;
      return users.findOne({ _id: principal.userId, tenantId: principal.tenantId ?? "" });
    },

    /** Internal (no caller check): a tenant by id, for limits. */
    tenantRecord(tenantId: string) {
      return tenants.findOne({ _id: tenantId });
    },

    async myTenant(principal: Principal) {
      if (!isSignedIn(principal)) return null;
      return tenants.findOne({ _id: principal.tenantId });
    },

    async listUsers(principal: Principal) {
      const caller = requireUser(principal);
      return users.find({ tenantId: caller.tenantId }).sort({ createdAt: 1 }).toArray();
    },

    /** Tenant lookup for entity resolution; only the caller's own tenant (or any, for platform admins). */
    async tenantById(principal: Principal, id: string) {
      const caller = requireUser(principal);
      if (id !== caller.tenantId && !caller.roles.includes(PLATFORM_ADMIN)) return null;
      return tenants.findOne({ _id: id });
    },

    async userById(principal: Principal, id: string) {
      const caller = requireUser(principal);
      return users.findOne({ _id: id, tenantId: caller.tenantId });
    },

    /** Changes some of a tenant's plan limits (platform admins; audited with the reason). No limit given = back to the plan. */
    async setTenantLimits(principal: Principal, rawTenantId: unknown, rawInput: unknown, hints: AuditHints): Promise<TenantRecord> {
      const caller = requirePerson(principal, "change tenant limits");
      const tenantId = parseId(rawTenantId, "tenantId");
      // Before validation, so a refused change is audited in the tenant it targeted.
      hints.tenantId = tenantId;
      hints.targetIds = [tenantId];
      const input = validateInput(limitsOverrideInput, rawInput);
      const tenant = await tenants.findOne({ _id: tenantId });
      if (!tenant) throw appError(ErrorCode.NOT_FOUND, `No tenant with id ${tenantId}.`, { argument: "tenantId" });
      const { ratePerSecond, burst, concurrentJobs, reason } = input;
      const given = Object.entries({ ratePerSecond, burst, concurrentJobs }).filter(([, v]) => v != null);
      const limits: LimitsOverride | null = given.length
        ? { ...Object.fromEntries(given), reason, setBy: caller.userId, setAt: new Date() }
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

    /** A tenant admin's change to a user: pins each changed field against imports until released. */
    async updateUser(principal: Principal, rawId: unknown, rawInput: unknown, hints: AuditHints): Promise<UserRecord> {
      const caller = requirePerson(principal, "change users");
      const id = parseId(rawId);
      hints.targetIds = [id];
      const input = validateInput(updateUserInput, rawInput);
      const user = await users.findOne({ _id: id, tenantId: caller.tenantId });
      if (!user) throw appError(ErrorCode.NOT_FOUND, `No user ${id} in your tenant.`, { argument: "id" });
      if (id === caller.userId && ((input.role && input.role !== "ADMIN") || input.active === false)) {
        throw appError(ErrorCode.BAD_USER_INPUT, "You cannot demote or deactivate yourself; ask another admin.", { argument: "id" });
      }
      const $set: Record<string, unknown> = {};
      const $unset: Record<string, ""> = {};
      const stamp = { reason: input.reason, setBy: caller.userId, setAt: new Date() };
      for (const [field, value] of [
        ["role", input.role],
        ["displayName", input.displayName],
        ["active", input.active],
      ] as const) {
        if (value === undefined || value === null) continue;
        $set[field] = value;
        $set[`overrides.${field}`] = { value, ...stamp };
      }
      for (const released of input.releaseOverrides ?? []) $unset[`overrides.${FIELD_OF[released]}`] = "";
      if (!Object.keys($set).length && !Object.keys($unset).length) {
        throw appError(ErrorCode.BAD_USER_INPUT, "Nothing to change: give role, displayName, active or releaseOverrides.");
      }
      await users.updateOne(
        { _id: id, tenantId: caller.tenantId },
        { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) },
      );
      if (input.active === false) await refreshTokens.revokeUser(id);
      return (await users.findOne({ _id: id, tenantId: caller.tenantId }))!;
    },

    /** Sets a user's password (tenant admins), e.g. for users an import created without one. */
    async setUserPassword(principal: Principal, rawId: unknown, rawPassword: unknown, hints: AuditHints): Promise<UserRecord> {
      const caller = requirePerson(principal, "set passwords");
      const id = parseId(rawId);
      const { password } = validateInput(z.object({ password: createUserInput.shape.password }), { password: rawPassword });
      hints.targetIds = [id];
      const user = await users.findOne({ _id: id, tenantId: caller.tenantId });
      if (!user) throw appError(ErrorCode.NOT_FOUND, `No user ${id} in your tenant.`, { argument: "id" });
      const passwordHash = await hashPassword(password);
      await users.updateOne({ _id: id, tenantId: caller.tenantId }, { $set: { passwordHash } });
      // Sessions from before the change keep working until they expire; refresh tokens are revoked.
      await refreshTokens.revokeUser(id);
      return { ...user, passwordHash };
    },

    /**
     * Idempotent bootstrap used by the start command and tests, not the API:
     * ensures a tenant and an admin user exist, returns both.
     */
    async ensureTenantWithAdmin(options: {
      tenant: { name: string; slug: string; region: string; plan: TenantRecord["plan"] };
      admin: { email: string; password: string; displayName?: string; platformAdmin?: boolean };
    }) {
      let tenant = await tenants.findOne({ slug: options.tenant.slug });
      if (!tenant) {
        tenant = { _id: newId(), ...options.tenant, createdAt: new Date() };
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
        user = await insertUser(input, tenant._id, options.admin.platformAdmin ?? false);
      }
      return { tenant, user };
    },
  };
}

export type GovernanceService = ReturnType<typeof createGovernanceService>;
