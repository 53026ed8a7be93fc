import { GraphQLError } from "graphql";

/**
 * The one list of error codes a client can see in `extensions.code`, with what
 * each means. Documented in docs/errors.md (a unit test holds the doc to this
 * list); the SDK and the console get it by codegen (`pnpm codegen` writes
 * `generated/codes.ts` in each), never as a hand-kept copy. Clients branch on
 * these, never on messages.
 */
export const ERROR_CODES = {
  UNAUTHENTICATED: "No valid session or token where one is needed.",
  FORBIDDEN: "Signed in, but no role or scope grants the operation.",
  BAD_USER_INPUT: "Input failed validation; `extensions.problems` names the fields.",
  NOT_FOUND: "The referenced object does not exist in your tenant.",
  CONFLICT: "A unique name or value is taken, or an overlapping hold exists.",
  RATE_LIMITED: "Too many requests or concurrent jobs; retry after `extensions.retryAfterSeconds`.",
  QUOTA_EXCEEDED: "A monthly quota of the tenant's plan is used up.",
  BUDGET_EXCEEDED: "The tenant's monthly budget is used up.",
  LEGAL_HOLD: "The data is under legal hold and cannot change.",
  RESIDENCY_MISMATCH: "The data must stay in its region.",
  SCHEMA_NOT_APPROVED: "The ingest mapping is not approved yet.",
  QUESTION_REFUSED: "A question asked to write, ran pasted Cypher or procedures, or reached other tenants.",
  QUERY_TOO_EXPENSIVE: "A question's query plan would read too much of the graph; narrow the question.",
  REPORT_INVALID: "A report has broken evidence links or cross-references; `extensions.broken` lists each with its fix.",
  LINK_EXPIRED: "A signed download link has expired; ask for a new one.",
  UPSTREAM_UNAVAILABLE: "A peer service or an external system (e.g. ServiceNow) did not answer or failed; retry later.",
  GRAPHQL_PARSE_FAILED: "The document is not valid GraphQL syntax.",
  GRAPHQL_VALIDATION_FAILED: "The document does not match the schema or passes a query limit.",
  INTERNAL_SERVER_ERROR: "A fault on our side; the request id is logged.",
} as const satisfies Record<string, string>;

export const ErrorCode = Object.fromEntries(Object.keys(ERROR_CODES).map((code) => [code, code])) as {
  readonly [K in keyof typeof ERROR_CODES]: K;
};

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
