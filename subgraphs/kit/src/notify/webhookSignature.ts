import { createHmac, timingSafeEqual } from "node:crypto";

/** The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256>` on every webhook we send (billing alerts, playbook steps and alerts). */
export const WEBHOOK_SIGNATURE_HEADER = "x-intelgraph-signature";

/** The header naming the delivery (the same on every retry of it): receivers deduplicate by it. */
export const WEBHOOK_DELIVERY_HEADER = "x-intelgraph-delivery";

/** How far a signature's timestamp may lie from the receiver's clock. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

const hmacHex = (secret: string, timestampSeconds: number, body: string) =>
  createHmac("sha256", secret).update(`${timestampSeconds}.${body}`, "utf8").digest("hex");

/**
 * The signature header value for `body` sent at `timestampSeconds`, Stripe-style:
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 */
export function signWebhookBody(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${hmacHex(secret, timestampSeconds, body)}`;
}

/**
 * What a receiver runs on the raw request body: true when `header` carries a
 * `v1` signature of `body` under `secret` (compared in constant time) and its
 * timestamp lies within `toleranceSeconds` of `nowSeconds` (replays of old
 * requests fail). A malformed header is false, never an exception. Several
 * `v1=` entries are allowed (one matching is enough), as during a secret rotation.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds: number = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const [key, value, ...rest] = part.trim().split("=");
    if (rest.length || !key || !value) return false;
    if (key === "t") {
      if (!/^\d{1,12}$/.test(value)) return false;
      timestamp = Number(value);
    } else if (key === "v1") {
      if (!/^[0-9a-f]{64}$/.test(value)) return false;
      signatures.push(value);
    }
  }
  if (timestamp === null || !signatures.length) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), "hex");
  return signatures.some((signature) => timingSafeEqual(Buffer.from(signature, "hex"), expected));
}
