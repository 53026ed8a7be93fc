import { SignJWT, jwtVerify, errors as joseErrors } from "jose";

/** Claims our session JWT carries; the gateway turns them into a Principal. */
export interface SessionClaims {
  sub: string;
  tid: string;
  roles: string[];
  /** The tenant's plan, which sets its rate limits at the gateway. */
  plan?: string;
}

export const SESSION_ISSUER = "intelgraph";
export const SESSION_AUDIENCE = "intelgraph-api";

export async function issueSessionToken(claims: SessionClaims, secret: string, ttlSeconds: number, now = Date.now()) {
  const iat = Math.floor(now / 1000);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT({ tid: claims.tid, roles: claims.roles, ...(claims.plan ? { plan: claims.plan } : {}) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret));
  return { token, expiresAt: new Date(exp * 1000) };
}

export type SessionVerification = { ok: true; claims: SessionClaims; expiresAt: Date } | { ok: false; reason: "expired" | "invalid" };

export async function verifySessionToken(token: string, secret: string): Promise<SessionVerification> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
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
      },
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    };
  } catch (error) {
    return { ok: false, reason: error instanceof joseErrors.JWTExpired ? "expired" : "invalid" };
  }
}
