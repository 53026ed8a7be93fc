/**
 * Signed, expiring capability tokens for links that need no other
 * credentials (ingest uploads, report-export downloads): `<claims>.<hmac>`,
 * the claims base64url JSON with an `exp` (epoch ms), the HMAC-SHA256 keyed by
 * a service key under a purpose prefix, so a token minted for one purpose is
 * never valid for another. Verification is constant-time and says why a token
 * failed, so each link can word its own message.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type TokenFailure = "malformed" | "invalid" | "expired";

const sign = (key: string, purpose: string, body: string) => createHmac("sha256", key).update(`${purpose}:${body}`).digest("base64url");

export function signToken<C extends { exp: number }>(key: string, purpose: string, claims: C): string {
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${body}.${sign(key, purpose, body)}`;
}

export function verifyToken<C extends { exp: number }>(
  key: string,
  purpose: string,
  token: string,
  now: number,
): C | { failure: TokenFailure } {
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined) return { failure: "malformed" };
  const expected = Buffer.from(sign(key, purpose, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { failure: "invalid" };
  let claims: C;
  try {
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as C;
  } catch {
    return { failure: "malformed" };
  }
  if (typeof claims.exp !== "number" || claims.exp < now) return { failure: "expired" };
  return claims;
}
