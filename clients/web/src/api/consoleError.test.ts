import { CombinedError } from "@urql/core";
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { isSessionError, toConsoleError } from "./consoleError.ts";

describe("toConsoleError", () => {
  it("takes the code and message of the first GraphQL error and names the next step", () => {
    const error = new CombinedError({
      graphQLErrors: [new GraphQLError("Wrong e-mail or password.", { extensions: { code: "UNAUTHENTICATED" } })],
    });
    expect(toConsoleError(error)).toEqual({ code: "UNAUTHENTICATED", message: "Wrong e-mail or password.", nextStep: "Sign in again." });
    expect(isSessionError(toConsoleError(error))).toBe(true);
  });

  it("says how long to wait when rate limited", () => {
    const error = new CombinedError({
      graphQLErrors: [new GraphQLError("Too many requests", { extensions: { code: "RATE_LIMITED", retryAfterSeconds: 3 } })],
    });
    expect(toConsoleError(error)).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 3, nextStep: "Wait 3 s and retry." });
  });

  it("keeps the field problems of BAD_USER_INPUT", () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError("Invalid input", {
          extensions: { code: "BAD_USER_INPUT", problems: [{ path: "input.name", message: "is required" }, "junk"] },
        }),
      ],
    });
    expect(toConsoleError(error).problems).toEqual([{ path: "input.name", message: "is required" }]);
  });

  it("tells a schema approval failure to ask an admin", () => {
    const error = new CombinedError({
      graphQLErrors: [new GraphQLError("Mapping m1 is PENDING_APPROVAL", { extensions: { code: "SCHEMA_NOT_APPROVED" } })],
    });
    expect(toConsoleError(error).nextStep).toMatch(/tenant admin approves the mapping/);
  });

  it("maps transport failures by HTTP status", () => {
    expect(toConsoleError(new CombinedError({ networkError: new Error("Failed to fetch") })).code).toBe("NETWORK_ERROR");
    expect(toConsoleError(new CombinedError({ networkError: new Error("401"), response: { status: 401 } as Response })).code).toBe(
      "UNAUTHENTICATED",
    );
    expect(toConsoleError(new CombinedError({ networkError: new Error("x"), response: { status: 502 } as Response })).message).toBe(
      "The API answered HTTP 502.",
    );
  });

  it("gives anything else a generic code instead of crashing", () => {
    expect(toConsoleError("boom")).toEqual({ code: "UNKNOWN", message: "boom", nextStep: expect.any(String) });
    expect(toConsoleError(new CombinedError({ graphQLErrors: [new GraphQLError("odd")] })).code).toBe("UNKNOWN");
  });
});
