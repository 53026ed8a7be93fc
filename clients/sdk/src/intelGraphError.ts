import type { GraphQLFormattedError } from "graphql";

/**
 * The one error type the SDK throws. Branch on `code` (the first error's
 * `extensions.code`, or `NETWORK_ERROR` / `HTTP_ERROR` when no GraphQL answer came).
 */
export class IntelGraphError extends Error {
  override readonly name = "IntelGraphError";

  constructor(
    message: string,
    readonly code: string,
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
