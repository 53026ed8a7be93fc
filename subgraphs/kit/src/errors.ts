import { GraphQLError } from "graphql";

/**
 * The one list of error codes a client can see in `extensions.code`.
 * Documented in docs/errors.md; clients branch on these, never on messages.
 */
export const ErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  RATE_LIMITED: "RATE_LIMITED",
  QUOTA_EXCEEDED: "QUOTA_EXCEEDED",
  BUDGET_EXCEEDED: "BUDGET_EXCEEDED",
  LEGAL_HOLD: "LEGAL_HOLD",
  RESIDENCY_MISMATCH: "RESIDENCY_MISMATCH",
  SCHEMA_NOT_APPROVED: "SCHEMA_NOT_APPROVED",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Builds the error every resolver and service throws. `details` land in
 * `extensions` next to `code` so a client can act on them without parsing text.
 */
export function appError(code: ErrorCode, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, ...details },
  });
}

export function isAppError(error: unknown, code?: ErrorCode): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  return code === undefined ? typeof error.extensions["code"] === "string" : error.extensions["code"] === code;
}
