import type { PlanId, RequestContext } from "@intelgraph/kit";
import type { AccountService } from "./accounts.ts";
import type { AlertDelivery } from "./alerts/alertDelivery.ts";
import type { BillingAlerts } from "./billingAlerts.ts";
import type { UsageArgs, UsageService } from "./billingService.ts";
import type { createFunnel } from "./funnel.ts";
import type { InvoiceService, InvoiceView } from "./invoiceService.ts";
import type { InvoiceFormat } from "./invoices/renderInvoice.ts";
import type { ReconciliationService } from "./reconciliationService.ts";
import type { Rollups } from "./rollups.ts";
import type { Reconciliation, TenantReconciliation } from "./reconciliation/reconcile.ts";

export interface BillingServices {
  usage: UsageService;
  accounts: AccountService;
  alerts: BillingAlerts;
  delivery: AlertDelivery;
  rollups: Rollups;
  funnel: ReturnType<typeof createFunnel>;
  invoices: InvoiceService;
  reconciliation: ReconciliationService;
}

export interface BillingContext extends RequestContext {
  billing: BillingServices;
}

const micros = (n: number) => n / 1_000_000;

const tenantCostView = (t: TenantReconciliation) => ({
  tenantId: t.tenantId,
  cost: micros(t.costMicros),
  cpuSeconds: t.cpuSeconds,
  storageBytes: t.storageBytes,
  meteredRevenue: micros(t.meteredRevenueMicros),
  margin: micros(t.marginMicros),
  baseline: t.baselineMicros === null ? null : micros(t.baselineMicros),
  deviationRatio: t.deviationRatio,
  anomaly: t.anomaly,
  reason: t.reason,
});

const reconciliationView = (r: Reconciliation) => ({
  day: r.day,
  infraCost: micros(r.infraCostMicros),
  attributedCost: micros(r.attributedCostMicros),
  unattributedCost: micros(r.unattributedCostMicros),
  confidence: r.confidence,
  tenants: r.tenants.map(tenantCostView),
  anomalies: r.anomalies.map(tenantCostView),
});

type Ctx = BillingContext;

export const resolvers = {
  Query: {
    usage: (_: unknown, args: UsageArgs, ctx: Ctx) => ctx.billing.usage.usage(ctx.principal, args),
    usageCsv: (_: unknown, args: UsageArgs, ctx: Ctx) => ctx.billing.usage.usageCsv(ctx.principal, args),
    plans: (_: unknown, __: unknown, ctx: Ctx) => ctx.billing.accounts.plans(),
    billingAccount: (_: unknown, __: unknown, ctx: Ctx) => ctx.billing.accounts.account(ctx.principal),
    billingAlerts: (_: unknown, args: { first?: number }, ctx: Ctx) => ctx.billing.alerts.list(ctx.principal, args.first ?? 50),
    onboardingFunnel: (_: unknown, __: unknown, ctx: Ctx) => ctx.billing.funnel.funnel(ctx.principal),
    invoices: (_: unknown, __: unknown, ctx: Ctx) => ctx.billing.invoices.list(ctx.principal),
    invoice: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.billing.invoices.get(ctx.principal, args.id),
    costReconciliation: async (_: unknown, args: { day?: string | null }, ctx: Ctx) =>
      reconciliationView(await ctx.billing.reconciliation.get(args)),
  },
  Mutation: {
    changePlan: (_: unknown, args: { plan: PlanId }, ctx: Ctx) => ctx.billing.accounts.changePlan(ctx, args.plan),
    setBudget: (_: unknown, args: { input: unknown }, ctx: Ctx) => ctx.billing.accounts.setBudget(ctx, args.input),
    setBillingAlertChannels: (_: unknown, args: { input: unknown }, ctx: Ctx) => ctx.billing.accounts.setAlertChannels(ctx, args.input),
    grantBillingOverride: (_: unknown, args: { input: unknown }, ctx: Ctx) => ctx.billing.accounts.grantOverride(ctx, args.input),
    revokeBillingOverride: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.billing.accounts.revokeOverride(ctx, args.id),
    createInvoice: (_: unknown, args: { period: string }, ctx: Ctx) => ctx.billing.invoices.create(ctx, args),
  },
  Subscription: {
    budgetAlertRaised: {
      subscribe: (_: unknown, __: unknown, ctx: Ctx) => ctx.billing.alerts.subscribe(ctx.principal),
      resolve: (alert: unknown) => alert,
    },
  },
  BillingAlert: {
    deliveries: async (alert: { id: string }, _: unknown, ctx: Ctx) => {
      const tenantId = ctx.principal.tenantId;
      if (!tenantId) return [];
      const rows = await ctx.billing.delivery.deliveries(tenantId, alert.id);
      return rows.map((d) => ({ ...d, deliveredAt: d.deliveredAt?.toISOString() ?? null }));
    },
  },
  Invoice: {
    document: (invoice: InvoiceView, args: { format: InvoiceFormat }, ctx: Ctx) =>
      ctx.billing.invoices.document(invoice.stored, args.format),
  },
};
