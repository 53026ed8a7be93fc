import nodemailer from "nodemailer";
import { signWebhookBody, WEBHOOK_DELIVERY_HEADER, WEBHOOK_SIGNATURE_HEADER } from "./webhookSignature.ts";

/**
 * One attempt to deliver a notification: a signed webhook POST or an e-mail.
 * Billing's alert deliveries (with their retries and log) and playbook steps
 * and failure alerts all send through here.
 */

/** What one attempt came to: delivered, worth another try, or refused for good. */
export interface AttemptOutcome {
  result: "DELIVERED" | "RETRY" | "FAILED";
  statusCode: number | null;
  error: string | null;
}

/** HTTP statuses worth retrying: the receiver is down, slow or asks us to slow down. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/**
 * A webhook URL as it may be shown and logged: no user:password, no query or
 * fragment (they often carry tokens); `?…` marks that a query was dropped.
 */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search ? "?…" : ""}`;
}

/** Parses a webhook URL, or null when it is not an absolute http(s) URL. */
export function parseWebhookUrl(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail = typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : null;
  const message = error instanceof Error ? error.message : String(error);
  return `network error: ${detail ? `${message} (${detail})` : message}`;
}

export interface WebhookAttempt {
  url: string;
  secret: string;
  body: string;
  deliveryId: string;
  timestampSeconds: number;
  /** @default "IntelGraph/1" */
  userAgent?: string;
  /** Stops the attempt early as well (a playbook step's timeout or cancel), besides `timeoutMs`. */
  signal?: AbortSignal;
}

/**
 * POSTs the stored body, signed for this attempt's timestamp. Credentials in
 * the URL become a Basic Authorization header (fetch refuses them in the URL).
 * Redirects are not followed (the signed body goes only where it was configured
 * to): a 3xx is a refusal like any 4xx other than 408/429.
 */
export async function sendWebhook(fetchImpl: typeof fetch, attempt: WebhookAttempt, timeoutMs: number): Promise<AttemptOutcome> {
  const url = new URL(attempt.url);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": attempt.userAgent ?? "IntelGraph/1",
    [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(attempt.secret, attempt.timestampSeconds, attempt.body),
    [WEBHOOK_DELIVERY_HEADER]: attempt.deliveryId,
  };
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    headers["authorization"] = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: "POST",
      headers,
      body: attempt.body,
      redirect: "manual",
      signal: attempt.signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), attempt.signal]) : AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { result: "RETRY", statusCode: null, error: describeNetworkError(error, timeoutMs) };
  }
  await response.body?.cancel().catch(() => undefined);
  const status = response.status;
  if (status >= 200 && status < 300) return { result: "DELIVERED", statusCode: status, error: null };
  const error = `the receiver answered HTTP ${status}${response.statusText ? ` ${response.statusText}` : ""}`;
  return { result: isRetryableStatus(status) ? "RETRY" : "FAILED", statusCode: status, error };
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

export type SendEmail = (message: EmailMessage) => Promise<AttemptOutcome>;

/**
 * A sender over one nodemailer SMTP transport (`smtp.url`, e.g.
 * `smtp://user:pass@mail.example.com:587`), each wait bounded by `timeoutMs`.
 * A permanent SMTP refusal (5xx, or an address the envelope cannot take) fails
 * at once; a 4xx reply, a timeout or a lost connection is retried.
 */
export function createEmailSender(smtp: { url: string; from: string }, timeoutMs: number): { send: SendEmail; close(): void } {
  const transport = nodemailer.createTransport({
    url: smtp.url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    async send({ to, subject, text }) {
      try {
        await transport.sendMail({ from: smtp.from, to, subject, text });
        return { result: "DELIVERED", statusCode: null, error: null };
      } catch (error) {
        const { responseCode, code, message } = error as { responseCode?: number; code?: string; message?: string };
        const permanent = (typeof responseCode === "number" && responseCode >= 500) || code === "EENVELOPE";
        const statusCode = typeof responseCode === "number" ? responseCode : null;
        return { result: permanent ? "FAILED" : "RETRY", statusCode, error: `SMTP: ${message ?? String(error)}` };
      }
    },
    close: () => transport.close(),
  };
}
