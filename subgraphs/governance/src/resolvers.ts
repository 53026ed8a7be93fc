import type { RequestContext } from "@intelgraph/kit";
import type { ApiTokenRecord } from "./apiTokens.ts";
import type { ApiTokenService } from "./apiTokenService.ts";
import type { GovernanceService, TenantRecord, UserRecord } from "./governanceService.ts";

export interface GovernanceContext extends RequestContext {
  governance: GovernanceService;
  apiTokens: ApiTokenService;
}

const tenantView = (t: TenantRecord) => ({ ...t, id: t._id, createdAt: t.createdAt.toISOString() });
const userView = (u: UserRecord) => ({
  id: u._id,
  email: u.email,
  displayName: u.displayName,
  role: u.role,
  tenantId: u.tenantId,
  createdAt: u.createdAt.toISOString(),
});

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
  },
  Mutation: {
    createApiToken: async (_: unknown, args: { input: unknown }, ctx: GovernanceContext) => {
      const { token, record } = await ctx.apiTokens.create(ctx.principal, args.input, ctx.auditHints);
      return { token, apiToken: tokenView(record) };
    },
    revokeApiToken: async (_: unknown, args: { id: string }, ctx: GovernanceContext) =>
      tokenView(await ctx.apiTokens.revoke(ctx.principal, args.id, ctx.auditHints)),
    createTenant: async (_: unknown, args: { input: unknown }, ctx: GovernanceContext) =>
      tenantView(await ctx.governance.createTenant(ctx.principal, args.input, ctx.auditHints)),
    createUser: async (_: unknown, args: { input: unknown }, ctx: GovernanceContext) =>
      userView(await ctx.governance.createUser(ctx.principal, args.input, ctx.auditHints)),
    refreshSession: async (_: unknown, args: { refreshToken: string }, ctx: GovernanceContext) => {
      const session = await ctx.governance.refreshSession(args.refreshToken, ctx.auditHints);
      return { ...session, user: userView(session.user) };
    },
    login: async (_: unknown, args: { email: string; password: string }, ctx: GovernanceContext) => {
      const session = await ctx.governance.login(args.email, args.password, ctx.auditHints);
      return { ...session, user: userView(session.user) };
    },
  },
  User: {
    tenant: async (user: { tenantId: string }, _: unknown, ctx: GovernanceContext) => {
      const tenant = await ctx.governance.tenantById(ctx.principal, user.tenantId);
      return tenant && tenantView(tenant);
    },
    __resolveReference: async (ref: { id: string }, ctx: GovernanceContext) => {
      const user = await ctx.governance.userById(ctx.principal, ref.id);
      return user && userView(user);
    },
  },
  Tenant: {
    __resolveReference: async (ref: { id: string }, ctx: GovernanceContext) => {
      const tenant = await ctx.governance.tenantById(ctx.principal, ref.id);
      return tenant && tenantView(tenant);
    },
  },
};
