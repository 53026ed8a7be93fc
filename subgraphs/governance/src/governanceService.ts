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
import { hashPassword, verifyPassword } from "./passwords.ts";
import { createRefreshTokenStore } from "./refreshTokens.ts";

export type Role = (typeof TENANT_ROLES)[number];

export interface TenantRecord {
  _id: string;
  name: string;
  slug: string;
  region: string;
  plan: "FREE" | "TEAM" | "ENTERPRISE";
  createdAt: Date;
}

export interface UserRecord {
  _id: string;
  tenantId: string;
  email: string;
  displayName: string | null;
  role: Role;
  platformAdmin: boolean;
  passwordHash: string;
  createdAt: Date;
}

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
    };
  }

  return {
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
      const ok = user ? await verifyPassword(password, user.passwordHash) : (await hashPassword(password), false);
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
      return sessionFor(user, redeemed.familyId);
    },

    async me(principal: Principal) {
      if (!isSignedIn(principal)) return null;
      return users.findOne({ _id: principal.userId, tenantId: principal.tenantId ?? "" });
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
