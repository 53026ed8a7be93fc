import { GraphQLError } from "graphql";
import { ANONYMOUS, ErrorCode, verifySessionToken, type Principal, type SessionKeyring } from "@intelgraph/kit";

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
}

export interface Authentication {
  principal: Principal;
  /** When the session (or token) ends; null for anonymous callers and tokens without expiry. */
  expiresAt: Date | null;
  /** The tenant's plan, for rate limits. */
  plan: string | null;
}

export type ApiTokenCheck = (
  token: string,
  ip: string | undefined,
  requestId?: string,
) => Promise<{ ok: true; principal: Principal; plan: string | null; expiresAt: Date | null } | { ok: false; reason: string }>;

export interface AuthenticatorOptions {
  sessionKeys: SessionKeyring;
  /** Resolves `igt_…` API tokens; without it they are refused. */
  verifyApiToken?: ApiTokenCheck;
}

export type Authenticator = (authorization: string | undefined, ip: string | undefined, requestId?: string) => Promise<Authentication>;

const TOKEN_REFUSALS: Record<string, string> = {
  revoked: "This API token has been revoked. Create a new one with `createApiToken`.",
  expired: "This API token has expired. Create a new one with `createApiToken`.",
  "owner-gone": "The user who created this API token no longer exists; create a new token.",
  "owner-inactive": "The user who created this API token has been deactivated; the token works again if they are reactivated.",
};

/**
 * Turns an `Authorization` header into a principal. No header → anonymous
 * (only `login` and `me` answer); a session JWT or an `igt_…` API token that
 * is malformed, forged, expired or revoked → UNAUTHENTICATED.
 */
export function createAuthenticator({ sessionKeys, verifyApiToken }: AuthenticatorOptions): Authenticator {
  return async (authorization, ip, requestId) => {
    if (!authorization) return { principal: ANONYMOUS, expiresAt: null, plan: null };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw unauthenticated("The Authorization header must be `Bearer <session token or API token>`.");
    const credential = match[1];
    if (credential.startsWith("igt_")) {
      const verified = verifyApiToken ? await verifyApiToken(credential, ip, requestId) : { ok: false as const, reason: "unsupported" };
      if (!verified.ok) throw unauthenticated(TOKEN_REFUSALS[verified.reason] ?? "The API token is not valid.");
      return { principal: verified.principal, expiresAt: verified.expiresAt, plan: verified.plan };
    }
    const verified = await verifySessionToken(credential, sessionKeys);
    if (!verified.ok) {
      throw unauthenticated(
        verified.reason === "expired"
          ? "Your session has expired. Sign in again with the `login` mutation."
          : "The session token is not valid. Sign in again with the `login` mutation.",
      );
    }
    const { sub, tid, roles, plan, clr } = verified.claims;
    return {
      principal: { kind: "user", tenantId: tid, userId: sub, roles, scopes: [], ...(clr ? { clearance: clr } : {}) },
      expiresAt: verified.expiresAt,
      plan: plan ?? null,
    };
  };
}
