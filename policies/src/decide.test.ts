import { describe, expect, it } from "vitest";
import { ANONYMOUS, type Principal } from "@intelgraph/kit";
import { decide } from "./decide.ts";
import { OPERATIONS } from "./operations.ts";

const user = (...roles: string[]): Principal => ({ kind: "user", tenantId: "t", userId: "u", roles, scopes: [] });
const rule = (op: string) => OPERATIONS[op];

describe("decide", () => {
  it("lets anyone sign in, and nobody anonymous do anything else", () => {
    expect(decide(ANONYMOUS, rule("Mutation.login"), "Mutation.login")).toEqual({ allow: true });
    expect(decide(ANONYMOUS, rule("Query.me"), "Query.me")).toEqual({ allow: true }); // answers null
    expect(decide(ANONYMOUS, rule("Query.myTenant"), "Query.myTenant")).toMatchObject({ allow: false, code: "UNAUTHENTICATED" });
    expect(decide(ANONYMOUS, rule("Query.people"), "Query.people")).toMatchObject({ allow: false, code: "UNAUTHENTICATED" });
  });

  it("lets a viewer read the graph but not change it", () => {
    expect(decide(user("VIEWER"), rule("Query.people"), "Query.people")).toEqual({ allow: true });
    expect(decide(user("VIEWER"), rule("Mutation.createPeople"), "Mutation.createPeople")).toMatchObject({
      allow: false,
      code: "FORBIDDEN",
      message: expect.stringContaining("graph:write"),
    });
  });

  it("keeps tenant creation to platform admins and audit to admins and compliance", () => {
    expect(decide(user("ADMIN"), rule("Mutation.createTenant"), "x")).toMatchObject({ allow: false, code: "FORBIDDEN" });
    expect(decide(user("ADMIN", "PLATFORM_ADMIN"), rule("Mutation.createTenant"), "x")).toEqual({ allow: true });
    expect(decide(user("COMPLIANCE"), rule("Query.auditEvents"), "x")).toEqual({ allow: true });
    expect(decide(user("ANALYST"), rule("Query.auditEvents"), "x")).toMatchObject({ allow: false, code: "FORBIDDEN" });
    expect(decide(user("BILLING"), rule("Query.usage"), "x")).toEqual({ allow: true });
    expect(decide(user("BILLING"), rule("Query.people"), "x")).toMatchObject({ allow: false });
  });

  it("denies an operation without a policy, and unknown roles grant nothing", () => {
    expect(decide(user("ADMIN"), undefined, "Query.secret")).toMatchObject({
      allow: false,
      code: "FORBIDDEN",
      message: expect.stringContaining("no policy"),
    });
    expect(decide(user("ROOT"), rule("Query.people"), "x")).toMatchObject({ allow: false, code: "FORBIDDEN" });
  });
});
