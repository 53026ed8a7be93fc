import { createClient } from "graphql-ws";
import { beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { codes, gql } from "../support/graphqlClient.ts";
import { startTestPlatform, useTestPlatform, type TestTenant } from "../support/platform.ts";

const production = useTestPlatform("prod", { production: true });
const development = useTestPlatform("dev", { development: true });
let tenant: TestTenant;

beforeAll(async () => {
  tenant = await production.newTenant("p");
});

/** The messages of the errors a subscription ends with (graphql-ws sends validation errors as one `error` message). */
async function subscriptionErrors(url: string, query: string, token?: string): Promise<string[]> {
  const client = createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  try {
    return await new Promise<string[]>((resolve, reject) => {
      client.subscribe(
        { query },
        {
          next: () => reject(new Error("an event for an invalid subscription")),
          error: (e) => (Array.isArray(e) ? resolve(e.map((x: { message: string }) => x.message)) : reject(e)),
          complete: () => reject(new Error("completed without an error")),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

describe("outside development (NODE_ENV=production here)", () => {
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

  it("does not suggest field names over the WebSocket either", async () => {
    const typo = `subscription { auditEventRecordd { id } }`;
    const [message] = await subscriptionErrors(production.url, typo, tenant.token);
    expect(message).toMatch(/Cannot query field "auditEventRecordd"/);
    expect(message).not.toMatch(/Did you mean/);
    // Control: development keeps the suggestion (validation comes before any sign-in check).
    expect((await subscriptionErrors(development.url, typo))[0]).toMatch(/Did you mean "auditEventRecorded"/);
  });

  it("is what every NODE_ENV but development gets: test too", async () => {
    await using test = await startTestPlatform("test-env");
    const res = await gql(test.url, `{ __schema { queryType { name } } }`, {}, { token: test.operatorToken });
    expect(codes(res)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    const typo = await gql(test.url, `{ peple { id } }`, {}, { token: test.operatorToken });
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it("serves no landing page", async () => {
    const page = await fetch(production.url, { headers: { accept: "text/html" } });
    expect(await page.text()).not.toMatch(/<html/i);
  });
});
