import type { Db } from "mongodb";
import type { SealedSecret } from "../auth/secretBox.ts";
import { systemClock, type Clock } from "../config/serviceDeps.ts";
import { appError, ErrorCode } from "../errors/errors.ts";
import { planOf, usageCharges, type PlanDefinition } from "./plans.ts";
import { createUsageReader, totalOf, type DayFigures } from "./usageReader.ts";
import type { UsageRecorder } from "./usageRecorder.ts";
import { combine, periodBounds, periodOf, utcDay, type UsageMetric } from "./usageMetrics.ts";

export const BILLING_ACCOUNTS = "billing_accounts";
export const BILLING_OVERRIDES = "billing_overrides";
export const DEFAULT_THRESHOLDS = [50, 80, 100] as const;

/** A tenant's budget and alert settings (the plan itself is on the tenant record). */
export interface BillingAccount {
  _id: string;
  tenantId: string;
  /** Monthly cap on usage charges (beyond the plan's fee and included units), micros; null = no budget. */
  budgetMicros: number | null;
  /** Percentages of the budget that raise an alert, once each per period. */
  thresholds: number[];
  /** The signing secret is sealed (secretBox): never stored in the clear. */
  webhook: { url: string; secret: SealedSecret } | null;
  emails: string[];
  updatedAt: Date;
}

/** A time-boxed lift of one quota (QUOTA, with its metric) or of the budget's soft stop (BUDGET), granted with a reason. */
export interface BillingOverride {
  _id: string;
  tenantId: string;
  kind: "QUOTA" | "BUDGET";
  metric: UsageMetric | null;
  until: Date;
  reason: string;
  grantedBy: string | null;
  grantedAt: Date;
}

export interface QuotaState {
  metric: UsageMetric;
  used: number;
  limit: number;
  override: BillingOverride | null;
}

export interface BillingState {
  tenantId: string;
  plan: PlanDefinition;
  period: string;
  resetsAt: Date;
  /** Month-to-date figures: stored (rollups and live totals) plus this process's queued events. */
  usage: DayFigures;
  quotas: QuotaState[];
  budget: { limitMicros: number | null; spentMicros: number; thresholds: number[]; override: BillingOverride | null };
  account: BillingAccount | null;
}

export interface BillingGuard {
  /** The tenant's plan, month-to-date usage, quotas and budget (cached `ttlMs`). */
  state(tenantId: string): Promise<BillingState>;
  /**
   * Refuses a metered operation before it does anything: QUOTA_EXCEEDED when
   * the month's quota of `metric` is used up, BUDGET_EXCEEDED when `expensive`
   * and the budget is spent — unless an override is active.
   */
  check(tenantId: string, metric: UsageMetric, options?: { expensive?: boolean }): Promise<void>;
  /** Drops the cached state (after a plan, budget or override change here; other processes see it within `ttlMs`). */
  invalidate(tenantId: string): void;
}

export const WHO_CAN_OVERRIDE = "an admin or billing user of your tenant (billing:manage)";

/**
 * Quotas and budgets, enforced where a metered operation starts (the gateway
 * for queries and mutations, the graph service for questions, reports,
 * exports and ingest). The figures are at most `ttlMs` old and miss other
 * processes' unflushed events (≤ 1 s), so a burst can pass a cap by that much;
 * docs/billing.md says so.
 */
export function createBillingGuard(options: { db: Db; usage?: UsageRecorder; now?: Clock; ttlMs?: number }): BillingGuard {
  const { db, usage, now = systemClock, ttlMs = 2000 } = options;
  const reader = createUsageReader(db);
  const tenants = db.collection<{ _id: string; plan: string }>("governance_tenants");
  const accounts = db.collection<BillingAccount>(BILLING_ACCOUNTS);
  const overrides = db.collection<BillingOverride>(BILLING_OVERRIDES);
  const cache = new Map<string, { at: number; state: Promise<BillingState> }>();

  async function load(tenantId: string): Promise<BillingState> {
    const at = now();
    const period = periodOf(at);
    const { firstDay, resetsAt } = periodBounds(period);
    const today = utcDay(at);
    const [tenant, account, active, days] = await Promise.all([
      tenants.findOne({ _id: tenantId }, { projection: { plan: 1 } }),
      accounts.findOne({ _id: tenantId }),
      overrides.find({ tenantId, until: { $gt: new Date(at) } }).toArray(),
      reader.days(tenantId, firstDay, today),
    ]);
    const figures = totalOf(days);
    for (const [metric, quantity] of Object.entries(usage?.pending(tenantId, today) ?? {}) as [UsageMetric, number][]) {
      figures[metric] = combine(metric, figures[metric] ?? 0, quantity);
    }
    const plan = planOf(tenant?.plan);
    const overrideOf = (kind: BillingOverride["kind"], metric: UsageMetric | null) =>
      active.filter((o) => o.kind === kind && o.metric === metric).sort((a, b) => +b.until - +a.until)[0] ?? null;
    return {
      tenantId,
      plan,
      period,
      resetsAt,
      usage: figures,
      quotas: (Object.entries(plan.quotas) as [UsageMetric, number][]).map(([metric, limit]) => ({
        metric,
        used: figures[metric] ?? 0,
        limit,
        override: overrideOf("QUOTA", metric),
      })),
      budget: {
        limitMicros: account?.budgetMicros ?? null,
        spentMicros: usageCharges(plan, figures).totalMicros,
        thresholds: account?.thresholds ?? [...DEFAULT_THRESHOLDS],
        override: overrideOf("BUDGET", null),
      },
      account,
    };
  }

  function state(tenantId: string): Promise<BillingState> {
    const hit = cache.get(tenantId);
    if (hit && now() - hit.at < ttlMs) return hit.state;
    const fresh = load(tenantId);
    cache.set(tenantId, { at: now(), state: fresh });
    fresh.catch(() => cache.delete(tenantId));
    return fresh;
  }

  return {
    state,
    async check(tenantId, metric, { expensive = false } = {}) {
      const current = await state(tenantId);
      const quota = current.quotas.find((q) => q.metric === metric);
      if (quota && !quota.override && quota.used >= quota.limit) {
        throw appError(
          ErrorCode.QUOTA_EXCEEDED,
          `Your ${current.plan.name} plan's monthly quota of ${quota.limit.toLocaleString("en")} ${metric.toLowerCase().replaceAll("_", " ")} is used up; it resets on ${current.resetsAt.toISOString().slice(0, 10)}. Upgrade the plan, or ask ${WHO_CAN_OVERRIDE} for an override.`,
          { metric, used: quota.used, limit: quota.limit, resetsAt: current.resetsAt.toISOString(), plan: current.plan.id },
        );
      }
      const { limitMicros, spentMicros, override } = current.budget;
      if (expensive && limitMicros !== null && !override && spentMicros >= limitMicros) {
        throw appError(
          ErrorCode.BUDGET_EXCEEDED,
          `This month's budget of ${formatMoney(limitMicros)} is spent (${formatMoney(spentMicros)}), so exports, ingest jobs and questions are paused until ${current.resetsAt.toISOString().slice(0, 10)}. ${capitalize(WHO_CAN_OVERRIDE)} can raise the budget or grant an override.`,
          {
            metric,
            spent: spentMicros / 1_000_000,
            budget: limitMicros / 1_000_000,
            currency: current.plan.currency,
            resetsAt: current.resetsAt.toISOString(),
            overrideBy: WHO_CAN_OVERRIDE,
          },
        );
      }
    },
    invalidate(tenantId) {
      cache.delete(tenantId);
    },
  };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const formatMoney = (micros: number, currency = "USD") =>
  new Intl.NumberFormat("en-US", { style: "currency", currency }).format(micros / 1_000_000);

export async function ensureBillingIndexes(db: Db): Promise<void> {
  await db.collection(BILLING_OVERRIDES).createIndex({ tenantId: 1, until: 1 }, { name: "tenant_until" });
}
