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

const httpStatus: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  BUDGET_EXCEEDED: 402,
  LEGAL_HOLD: 423,
  RESIDENCY_MISMATCH: 403,
  SCHEMA_NOT_APPROVED: 409,
  INTERNAL_SERVER_ERROR: 500,
};

export function httpStatusFor(code: ErrorCode): number {
  return httpStatus[code];
}

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
