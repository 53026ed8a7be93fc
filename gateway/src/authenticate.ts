import { GraphQLError } from "graphql";
import { ANONYMOUS, ErrorCode, verifySessionToken, type Principal } from "@intelgraph/kit";

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
}

/**
 * Turns an `Authorization` header into a principal. No header → anonymous
 * (only operations that allow it, such as `login`, will succeed); a header
 * that is present but not a valid, unexpired session token → UNAUTHENTICATED.
 */
export interface Authentication {
  principal: Principal;
  /** When the session ends; null for anonymous callers. */
  expiresAt: Date | null;
  /** The tenant's plan from the session, for rate limits. */
  plan: string | null;
}

export async function authenticate(authorization: string | undefined, sessionSecret: string): Promise<Authentication> {
  if (!authorization) return { principal: ANONYMOUS, expiresAt: null, plan: null };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) throw unauthenticated("The Authorization header must be `Bearer <session token>`.");
  const verified = await verifySessionToken(match[1], sessionSecret);
  if (!verified.ok) {
    throw unauthenticated(
      verified.reason === "expired"
        ? "Your session has expired. Sign in again with the `login` mutation."
        : "The session token is not valid. Sign in again with the `login` mutation.",
    );
  }
  const { sub, tid, roles, plan } = verified.claims;
  return { principal: { kind: "user", tenantId: tid, userId: sub, roles, scopes: [] }, expiresAt: verified.expiresAt, plan: plan ?? null };
}
