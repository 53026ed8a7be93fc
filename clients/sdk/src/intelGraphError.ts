import type { GraphQLFormattedError } from "graphql";
import type { ErrorCode } from "./generated/codes.ts";

/** A code of the API (`ErrorCode`, from kit by codegen) or the SDK's own when no GraphQL answer came. */
export type IntelGraphErrorCode = ErrorCode | "NETWORK_ERROR" | "HTTP_ERROR" | "UNKNOWN";

/**
 * The one error type the SDK throws. Branch on `code` (the first error's
 * `extensions.code`, or `NETWORK_ERROR` / `HTTP_ERROR` when no GraphQL answer came).
 */
export class IntelGraphError extends Error {
  override readonly name = "IntelGraphError";

  constructor(
    message: string,
    /** Autocompletes the known codes; a newer server's code still arrives as a string. */
    readonly code: IntelGraphErrorCode | (string & {}),
    readonly errors: readonly GraphQLFormattedError[] = [],
    readonly status?: number,
    readonly requestId?: string,
  ) {
    super(message);
  }

  /** Every error code in the response, e.g. to find `BAD_USER_INPUT` among several. */
  get codes(): string[] {
    return this.errors.map((e) => String(e.extensions?.["code"] ?? "UNKNOWN"));
  }

  static fromErrors(errors: readonly GraphQLFormattedError[], status?: number, requestId?: string): IntelGraphError {
    const first = errors[0];
    return new IntelGraphError(
      first?.message ?? "Request failed",
      String(first?.extensions?.["code"] ?? "UNKNOWN"),
      errors,
      status,
      requestId,
    );
  }
}
