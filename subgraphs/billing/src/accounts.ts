import { randomBytes, randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import { z } from "zod";
import {
  appError,
  BILLING_ACCOUNTS,
  BILLING_OVERRIDES,
  createTenantRepository,
  DEFAULT_THRESHOLDS,
  ErrorCode,
  MICROS,
  PLAN_IDS,
  PLANS,
  requireUser,
  systemClock,
  USAGE_METRICS,
  validateInput,
  type BillingAccount,
  type BillingGuard,
  type BillingOverride,
  type BillingState,
  type Clock,
  type PlanDefinition,
  type PlanId,
  type Principal,
  type RequestContext,
  type SecretBox,
} from "@intelgraph/kit";

const MAX_OVERRIDE_MS = 31 * 86_400_000;

/** A webhook must be HTTPS, or plain HTTP to this machine (tests, local relays). */
const webhookUrl = z
  .string()
  .max(2000)
  .url("a URL such as https://hooks.example.com/billing")
  .refine((u) => {
    const url = new URL(u);
    return url.protocol === "https:" || (url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname));
  }, "must be https:// (or http:// to 127.0.0.1 or localhost)");

const budgetInput = z.object({
  monthlyLimit: z.number().min(0).max(10_000_000).nullish(),
  thresholds: z
    .array(z.number().int().min(1).max(200))
    .min(1)
    .max(10)
    .refine((t) => new Set(t).size === t.length, "each threshold once")
    .nullish(),
});
const channelsInput = z.object({
  webhookUrl: webhookUrl.nullish(),
  emails: z.array(z.string().email("an e-mail address")).max(20).nullish(),
});
const overrideInput = z
  .object({
    kind: z.enum(["QUOTA", "BUDGET"]),
    metric: z.enum(USAGE_METRICS).nullish(),
    until: z.string().datetime({ offset: true, message: "an ISO time such as 2026-12-31T23:59:59Z" }),
    reason: z.string().trim().min(10, "say why, in at least 10 characters").max(500),
  })
  .refine((o) => o.kind === "BUDGET" || o.metric, { message: "a quota override needs a metric", path: ["metric"] })
  .refine((o) => o.kind === "QUOTA" || !o.metric, { message: "a budget override has no metric", path: ["metric"] });

export const money = (micros: number) => Math.round(micros / 10_000) / 100;

/** A plan as the API shows it: money in currency units. */
export function planView(plan: PlanDefinition) {
  return {
    id: plan.id,
    name: plan.name,
    currency: plan.currency,
    monthlyFee: money(plan.monthlyFeeMicros),
    quotas: Object.entries(plan.quotas).map(([metric, limit]) => ({ metric, limit })),
    prices: plan.prices.map((p) => ({ ...p, unitPrice: p.unitPriceMicros / MICROS })),
    features: plan.features,
  };
}

const overrideView = (o: BillingOverride | null) =>
  o && {
    id: o._id,
    kind: o.kind,
    metric: o.metric,
    until: o.until.toISOString(),
    reason: o.reason,
    grantedBy: o.grantedBy,
    grantedAt: o.grantedAt.toISOString(),
  };

export function budgetView(state: BillingState) {
  const { limitMicros, spentMicros, thresholds, override } = state.budget;
  return {
    monthlyLimit: limitMicros === null ? null : money(limitMicros),
    spent: money(spentMicros),
    percent: limitMicros ? Math.round((spentMicros / limitMicros) * 1000) / 10 : null,
    thresholds,
    resetsAt: state.resetsAt.toISOString(),
    override: overrideView(override),
  };
}

export function accountView(state: BillingState) {
  const account = state.account;
  return {
    tenantId: state.tenantId,
    plan: planView(state.plan),
    period: state.period,
    quotas: state.quotas.map((q) => ({
      metric: q.metric,
      used: q.used,
      limit: q.limit,
      percent: Math.round((q.used / q.limit) * 1000) / 10,
      resetsAt: state.resetsAt.toISOString(),
      override: overrideView(q.override),
    })),
    budget: budgetView(state),
    channels: {
      webhookUrl: account?.webhook?.url ?? null,
      webhookSigned: Boolean(account?.webhook?.secret),
      emails: account?.emails ?? [],
    },
  };
}

/**
 * The tenant's plan, budget, alert channels and overrides. The plan is a
 * field of the tenant record (governance reads it for rate limits); a change
 * here applies at once in this process and within the guard's cache time
 * elsewhere. Every mutation is audited by auditMutations.
 */
export function createAccountService({
  db,
  guard,
  secretBox,
  now = systemClock,
}: {
  db: Db;
  guard: BillingGuard;
  secretBox: SecretBox;
  now?: Clock;
}) {
  const tenants = db.collection<{ _id: string; plan: PlanId }>("governance_tenants");
  const accounts = createTenantRepository<BillingAccount>(db, BILLING_ACCOUNTS);
  const overrides = createTenantRepository<BillingOverride>(db, BILLING_OVERRIDES);

  const fresh = (tenantId: string) => {
    guard.invalidate(tenantId);
    return guard.state(tenantId);
  };

  async function upsertAccount(tenantId: string, set: Partial<BillingAccount>) {
    await accounts
      .forTenant(tenantId)
      .findOneAndUpdate(
        { _id: tenantId },
        { $set: { ...set, updatedAt: new Date(now()) }, $setOnInsert: { _id: tenantId } as never },
        { upsert: true },
      );
  }

  return {
    plans: () => PLAN_IDS.map((id) => planView(PLANS[id])),

    async account(principal: Principal) {
      return accountView(await fresh(requireUser(principal).tenantId));
    },

    async changePlan(ctx: RequestContext, plan: PlanId) {
      const caller = requireUser(ctx.principal);
      if (!PLAN_IDS.includes(plan)) throw appError(ErrorCode.BAD_USER_INPUT, `No plan ${plan}; choose ${PLAN_IDS.join(", ")}.`);
      const result = await tenants.updateOne({ _id: caller.tenantId }, { $set: { plan } });
      if (!result.matchedCount) throw appError(ErrorCode.NOT_FOUND, "Your tenant record is missing; ask the platform operator.");
      ctx.auditHints = { targetType: "Tenant", targetIds: [caller.tenantId] };
      return accountView(await fresh(caller.tenantId));
    },

    async setBudget(ctx: RequestContext, input: unknown) {
      const caller = requireUser(ctx.principal);
      const { monthlyLimit, thresholds } = validateInput(budgetInput, input);
      await upsertAccount(caller.tenantId, {
        budgetMicros: monthlyLimit === null || monthlyLimit === undefined ? null : Math.round(monthlyLimit * MICROS),
        thresholds: [...(thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => a - b),
      });
      ctx.auditHints = { targetType: "BillingAccount", targetIds: [caller.tenantId] };
      return budgetView(await fresh(caller.tenantId));
    },

    async setAlertChannels(ctx: RequestContext, input: unknown) {
      const caller = requireUser(ctx.principal);
      const { webhookUrl: url, emails } = validateInput(channelsInput, input);
      const current = await accounts.forTenant(caller.tenantId).findOne({ _id: caller.tenantId });
      // A new URL gets a new secret, shown once and stored sealed; the same URL keeps its secret.
      const keep = url && current?.webhook?.url === url;
      const secret = url && !keep ? randomBytes(32).toString("base64url") : null;
      await upsertAccount(caller.tenantId, {
        webhook: !url ? null : keep ? current.webhook : { url, secret: secretBox.seal(secret!) },
        emails: emails ?? current?.emails ?? [],
        ...(current ? {} : { budgetMicros: null, thresholds: [...DEFAULT_THRESHOLDS] }),
      });
      ctx.auditHints = { targetType: "BillingAccount", targetIds: [caller.tenantId] };
      const state = await fresh(caller.tenantId);
      return { channels: accountView(state).channels, webhookSecret: secret };
    },

    async grantOverride(ctx: RequestContext, input: unknown) {
      const caller = requireUser(ctx.principal);
      const o = validateInput(overrideInput, input);
      const until = new Date(o.until);
      const at = now();
      if (until.getTime() <= at || until.getTime() - at > MAX_OVERRIDE_MS) {
        throw appError(ErrorCode.BAD_USER_INPUT, "Invalid input — until: must be in the future and at most 31 days ahead.", {
          problems: [{ path: "until", message: "must be in the future and at most 31 days ahead" }],
        });
      }
      const record = await overrides.forTenant(caller.tenantId).insertOne({
        _id: randomUUID(),
        kind: o.kind,
        metric: o.metric ?? null,
        until,
        reason: o.reason,
        grantedBy: caller.userId,
        grantedAt: new Date(at),
      });
      guard.invalidate(caller.tenantId);
      return overrideView(record)!;
    },

    async revokeOverride(ctx: RequestContext, id: string) {
      const caller = requireUser(ctx.principal);
      const ended = await overrides
        .forTenant(caller.tenantId)
        .updateOne({ _id: id, until: { $gt: new Date(now()) } }, { $set: { until: new Date(now()) } });
      if (!ended.matched) throw appError(ErrorCode.NOT_FOUND, "No active override with that id in your tenant.");
      guard.invalidate(caller.tenantId);
      return true;
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
