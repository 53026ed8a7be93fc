import { describe, expect, it } from "vitest";
import { scopeWhere } from "./guardGraphOperations.ts";

describe("scopeWhere", () => {
  it("adds the tenant to an empty or missing filter", () => {
    expect(scopeWhere(undefined, "t1")).toEqual({ tenantId: { eq: "t1" } });
    expect(scopeWhere({}, "t1")).toEqual({ tenantId: { eq: "t1" } });
  });

  it("ANDs the tenant with the client's filter, so a client tenantId cannot widen it", () => {
    expect(scopeWhere({ tenantId: { eq: "t2" } }, "t1")).toEqual({ AND: [{ tenantId: { eq: "t2" } }, { tenantId: { eq: "t1" } }] });
  });
});

describe("translateNeo4jError", () => {
  const named = (name: string) => Object.defineProperty(new Error("Forbidden"), "name", { value: name });

  it("maps the library's authorization errors to our codes", async () => {
    const { translateNeo4jError } = await import("./guardGraphOperations.ts");
    expect((translateNeo4jError(named("Neo4jGraphQLForbiddenError")) as { extensions: unknown }).extensions).toEqual({ code: "FORBIDDEN" });
    expect((translateNeo4jError(named("Neo4jGraphQLAuthenticationError")) as { extensions: unknown }).extensions).toEqual({
      code: "UNAUTHENTICATED",
    });
    const other = new Error("boom");
    expect(translateNeo4jError(other)).toBe(other);
  });
});
