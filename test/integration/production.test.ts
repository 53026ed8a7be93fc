import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { startTestPlatform, type TestPlatform, type TestTenant } from "../support/platform.ts";

let production: TestPlatform;
let development: TestPlatform;
let tenant: TestTenant;

beforeAll(async () => {
  [production, development] = await Promise.all([startTestPlatform("prod", { production: true }), startTestPlatform("dev")]);
  tenant = await production.newTenant("p");
}, 120_000);
afterAll(async () => {
  await Promise.all([production?.stopAndDrop(), development?.stopAndDrop()]);
});

describe("NODE_ENV=production", () => {
  it("turns introspection off, for signed-in callers too", async () => {
    const res = await gql(production.url, `{ __schema { queryType { name } } }`, {}, { token: tenant.token });
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(res.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
    const typeQuery = await gql(production.url, `{ __type(name: "Person") { fields { name } } }`, {}, { token: tenant.token });
    expect(codes(typeQuery)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    // Control: the same query works in development.
    const dev = await gql(development.url, `{ __schema { queryType { name } } }`);
    expect(dev.data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });

  it("does not suggest field names in errors", async () => {
    const res = await gql(production.url, `{ peple { id } }`, {}, { token: tenant.token });
    expect(codes(res)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(res.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const dev = await gql(development.url, `{ peple { id } }`);
    expect(dev.errors?.[0]?.message).toMatch(/Did you mean "people"/);
  });

  it("serves no landing page", async () => {
    const page = await fetch(production.url, { headers: { accept: "text/html" } });
    expect(await page.text()).not.toMatch(/<html/i);
  });
});
