import { createHmac, timingSafeEqual } from "node:crypto";

/** Who is calling: resolved by the gateway, carried to subgraphs in a signed header. */
export interface Principal {
  /** `user` for a signed-in person, `anonymous` before sign-in. */
  kind: "user" | "anonymous";
  tenantId: string | null;
  userId: string | null;
  roles: string[];
  scopes: string[];
}

export const ANONYMOUS: Principal = Object.freeze({
  kind: "anonymous",
  tenantId: null,
  userId: null,
  roles: [],
  scopes: [],
}) as Principal;

/** Header the gateway sets on every subgraph request. */
export const PRINCIPAL_HEADER = "x-intelgraph-principal";
export const REQUEST_ID_HEADER = "x-request-id";

interface SignedEnvelope {
  p: Principal;
  rid: string;
  iat: number;
}

export interface VerifiedPrincipal {
  principal: Principal;
  requestId: string;
}

export type PrincipalVerification =
  { ok: true; value: VerifiedPrincipal } | { ok: false; reason: "missing" | "malformed" | "bad-signature" | "stale" };

function mac(key: string, body: string): string {
  return createHmac("sha256", key).update(body).digest("base64url");
}

/** `base64url(json).hmac` — small, header-safe, and cheap to verify. */
export function signPrincipal(principal: Principal, requestId: string, key: string, now = Date.now()): string {
  const envelope: SignedEnvelope = { p: principal, rid: requestId, iat: Math.floor(now / 1000) };
  const body = Buffer.from(JSON.stringify(envelope)).toString("base64url");
  return `${body}.${mac(key, body)}`;
}

/**
 * Verifies a signed principal. `maxAgeSeconds` bounds replay of a captured
 * header; subscriptions re-sign on connect so long-lived sockets are fine.
 */
export function verifyPrincipal(
  header: string | undefined | null,
  key: string,
  options: { now?: number; maxAgeSeconds?: number } = {},
): PrincipalVerification {
  if (!header) return { ok: false, reason: "missing" };
  const { now = Date.now(), maxAgeSeconds = 60 } = options;
  const dot = header.indexOf(".");
  if (dot <= 0 || dot === header.length - 1) return { ok: false, reason: "malformed" };
  const body = header.slice(0, dot);
  const given = Buffer.from(header.slice(dot + 1));
  const expected = Buffer.from(mac(key, body));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "bad-signature" };
  }
  let envelope: SignedEnvelope;
  try {
    envelope = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as SignedEnvelope;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof envelope.iat !== "number" || typeof envelope.p !== "object" || envelope.p === null) {
    return { ok: false, reason: "malformed" };
  }
  const age = Math.floor(now / 1000) - envelope.iat;
  if (age > maxAgeSeconds || age < -maxAgeSeconds) return { ok: false, reason: "stale" };
  return { ok: true, value: { principal: envelope.p, requestId: String(envelope.rid ?? "") } };
}
