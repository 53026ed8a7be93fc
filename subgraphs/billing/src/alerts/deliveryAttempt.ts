import { sendWebhook, type AttemptOutcome, type Clock, type Logger, type SecretBox, type SendEmail } from "@intelgraph/kit";
import type { DeliveryStore, StoredDelivery } from "./deliveryStore.ts";

export const NO_SMTP_ERROR = "no SMTP server configured: billing alert e-mails cannot be sent until the platform operator sets one";

export interface DeliveryAttemptDeps {
  store: DeliveryStore;
  logger: Logger;
  clock: Clock;
  /** Null when no SMTP server is configured. */
  email: { send: SendEmail } | null;
  fetchImpl: typeof fetch;
  backoffMs: readonly number[];
  timeoutMs: number;
  leaseMs: number;
  /** Opens the sealed signing secret of a webhook delivery. */
  secretBox: SecretBox;
}

/** The attempt logic of the alert delivery: sending one attempt, and recording its outcome. */
export function createDeliveryAttempt({
  store,
  logger,
  clock,
  email,
  fetchImpl,
  backoffMs,
  timeoutMs,
  leaseMs,
  secretBox,
}: DeliveryAttemptDeps) {
  const now = () => new Date(clock());

  async function send(delivery: StoredDelivery): Promise<AttemptOutcome> {
    if (delivery.channel === "EMAIL") {
      if (!email) return { result: "FAILED", statusCode: null, error: NO_SMTP_ERROR };
      return email.send({ to: delivery.target, subject: delivery.subject ?? "", text: delivery.text ?? "" });
    }
    if (!delivery.webhookUrl || !delivery.webhookSecret || delivery.body === undefined) {
      return { result: "FAILED", statusCode: null, error: "the stored delivery lacks its URL, secret or body" };
    }
    const timestampSeconds = Math.floor(clock() / 1000);
    return sendWebhook(
      fetchImpl,
      {
        url: delivery.webhookUrl,
        secret: secretBox.open(delivery.webhookSecret),
        body: delivery.body,
        deliveryId: delivery._id,
        timestampSeconds,
        userAgent: "IntelGraph-Billing-Alerts/1",
      },
      timeoutMs,
    );
  }

  /** Records attempt `delivery.attempts + 1` as `outcome`: delivered, another try after the backoff, or failed. */
  async function settle(delivery: StoredDelivery, outcome: AttemptOutcome): Promise<void> {
    const attempts = delivery.attempts + 1;
    const at = now();
    const common = { attempts, lastStatusCode: outcome.statusCode, leaseUntil: null, updatedAt: at };
    const log = {
      deliveryId: delivery._id,
      tenantId: delivery.tenantId,
      alertId: delivery.alertId,
      channel: delivery.channel,
      target: delivery.target,
      attempt: attempts,
      statusCode: outcome.statusCode,
      error: outcome.error,
    };
    if (outcome.result === "DELIVERED") {
      await store.settle(delivery, { ...common, status: "DELIVERED", lastError: null, nextAttemptAt: null, deliveredAt: at }, true);
      logger.info(log, "billing alert delivered");
    } else if (outcome.result === "RETRY" && attempts < delivery.maxAttempts) {
      const wait = backoffMs[Math.min(attempts - 1, backoffMs.length - 1)] ?? 0;
      const nextAttemptAt = new Date(at.getTime() + wait);
      await store.settle(delivery, { ...common, status: "PENDING", lastError: outcome.error, nextAttemptAt }, false);
      logger.warn({ ...log, nextAttemptAt }, "billing alert delivery failed; it will be retried");
    } else {
      const lastError = outcome.result === "RETRY" ? `${outcome.error} (gave up after ${attempts} attempts)` : outcome.error;
      await store.settle(delivery, { ...common, status: "FAILED", lastError, nextAttemptAt: null }, true);
      logger.warn({ ...log, error: lastError }, "billing alert delivery failed for good");
    }
  }

  /** Makes the next attempt of a leased delivery unless another process has taken it; true when one was made. */
  async function attempt(delivery: StoredDelivery): Promise<boolean> {
    const n = delivery.attempts + 1;
    const taken = await store.takeAttempt(delivery, n, now());
    if (taken !== true) {
      // Another process took attempt n. Still running: leave it. Finished, or its process died: record it and move on.
      if (!taken.finishedAt && taken.startedAt.getTime() + leaseMs > clock()) return false;
      const outcome: AttemptOutcome = taken.result
        ? { result: taken.result, statusCode: taken.statusCode, error: taken.error }
        : { result: "RETRY", statusCode: null, error: "the attempt was interrupted (the process making it stopped)" };
      await settle(delivery, outcome);
      return false;
    }
    const outcome = await send(delivery);
    await store.finishAttempt(delivery, n, outcome, now());
    await settle(delivery, outcome);
    return true;
  }

  return attempt;
}
