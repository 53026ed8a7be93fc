import { appError, ErrorCode } from "../errors/errors.ts";
import { isSignedIn, type Principal } from "./principal.ts";

export type AuthenticatedPrincipal = Principal & { kind: "user" | "token"; tenantId: string; userId: string };

/** Throws `UNAUTHENTICATED` unless a signed-in user of some tenant is calling. */
export function requireUser(principal: Principal): AuthenticatedPrincipal {
  if (!isSignedIn(principal)) {
    throw appError(ErrorCode.UNAUTHENTICATED, "Sign in first: send `Authorization: Bearer <session token>` (see the `login` mutation).");
  }
  return principal as AuthenticatedPrincipal;
}

/**
 * Throws `FORBIDDEN` for API tokens: managing identities and credentials
 * (users, tenants, tokens) needs a person signed in, whatever a token's scopes.
 */
export function requirePerson(principal: Principal, what: string): AuthenticatedPrincipal {
  const caller = requireUser(principal);
  if (caller.kind !== "user") {
    throw appError(ErrorCode.FORBIDDEN, `API tokens cannot ${what}; sign in as a person to do it.`);
  }
  return caller;
}

/** Throws `FORBIDDEN` unless the user holds one of `roles` in their tenant. */
export function requireRole(principal: Principal, roles: readonly string[]): AuthenticatedPrincipal {
  const user = requireUser(principal);
  if (!user.roles.some((role) => roles.includes(role))) {
    throw appError(
      ErrorCode.FORBIDDEN,
      `This needs one of the roles ${roles.join(", ")}; you have ${user.roles.join(", ") || "none"}. Ask a tenant admin.`,
      {
        requiredRoles: roles,
      },
    );
  }
  return user;
}
