import { residencyOf, type RequestContext } from "@intelgraph/kit";
import type { ApiTokenRecord } from "./apiTokens.ts";
import type { ApiTokenService } from "./apiTokenService.ts";
import type { ManagedField, TenantRecord, UserRecord } from "./governanceRecords.ts";
import type { GovernanceService } from "./governanceService.ts";
import { effectiveLimits } from "./limits.ts";
import type { TokenAlertRecord, TokenAlerts } from "./tokenAlerts.ts";
import type { ImportChange, UserImport } from "./userImport.ts";
import { userClearance } from "./userClearance.ts";

export interface GovernanceContext extends RequestContext {
  governance: GovernanceService;
  apiTokens: ApiTokenService;
  tokenAlerts: TokenAlerts;
  importUsers: UserImport;
}

const FIELD_ENUM: Record<ManagedField, string> = { role: "ROLE", displayName: "DISPLAY_NAME", active: "ACTIVE" };

const tenantView = (t: TenantRecord) => {
  const limits = effectiveLimits(t);
  return {
    id: t._id,
    name: t.name,
    slug: t.slug,
    region: t.region,
    legalEntity: residencyOf(t).legalEntity,
    residency: residencyOf(t),
    plan: t.plan,
    createdAt: t.createdAt.toISOString(),
    limits: {
      ratePerSecond: limits.ratePerSecond,
      burst: limits.burst,
      concurrentJobs: limits.concurrentJobs,
      source: t.limits ? "OVERRIDE" : "PLAN",
      reason: t.limits?.reason ?? null,
      setAt: t.limits?.setAt?.toISOString() ?? null,
    },
  };
};
const userView = (u: UserRecord) => ({
  id: u._id,
  email: u.email,
  displayName: u.displayName,
  role: u.role,
  clearance: userClearance(u),
  active: u.active !== false,
  externalId: u.externalId ?? null,
  source: u.source === "import" ? "IMPORT" : "MANUAL",
  hasPassword: Boolean(u.passwordHash),
  overrides: Object.entries(u.overrides ?? {}).map(([field, o]) => ({
    field: FIELD_ENUM[field as ManagedField],
    value: o.value === null ? null : String(o.value),
    reason: o.reason,
    setBy: o.setBy,
    setAt: o.setAt.toISOString(),
  })),
  tenantId: u.tenantId,
  createdAt: u.createdAt.toISOString(),
});

/**
 * The user a sign-in returns. The request itself is anonymous (that is why it
 * signs in), so `login { user { tenant } }` cannot be resolved as the caller:
 * the session's own tenant, just checked with the password or refresh token, goes along.
 */
const sessionView = (session: { user: UserRecord; tenant: TenantRecord | null }) => ({
  ...session,
  user: { ...userView(session.user), sessionTenant: session.tenant && tenantView(session.tenant) },
});

const changeView = (c: ImportChange) => ({
  ...c,
  changes: c.changes.map((f) => ({ ...f, field: FIELD_ENUM[f.field] })),
  keptOverrides: c.keptOverrides.map((f) => ({ ...f, field: FIELD_ENUM[f.field] })),
});

const alertView = (a: TokenAlertRecord) => ({ ...a, id: a._id, raisedAt: new Date(a.raisedAt).toISOString() });

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const tokenView = (t: ApiTokenRecord) => ({
  id: t._id,
  name: t.name,
  scopes: t.scopes,
  prefix: t.prefix,
  createdBy: t.userId,
  createdAt: t.createdAt.toISOString(),
  expiresAt: iso(t.expiresAt),
  revokedAt: iso(t.revokedAt),
  lastUsedAt: iso(t.lastUsedAt),
  lastUsedIp: t.lastUsedIp,
  clearance: t.clearance ?? null,
});

export const resolvers = {
  Query: {
    me: async (_: unknown, __: unknown, ctx: GovernanceContext) => {
      const user = await ctx.governance.me(ctx.principal);
      return user && userView(user);
    },
    myTenant: async (_: unknown, __: unknown, ctx: GovernanceContext) => {
      const tenant = await ctx.governance.myTenant(ctx.principal);
      return tenant && tenantView(tenant);
    },
    users: async (_: unknown, __: unknown, ctx: GovernanceContext) => (await ctx.governance.listUsers(ctx.principal)).map(userView),
    apiTokens: async (_: unknown, __: unknown, ctx: GovernanceContext) => (await ctx.apiTokens.list(ctx.principal)).map(tokenView),
    tokenAlertRules: async (_: unknown, __: unknown, ctx: GovernanceContext) => {
      const rules = await ctx.tokenAlerts.getRules(ctx.principal);
      return { ...rules, updatedAt: rules.updatedAt?.toISOString() ?? null };
    },
    tokenAlerts: async (_: unknown, args: { first?: number | null; tokenId?: string | null }, ctx: GovernanceContext) =>
      (await ctx.tokenAlerts.list(ctx.principal, args)).map(alertView),
  },
  Mutation: {
    createApiToken: async (_: unknown, args: { input: unknown }, ctx: GovernanceContext) => {
      const { token, record } = await ctx.apiTokens.create(ctx.principal, args, ctx.auditHints);
      return { token, apiToken: tokenView(record) };
    },
    revokeApiToken: async (_: unknown, args: { id: string }, ctx: GovernanceContext) =>
      tokenView(await ctx.apiTokens.revoke(ctx.principal, args, ctx.auditHints)),
    createTenant: async (_: unknown, args: { input: unknown }, ctx: GovernanceContext) =>
      tenantView(await ctx.governance.createTenant(ctx.principal, args, ctx.auditHints)),
    createUser: async (_: unknown, args: { input: unknown }, ctx: GovernanceContext) =>
      userView(await ctx.governance.createUser(ctx.principal, args, ctx.auditHints)),
    refreshSession: async (_: unknown, args: { refreshToken: string }, ctx: GovernanceContext) =>
      sessionView(await ctx.governance.refreshSession(ctx.principal, args, ctx.auditHints)),
    setTenantLimits: async (_: unknown, args: { tenantId: string; input: unknown }, ctx: GovernanceContext) =>
      tenantView(await ctx.governance.setTenantLimits(ctx.principal, args, ctx.auditHints)),
    updateUser: async (_: unknown, args: { id: string; input: unknown }, ctx: GovernanceContext) =>
      userView(await ctx.governance.updateUser(ctx.principal, args, ctx.auditHints)),
    setUserClearance: async (_: unknown, args: { userId: string; clearance: string }, ctx: GovernanceContext) =>
      userView(await ctx.governance.setUserClearance(ctx.principal, args, ctx.auditHints)),
    setUserPassword: async (_: unknown, args: { id: string; password: string }, ctx: GovernanceContext) =>
      userView(await ctx.governance.setUserPassword(ctx.principal, args, ctx.auditHints)),
    importUsers: async (_: unknown, args: { input: unknown }, ctx: GovernanceContext) => {
      const result = await ctx.importUsers(ctx.principal, args, ctx.auditHints);
      return { ...result, changes: result.changes.map(changeView) };
    },
    setTokenAlertRules: async (_: unknown, args: { input: unknown }, ctx: GovernanceContext) => {
      const rules = await ctx.tokenAlerts.setRules(ctx.principal, args, ctx.auditHints);
      return { ...rules, updatedAt: rules.updatedAt.toISOString() };
    },
    login: async (_: unknown, args: { email: string; password: string }, ctx: GovernanceContext) =>
      sessionView(await ctx.governance.login(ctx.principal, args, ctx.auditHints)),
  },
  Subscription: {
    tokenAlertRaised: {
      subscribe: (_: unknown, __: unknown, ctx: GovernanceContext) => ctx.tokenAlerts.subscribe(ctx.principal),
      resolve: (alert: TokenAlertRecord) => alertView(alert),
    },
  },
  User: {
    tenant: async (
      user: { tenantId: string; sessionTenant?: ReturnType<typeof tenantView> | null },
      _: unknown,
      ctx: GovernanceContext,
    ) => {
      if (user.sessionTenant !== undefined) return user.sessionTenant;
      const tenant = await ctx.governance.tenantById(ctx.principal, { id: user.tenantId });
      return tenant && tenantView(tenant);
    },
    __resolveReference: async (ref: { id: string }, ctx: GovernanceContext) => {
      const user = await ctx.governance.userById(ctx.principal, ref);
      return user && userView(user);
    },
  },
  Tenant: {
    __resolveReference: async (ref: { id: string }, ctx: GovernanceContext) => {
      const tenant = await ctx.governance.tenantById(ctx.principal, ref);
      return tenant && tenantView(tenant);
    },
  },
};
