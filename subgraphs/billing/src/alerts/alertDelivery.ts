import type { Db } from "mongodb";
import { createEmailSender, displayUrl, parseWebhookUrl, systemClock, type Clock, type Logger, type SecretBox } from "@intelgraph/kit";
import { createDeliveryStore, deliveryId, type DeliveryChannel, type DeliveryStatus, type StoredDelivery } from "./deliveryStore.ts";
import { createDeliveryAttempt, NO_SMTP_ERROR } from "./deliveryAttempt.ts";

export { ALERT_DELIVERIES, ALERT_DELIVERY_ATTEMPTS } from "./deliveryStore.ts";
export { signWebhookBody, verifyWebhookSignature, WEBHOOK_DELIVERY_HEADER, WEBHOOK_SIGNATURE_HEADER } from "@intelgraph/kit";

/** A billing alert to deliver; the caller decides when one is raised (once per period and threshold). */
export interface AlertMessage {
  /** The alert's id (unique): deliveries are idempotent per (alert id, channel, target). */
  id: string;
  tenantId: string;
  kind: "BUDGET" | "QUOTA";
  /** The e-mail subject, e.g. "Budget 80 % reached for Acme (2026-12)". */
  subject: string;
  /** The plain-text e-mail body, one a person can act on. */
  text: string;
  /** The webhook's `data`: the body is `{ id, type: "billing.alert", createdAt, data: payload }`. */
  payload: Record<string, unknown>;
}

export interface AlertChannels {
  webhook?: { url: string; secret: string } | null;
  emails?: readonly string[];
}

export interface DeliveryRecord {
  id: string;
  tenantId: string;
  alertId: string;
  channel: DeliveryChannel;
  /** The e-mail address, or the webhook URL without credentials, query or fragment. */
  target: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  /** The webhook's HTTP status or the SMTP reply code of the last attempt. */
  lastStatusCode: number | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface AlertDeliveryOptions {
  db: Db;
  logger: Logger;
  /** @default systemClock */
  now?: Clock;
  /** Seals the webhook signing secret a pending delivery keeps for its retries. */
  secretBox: SecretBox;
  /** Without it, e-mail deliveries are recorded FAILED ("no SMTP server configured"). */
  smtp?: { url: string; from: string } | undefined;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * The waits between attempts; a delivery gets `backoffMs.length + 1` attempts.
   * @default [5_000, 30_000, 120_000, 600_000, 3_600_000]
   */
  backoffMs?: readonly number[];
  /**
   * The limit on one attempt; a claimed delivery is leased for twice as long.
   * @default 5_000
   */
  timeoutMs?: number;
}

export { NO_SMTP_ERROR };

function toRecord(doc: StoredDelivery): DeliveryRecord {
  const { _id, tenantId, alertId, channel, target, status, attempts, lastError, lastStatusCode, nextAttemptAt, deliveredAt, createdAt } =
    doc;
  return {
    id: _id,
    tenantId,
    alertId,
    channel,
    target,
    status,
    attempts,
    lastError,
    lastStatusCode,
    nextAttemptAt,
    deliveredAt,
    createdAt,
  };
}

/**
 * Delivers billing alerts by signed webhook and by e-mail, with retries and a
 * delivery log (`billing_alert_deliveries`, one record per channel target; one
 * `billing_alert_delivery_attempts` document per attempt). `enqueue` makes the
 * first attempts; a scheduled job calls `sweep` for the retries.
 *
 * Exactly-once per attempt without transactions: the sweep leases a record with
 * a filtered findOneAndUpdate, and attempt n of a delivery is taken by inserting
 * the fixed id `<delivery>#<n>`, which only one process can do.
 */
export function createAlertDelivery({
  db,
  logger,
  now: clock = systemClock,
  secretBox,
  smtp,
  fetch: fetchImpl = globalThis.fetch,
  backoffMs = [5_000, 30_000, 120_000, 600_000, 3_600_000],
  timeoutMs = 5_000,
}: AlertDeliveryOptions) {
  const store = createDeliveryStore(db);
  const email = smtp ? createEmailSender(smtp, timeoutMs) : null;
  const leaseMs = timeoutMs * 2;
  const now = () => new Date(clock());

  function buildDeliveries(alert: AlertMessage, channels: AlertChannels, at: Date): StoredDelivery[] {
    const base = (channel: DeliveryChannel, key: string, target: string): StoredDelivery => ({
      _id: deliveryId(alert.tenantId, alert.id, channel, key),
      tenantId: alert.tenantId,
      alertId: alert.id,
      channel,
      target,
      status: "PENDING",
      attempts: 0,
      maxAttempts: backoffMs.length + 1,
      lastError: null,
      lastStatusCode: null,
      nextAttemptAt: at,
      deliveredAt: null,
      createdAt: at,
      updatedAt: at,
      // The enqueuing process makes the first attempt: the sweep keeps off it meanwhile.
      leaseUntil: new Date(at.getTime() + leaseMs),
    });
    const failed = (doc: StoredDelivery, lastError: string): StoredDelivery => ({
      ...doc,
      status: "FAILED",
      lastError,
      nextAttemptAt: null,
      leaseUntil: null,
    });
    const docs: StoredDelivery[] = [];
    if (channels.webhook) {
      const url = parseWebhookUrl(channels.webhook.url);
      if (!url) {
        docs.push(failed(base("WEBHOOK", channels.webhook.url, "(invalid URL)"), "the webhook URL is not an absolute http(s) URL"));
      } else if (!channels.webhook.secret) {
        docs.push(failed(base("WEBHOOK", url.href, displayUrl(url)), "the webhook has no signing secret"));
      } else {
        const body = JSON.stringify({ id: alert.id, type: "billing.alert", createdAt: at.toISOString(), data: alert.payload });
        docs.push({
          ...base("WEBHOOK", url.href, displayUrl(url)),
          webhookUrl: url.href,
          webhookSecret: secretBox.seal(channels.webhook.secret),
          body,
        });
      }
    }
    const addresses = new Set((channels.emails ?? []).map((address) => address.trim().toLowerCase()).filter(Boolean));
    for (const address of addresses) {
      const doc = { ...base("EMAIL", address, address), subject: alert.subject, text: alert.text };
      docs.push(email ? doc : failed(doc, NO_SMTP_ERROR));
    }
    return docs;
  }

  const attempt = createDeliveryAttempt({ store, logger, clock, email, fetchImpl, backoffMs, timeoutMs, leaseMs, secretBox });

  return {
    ensureIndexes: () => store.ensureIndexes(),

    /**
     * Writes one delivery record per channel target (a second enqueue of the
     * same alert adds nothing and sends nothing) and makes the first attempt of
     * each new one. Never throws for a delivery failure; resolves after the first attempts.
     */
    async enqueue(alert: AlertMessage, channels: AlertChannels): Promise<DeliveryRecord[]> {
      const docs = buildDeliveries(alert, channels, now());
      const ids = await Promise.all(
        docs.map(async (doc) => {
          const { stored, inserted } = await store.insertOnce(doc);
          if (inserted && stored.status === "PENDING") await attempt(stored);
          else if (inserted) {
            logger.warn(
              {
                deliveryId: stored._id,
                tenantId: stored.tenantId,
                alertId: stored.alertId,
                channel: stored.channel,
                error: stored.lastError,
              },
              "billing alert delivery failed for good",
            );
          }
          return stored._id;
        }),
      );
      const records = await Promise.all(ids.map((id) => store.findOne(alert.tenantId, id)));
      return records.filter((doc): doc is StoredDelivery => doc !== null).map(toRecord);
    },

    /** Makes every due retry (leased, so two processes never send one attempt twice); returns how many attempts were made. */
    async sweep(): Promise<number> {
      let made = 0;
      for (;;) {
        const at = now();
        const claimed = await store.claimDue(at, new Date(at.getTime() + leaseMs));
        if (!claimed) return made;
        if (await attempt(claimed)) made++;
      }
    },

    /** The tenant's delivery records, oldest first; of one alert when `alertId` is given. */
    async deliveries(tenantId: string, alertId?: string): Promise<DeliveryRecord[]> {
      return (await store.find(tenantId, alertId)).map(toRecord);
    },
  };
}

export type AlertDelivery = ReturnType<typeof createAlertDelivery>;
