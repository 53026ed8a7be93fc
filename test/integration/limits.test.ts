import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { startTestPlatform, type TestPlatform, type TestTenant } from "../support/platform.ts";

let platform: TestPlatform;
let tenant: TestTenant;

beforeAll(async () => {
  platform = await startTestPlatform("limits");
  tenant = await platform.newTenant("l");
});
afterAll(async () => {
  await platform?.stopAndDrop();
});

/** Counts audit + usage writes: a rejected request must not have reached any subgraph or the meter. */
async function usageQueries(): Promise<number> {
  await platform.usage.flush();
  const rows = await platform.stores.mongo.db.collection("billing_usage_daily").find({ tenantId: tenant.id }).toArray();
  return rows.filter((r) => r["kind"] === "query").reduce((n, r) => n + (r["count"] as number), 0);
}

describe("graphql-armor at the gateway", () => {
  it("rejects a query deeper than 12 levels before any subgraph runs it", async () => {
    const before = await usageQueries();
    let selection = "name";
    for (let i = 0; i < 7; i++) selection = `memberOf { members { ${selection} } }`;
    const deep = `{ people { ${selection} } }`; // depth 16
    const res = await gql(platform.url, deep, {}, { token: tenant.token });
    expect(res.status).toBe(400);
    expect(codes(res)).toContain("GRAPHQL_VALIDATION_FAILED");
    expect(res.errors?.[0]?.message).toMatch(/depth/i);
    expect(await usageQueries()).toBe(before);
  });

  it("rejects more than 15 aliases", async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: people { id }`).join(" ");
    const res = await gql(platform.url, `{ ${aliases} }`, {}, { token: tenant.token });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toMatch(/alias/i);
  });

  it("answers a syntax error with 400 and a message pointing at it", async () => {
    const res = await gql(platform.url, `{ people { id }`, {}, { token: tenant.token });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toMatch(/Syntax Error/);
  });

  it("rejects a document of more than 5000 tokens with 400", async () => {
    const res = await gql(platform.url, `{ ${"me { id } ".repeat(1500)} }`, {}, { token: tenant.token });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions).toEqual({ code: "GRAPHQL_VALIDATION_FAILED", limit: "maxTokens" });
  });

  it("lets an ordinary console-sized query through", async () => {
    const res = await gql(
      platform.url,
      `{ me { email tenant { name } } organizations(limit: 20) { id name domains { name resolvesTo { address } } members { name } }
         auditEvents(first: 20) { nodes { action at actor { userId } } pageInfo { hasNextPage endCursor } } }`,
      {},
      { token: tenant.token },
    );
    expect(res.errors).toBeUndefined();
  });
});
