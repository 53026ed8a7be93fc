import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { login, randomSecret, startTestPlatform, type TestPlatform, type TestTenant } from "../support/platform.ts";

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

describe("per-tenant rate limits", () => {
  it("answers 429 with RateLimit-* and Retry-After past the plan's burst, and recovers", async () => {
    // A FREE tenant: 10 requests/s, bursts of 20.
    const created = await gql(
      platform.url,
      `mutation { createTenant(input: { name: "Free tier", slug: "free-${Date.now().toString(36)}", region: "eu-west-1", plan: FREE }) { id } }`,
      {},
      { token: platform.operatorToken },
    );
    const tenantId = created.data?.createTenant.id;
    const email = `free-${Date.now()}@free.test`;
    await gql(
      platform.url,
      `mutation($t: ID!, $e: String!) { createUser(input: { email: $e, password: "free-password-1", role: VIEWER, tenantId: $t }) { id } }`,
      { t: tenantId, e: email },
      { token: platform.operatorToken },
    );
    const token = await login(platform.url, email, "free-password-1");

    const results = await Promise.all(Array.from({ length: 30 }, () => gql(platform.url, `{ me { id } }`, {}, { token })));
    const limited = results.filter((r) => r.status === 429);
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(20);
    expect(limited.length).toBeGreaterThan(0);
    const refusal = limited[0]!;
    expect(codes(refusal)).toEqual(["RATE_LIMITED"]);
    expect(refusal.headers.get("ratelimit-limit")).toBe("20");
    expect(refusal.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(refusal.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refusal.headers.get("ratelimit-reset"))).toBeGreaterThanOrEqual(1);

    // Other tenants are not affected by this one's bucket.
    expect((await gql(platform.url, `{ me { id } }`, {}, { token: tenant.token })).status).toBe(200);

    await new Promise((r) => setTimeout(r, Number(refusal.headers.get("retry-after")) * 1000));
    const after = await gql(platform.url, `{ me { id } }`, {}, { token });
    expect(after.status).toBe(200);
    expect(Number(after.headers.get("ratelimit-remaining"))).toBeGreaterThanOrEqual(0);
  });

  it("lets a platform admin raise a tenant's limits (validated, audited), and no one else", async () => {
    const slug = `raise-${Date.now().toString(36)}`;
    const created = await gql(
      platform.url,
      `mutation { createTenant(input: { name: "Raised", slug: "${slug}", region: "eu-west-1", plan: FREE }) { id limits { ratePerSecond burst concurrentJobs source } } }`,
      {},
      { token: platform.operatorToken },
    );
    expect(created.data?.createTenant.limits).toEqual({ ratePerSecond: 10, burst: 20, concurrentJobs: 1, source: "PLAN" });
    const tenantId = created.data?.createTenant.id as string;
    const password = randomSecret();
    await gql(
      platform.url,
      `mutation($t: ID!, $p: String!) { createUser(input: { email: "admin@${slug}.test", password: $p, role: ADMIN, tenantId: $t }) { id } }`,
      { t: tenantId, p: password },
      { token: platform.operatorToken },
    );
    const admin = await login(platform.url, `admin@${slug}.test`, password);
    const set = (token: string, input: string) =>
      gql(
        platform.url,
        `mutation($t: ID!) { setTenantLimits(tenantId: $t, input: ${input}) { limits { ratePerSecond burst concurrentJobs source reason } } }`,
        { t: tenantId },
        { token },
      );

    expect(codes(await set(admin, `{ burst: 1000, reason: "we need more" }`))).toEqual(["FORBIDDEN"]);
    const bad = await set(platform.operatorToken, `{ ratePerSecond: 100, burst: 50, reason: "pilot" }`);
    expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
    expect(bad.errors?.[0]?.message).toMatch(/burst` must be at least `ratePerSecond/);
    expect(codes(await set(platform.operatorToken, `{ burst: 0, reason: "pilot" }`))).toEqual(["BAD_USER_INPUT"]);

    const raised = await set(platform.operatorToken, `{ burst: 60, concurrentJobs: 4, reason: "pilot with ACME" }`);
    expect(raised.data?.setTenantLimits.limits).toEqual({
      ratePerSecond: 10,
      burst: 60,
      concurrentJobs: 4,
      source: "OVERRIDE",
      reason: "pilot with ACME",
    });
    await new Promise((r) => setTimeout(r, 150)); // the gateway's limits cache (100 ms in tests, 5 s by default)
    const burst = await Promise.all(Array.from({ length: 45 }, () => gql(platform.url, `{ me { id } }`, {}, { token: admin })));
    expect(burst.filter((r) => r.status === 429)).toHaveLength(0); // the FREE plan alone allows 20
    expect(burst[0]!.headers.get("ratelimit-limit")).toBe("60");

    const audit = await gql<{ auditEvents: { nodes: Array<Record<string, any>> } }>(
      platform.url,
      `{ auditEvents(first: 10, filter: { action: "setTenantLimits" }) { nodes { outcome errorCode actor { userId } } } }`,
      {},
      { token: admin },
    );
    expect(audit.data?.auditEvents.nodes.map((n) => n["outcome"])).toEqual(["SUCCESS", "FAILURE", "FAILURE", "FAILURE"]);

    const reset = await set(platform.operatorToken, `{ reason: "pilot over" }`);
    expect(reset.data?.setTenantLimits.limits).toMatchObject({ burst: 20, concurrentJobs: 1, source: "PLAN", reason: null });
  });

  it("refuses more than one login per request", async () => {
    const res = await gql(
      platform.url,
      `mutation { a: login(email: "x@y.test", password: "1") { token } b: login(email: "x@y.test", password: "2") { token } }`,
    );
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toMatch(/once per request/);
  });

  it("limits sign-in per IP address even for callers with a valid session", async () => {
    const attempts = await Promise.all(
      Array.from({ length: 40 }, () =>
        gql(
          platform.url,
          `mutation { login(email: "${tenant.adminEmail}", password: "wrong-password") { token } }`,
          {},
          { token: tenant.token },
        ),
      ),
    );
    const limited = attempts.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(codes(limited[0]!)).toEqual(["RATE_LIMITED"]);
    expect(limited[0]!.errors?.[0]?.extensions?.["plan"]).toBe("anonymous");
    // Ordinary requests of the same tenant still pass.
    expect((await gql(platform.url, `{ me { id } }`, {}, { token: tenant.token })).status).toBe(200);
  });
});
