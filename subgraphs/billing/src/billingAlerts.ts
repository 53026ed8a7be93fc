import type { Db } from "mongodb";
import {
  createTenantRepository,
  formatMoney,
  isDuplicateKeyError,
  requireUser,
  systemClock,
  USAGE_LIVE,
  utcDay,
  type BillingGuard,
  type BillingState,
  type Clock,
  type Logger,
  type Principal,
  type PubSub,
  type SecretBox,
  type UsageMetric,
} from "@intelgraph/kit";

export const BILLING_ALERTS = "billing_alerts";
/** Quota notices: at 80 % (a warning) and at 100 % (the metered operation is now refused). */
export const QUOTA_THRESHOLDS = [80, 100] as const;

export interface BillingAlertRecord {
  /** `<tenant>|<period>|BUDGET|<threshold>` or `<tenant>|<period>|QUOTA|<metric>|<threshold>`: the fixed id is what raises it once. */
  _id: string;
  tenantId: string;
  kind: "BUDGET" | "QUOTA";
  period: string;
  threshold: number;
  metric: UsageMetric | null;
  used: number;
  limit: number;
  message: string;
  raisedAt: Date;
}

export interface AlertSender {
  enqueue(
    alert: { id: string; tenantId: string; kind: "BUDGET" | "QUOTA"; subject: string; text: string; payload: Record<string, unknown> },
    channels: { webhook?: { url: string; secret: string } | null; emails?: readonly string[] },
  ): Promise<unknown>;
}

export const billingAlertTopic = (tenantId: string) => `billing.alerts.${tenantId}`;

/** What an alert says, as the API, the webhook and the subscription show it. */
export const alertView = (a: BillingAlertRecord) => ({
  id: a._id,
  kind: a.kind,
  period: a.period,
  threshold: a.threshold,
  metric: a.metric,
  used: a.used,
  limit: a.limit,
  message: a.message,
  raisedAt: a.raisedAt.toISOString(),
});

const metricWords = (metric: string) => metric.toLowerCase().replaceAll("_", " ");

/** The thresholds a tenant's month has crossed, each an alert to raise (once). */
export function crossedThresholds(state: BillingState): Omit<BillingAlertRecord, "raisedAt">[] {
  const out: Omit<BillingAlertRecord, "raisedAt">[] = [];
  const { tenantId, period } = state;
  const { limitMicros, spentMicros, thresholds } = state.budget;
  if (limitMicros) {
    for (const threshold of thresholds) {
      if (spentMicros * 100 < threshold * limitMicros) continue;
      const stop = threshold >= 100 ? " Exports, ingest jobs and questions are paused until the budget is raised or overridden." : "";
      out.push({
        _id: `${tenantId}|${period}|BUDGET|${threshold}`,
        tenantId,
        kind: "BUDGET",
        period,
        threshold,
        metric: null,
        used: spentMicros / 1_000_000,
        limit: limitMicros / 1_000_000,
        message: `${threshold} % of this month's budget is spent: ${formatMoney(spentMicros)} of ${formatMoney(limitMicros)}.${stop}`,
      });
    }
  }
  for (const quota of state.quotas) {
    for (const threshold of QUOTA_THRESHOLDS) {
      if (quota.used * 100 < threshold * quota.limit) continue;
      const what = threshold >= 100 ? "is used up: further ones are refused until it resets or the plan changes" : "is nearly used";
      out.push({
        _id: `${tenantId}|${period}|QUOTA|${quota.metric}|${threshold}`,
        tenantId,
        kind: "QUOTA",
        period,
        threshold,
        metric: quota.metric,
        used: quota.used,
        limit: quota.limit,
        message: `The ${state.plan.name} plan's monthly quota of ${quota.limit.toLocaleString("en")} ${metricWords(quota.metric)} ${what} (${quota.used.toLocaleString("en")} used, ${threshold} %).`,
      });
    }
  }
  return out;
}

/**
 * Raises budget and quota alerts exactly once per period per threshold: the
 * alert's id is fixed, so of two processes (or two runs) evaluating the same
 * crossing only the first insert succeeds, and only that one publishes and
 * delivers. Evaluated by a scheduled job over the tenants active today.
 */
export function createBillingAlerts(deps: {
  db: Db;
  guard: BillingGuard;
  pubsub: PubSub;
  sender: AlertSender;
  /** Opens the account's sealed webhook secret to hand it to the delivery (which seals it again for its retries). */
  secretBox: SecretBox;
  logger: Logger;
  now?: Clock;
}) {
  const { db, guard, pubsub, sender, secretBox, logger, now = systemClock } = deps;
  const alerts = createTenantRepository<BillingAlertRecord>(db, BILLING_ALERTS, {
    indexes: [{ key: { tenantId: 1, raisedAt: -1 }, name: "tenant_raised" }],
  });

  async function raise(alert: Omit<BillingAlertRecord, "raisedAt">, state: BillingState): Promise<boolean> {
    let record: BillingAlertRecord;
    try {
      record = await alerts.forTenant(alert.tenantId).insertOne({ ...alert, raisedAt: new Date(now()) });
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
    const view = alertView(record);
    const webhook = state.account?.webhook;
    await pubsub.publish(billingAlertTopic(record.tenantId), view);
    const subject = `${record.kind === "BUDGET" ? "Budget" : "Quota"} ${record.threshold} % reached (${record.period})`;
    await sender.enqueue(
      {
        id: record._id,
        tenantId: record.tenantId,
        kind: record.kind,
        subject,
        text: record.message,
        payload: { tenantId: record.tenantId, ...view },
      },
      { webhook: webhook ? { url: webhook.url, secret: secretBox.open(webhook.secret) } : null, emails: state.account?.emails ?? [] },
    );
    return true;
  }

  async function evaluate(tenantId: string): Promise<number> {
    guard.invalidate(tenantId);
    const state = await guard.state(tenantId);
    let raised = 0;
    for (const alert of crossedThresholds(state)) if (await raise(alert, state)) raised++;
    return raised;
  }

  return {
    ensureIndexes: () => alerts.ensureIndexes(),
    evaluate,
    /** Every tenant with usage today; a failure for one tenant is logged and the others still run. */
    async evaluateActive(): Promise<number> {
      const tenantIds = (await db.collection(USAGE_LIVE).distinct("tenantId", { day: utcDay(now()) })) as string[];
      let raised = 0;
      for (const tenantId of tenantIds) {
        try {
          raised += await evaluate(tenantId);
        } catch (error) {
          logger.error({ err: error, tenantId }, "billing alert evaluation failed");
        }
      }
      return raised;
    },
    async list(principal: Principal, first: number) {
      const caller = requireUser(principal);
      const rows = await alerts.forTenant(caller.tenantId).find({}, { sort: { raisedAt: -1 }, limit: Math.min(Math.max(first, 1), 200) });
      return rows.map(alertView);
    },
    subscribe(principal: Principal) {
      return pubsub.subscribe(billingAlertTopic(requireUser(principal).tenantId));
    },
  };
}

export type BillingAlerts = ReturnType<typeof createBillingAlerts>;
