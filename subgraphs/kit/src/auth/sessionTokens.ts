import { createHash } from "node:crypto";
import { SignJWT, jwtVerify, errors as joseErrors, type JWTHeaderParameters } from "jose";
import { isTlpMarking, type TlpMarking } from "./clearance.ts";

/** Claims our session JWT carries; the gateway turns them into a Principal. */
export interface SessionClaims {
  sub: string;
  tid: string;
  roles: string[];
  /** The tenant's plan, which sets its rate limits at the gateway. */
  plan?: string;
  /** The user's clearance (highest TLP marking they may see) when the session began. */
  clr?: TlpMarking;
}

export const SESSION_ISSUER = "intelgraph";
export const SESSION_AUDIENCE = "intelgraph-api";

/**
 * Signing keys for session tokens: one active key signs (its id goes in the
 * JWT header as `kid`); previous keys still verify, so keys rotate without
 * signing anyone out: make the new secret active, keep the old one as
 * previous for one session lifetime, then drop it.
 */
export interface SessionKeyring {
  activeKid: string;
  keys: ReadonlyMap<string, Uint8Array>;
}

/** A key's id: derived from the secret, so operators never manage ids by hand. */
export const sessionKeyId = (secret: string) => createHash("sha256").update(secret).digest("hex").slice(0, 12);

export function createSessionKeyring(active: string, previous: readonly string[] = []): SessionKeyring {
  const keys = new Map<string, Uint8Array>();
  for (const secret of [active, ...previous]) keys.set(sessionKeyId(secret), new TextEncoder().encode(secret));
  return { activeKid: sessionKeyId(active), keys };
}

const keyringOf = (keys: SessionKeyring | string) => (typeof keys === "string" ? createSessionKeyring(keys) : keys);

export async function issueSessionToken(claims: SessionClaims, keys: SessionKeyring | string, ttlSeconds: number, now = Date.now()) {
  const keyring = keyringOf(keys);
  const iat = Math.floor(now / 1000);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT({
    tid: claims.tid,
    roles: claims.roles,
    ...(claims.plan ? { plan: claims.plan } : {}),
    ...(claims.clr ? { clr: claims.clr } : {}),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: keyring.activeKid })
    .setSubject(claims.sub)
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(keyring.keys.get(keyring.activeKid)!);
  return { token, expiresAt: new Date(exp * 1000) };
}

export type SessionVerification = { ok: true; claims: SessionClaims; expiresAt: Date } | { ok: false; reason: "expired" | "invalid" };

export async function verifySessionToken(token: string, keys: SessionKeyring | string): Promise<SessionVerification> {
  const keyring = keyringOf(keys);
  const keyFor = (header: JWTHeaderParameters) => {
    const key = keyring.keys.get(header.kid ?? keyring.activeKid);
    if (!key) throw new Error(`unknown signing key ${header.kid}`);
    return key;
  };
  try {
    const { payload } = await jwtVerify(token, keyFor, {
      issuer: SESSION_ISSUER,
      audience: SESSION_AUDIENCE,
      algorithms: ["HS256"],
    });
    if (typeof payload.sub !== "string" || typeof payload["tid"] !== "string" || !Array.isArray(payload["roles"])) {
      return { ok: false, reason: "invalid" };
    }
    return {
      ok: true,
      claims: {
        sub: payload.sub,
        tid: payload["tid"],
        roles: payload["roles"].map(String),
        ...(typeof payload["plan"] === "string" ? { plan: payload["plan"] } : {}),
        ...(isTlpMarking(payload["clr"]) ? { clr: payload["clr"] } : {}),
      },
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    };
  } catch (error) {
    return { ok: false, reason: error instanceof joseErrors.JWTExpired ? "expired" : "invalid" };
  }
}
