import { isSignedIn, type Principal } from "@intelgraph/kit";
import type { OperationRule } from "./operations.ts";
import { permissionsOf } from "./permissions.ts";

export type Decision =
  { allow: true } | { allow: false; code: "UNAUTHENTICATED" | "FORBIDDEN"; message: string; requiredPermission?: string };

const ALLOW: Decision = { allow: true };

/** Pure policy decision: may this principal run an operation with this rule? */
export function decide(principal: Principal, rule: OperationRule | undefined, operation: string): Decision {
  if (!rule) {
    return {
      allow: false,
      code: "FORBIDDEN",
      message: `${operation} has no policy, so it is denied. (Operators: add it to policies/src/operations.ts.)`,
    };
  }
  if (rule.kind === "public") return ALLOW;
  if (!isSignedIn(principal)) {
    return {
      allow: false,
      code: "UNAUTHENTICATED",
      message: "Sign in first: send `Authorization: Bearer <session token>` (see the `login` mutation).",
    };
  }
  if (rule.kind === "authenticated") return ALLOW;
  // A token may do what its scopes name and its creator's roles still allow.
  const granted = permissionsOf(principal.roles);
  const allowed =
    principal.kind === "token" ? principal.scopes.includes(rule.permission) && granted.has(rule.permission) : granted.has(rule.permission);
  if (allowed) return ALLOW;
  return {
    allow: false,
    code: "FORBIDDEN",
    requiredPermission: rule.permission,
    message: `${operation} needs the permission ${rule.permission}, which none of your roles (${principal.roles.join(", ") || "none"}) grants. Ask a tenant admin.`,
  };
}
