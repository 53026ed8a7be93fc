import type { TlpMarking } from "./clearance.ts";
import { createHmac, timingSafeEqual } from "node:crypto";

/** Who is calling: resolved by the gateway, carried to subgraphs in a signed header. */
export interface Principal {
  /** `user` for a signed-in person, `token` for an API token, `anonymous` before sign-in. */
  kind: "user" | "token" | "anonymous";
  tenantId: string | null;
  userId: string | null;
  /** For a token: its creator's current roles; its rights are the scopes they still allow. */
  roles: string[];
  /** For a token: the permissions it was created with. Empty for sessions. */
  scopes: string[];
  /** For a token: its id (audit events name it). */
  tokenId?: string;
  /** The highest TLP marking this caller may see (see clearance.ts); absent: the role default. For a token: the lower of its own and its creator's. */
  clearance?: TlpMarking;
}

/** A signed-in person or an API token acting for one: either has a tenant and a user. */
export function isSignedIn(principal: Principal): principal is Principal & { kind: "user" | "token"; tenantId: string; userId: string } {
  return principal.kind !== "anonymous" && Boolean(principal.tenantId) && Boolean(principal.userId);
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
