import type { ErrorCode } from "./generated/codes.ts";

/**
 * Every failure the console shows goes through here: a GraphQL error's
 * `extensions.code` (see docs/errors.md), a transport failure or a bug becomes
 * one `ConsoleError` with a message a person can act on and the next step.
 */
export interface ConsoleError {
  /** The first `extensions.code`, or NETWORK_ERROR / UNKNOWN. */
  code: string;
  message: string;
  /** What to do about it, in the console's words. */
  nextStep: string;
  /** Seconds to wait before retrying, for RATE_LIMITED. */
  retryAfterSeconds?: number;
  /** Field problems of BAD_USER_INPUT (`extensions.problems`). */
  problems?: Array<{ path: string; message: string }>;
}

interface ErrorLike {
  message: string;
  extensions?: Record<string, unknown> | undefined;
}

/** The parts of urql's CombinedError (or any error) that we read. */
export interface ErrorSource {
  message?: string;
  graphQLErrors?: readonly ErrorLike[];
  networkError?: Error | undefined;
  response?: { status?: number } | undefined;
}

/** A next step for every code the API can return (the type fails when kit adds one), and for the console's own. */
const NEXT_STEPS: Record<ErrorCode | "NETWORK_ERROR", string> = {
  UNAUTHENTICATED: "Sign in again.",
  FORBIDDEN: "Ask a tenant admin for a role that allows this.",
  BAD_USER_INPUT: "Fix the named fields and try again.",
  NOT_FOUND: "Check the id or link; it may belong to another tenant or have been removed.",
  CONFLICT: "Pick another name or value.",
  RATE_LIMITED: "Wait a moment and retry.",
  SCHEMA_NOT_APPROVED: "A tenant admin approves the mapping (or starts the job with an override reason).",
  QUESTION_REFUSED: "Ask in plain words about your own data; questions only read the graph.",
  QUERY_TOO_EXPENSIVE: "Narrow the question: name a value, a kind of thing or a link.",
  REPORT_INVALID: "Fix each broken link the validator lists (restore the item or remove the evidence), then publish or export again.",
  LINK_EXPIRED: "Ask for a new download link.",
  QUOTA_EXCEEDED: "An admin can raise the quota.",
  BUDGET_EXCEEDED: "An admin can raise the budget or approve an override.",
  LEGAL_HOLD: "The data is under legal hold; ask compliance.",
  RESIDENCY_MISMATCH: "The data must stay in its region; ask an admin.",
  UPSTREAM_UNAVAILABLE: "A connected system or service did not answer; retry shortly, or check the connector's health.",
  GRAPHQL_PARSE_FAILED: "The console sent a query the API could not read; reload the page to get the current console.",
  GRAPHQL_VALIDATION_FAILED: "The console sent a query the API refused; reload the page to get the current console.",
  INTERNAL_SERVER_ERROR: "Retry; if it persists, report the time and what you did.",
  NETWORK_ERROR: "Check your connection; the console retries live views by itself.",
};

const UNKNOWN_STEP = "Retry; if it persists, report the time and what you did.";

/** The next step for a code; unknown codes get a generic one. */
export function nextStepFor(code: string): string {
  return (NEXT_STEPS as Record<string, string>)[code] ?? UNKNOWN_STEP;
}

/** Turns a CombinedError (or any thrown value) into the one error type the console shows. */
export function toConsoleError(error: unknown): ConsoleError {
  const source = (typeof error === "object" && error !== null ? error : { message: String(error) }) as ErrorSource;
  const first = source.graphQLErrors?.find((e) => typeof e.extensions?.["code"] === "string") ?? source.graphQLErrors?.[0];
  if (first) {
    const code = typeof first.extensions?.["code"] === "string" ? (first.extensions["code"] as string) : "UNKNOWN";
    const result: ConsoleError = { code, message: first.message, nextStep: nextStepFor(code) };
    const retryAfter = first.extensions?.["retryAfterSeconds"];
    if (typeof retryAfter === "number") {
      result.retryAfterSeconds = retryAfter;
      result.nextStep = `Wait ${retryAfter} s and retry.`;
    }
    const problems = first.extensions?.["problems"];
    if (Array.isArray(problems)) {
      result.problems = problems.flatMap((p: unknown) =>
        typeof p === "object" && p !== null && typeof (p as { message?: unknown }).message === "string"
          ? [{ path: String((p as { path?: unknown }).path ?? ""), message: (p as { message: string }).message }]
          : [],
      );
    }
    return result;
  }
  if (source.networkError) {
    const status = source.response?.status;
    if (status === 401)
      return { code: "UNAUTHENTICATED", message: "Your session is no longer valid.", nextStep: nextStepFor("UNAUTHENTICATED") };
    if (status === 429) return { code: "RATE_LIMITED", message: "Too many requests.", nextStep: nextStepFor("RATE_LIMITED") };
    return {
      code: "NETWORK_ERROR",
      message: status ? `The API answered HTTP ${status}.` : "The API could not be reached.",
      nextStep: nextStepFor("NETWORK_ERROR"),
    };
  }
  return { code: "UNKNOWN", message: source.message ?? "Something went wrong.", nextStep: UNKNOWN_STEP };
}

/** Whether the error means the session is gone and the person must sign in again. */
export const isSessionError = (error: ConsoleError) => error.code === "UNAUTHENTICATED";
