import { createClient } from "graphql-ws";
import { beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { codes, gql } from "../support/graphqlClient.ts";
import { login, randomSecret, useTestPlatform, type TestTenant } from "../support/platform.ts";
import { subscribe } from "../support/wsClient.ts";

const platform = useTestPlatform("limits");
let tenant: TestTenant;

beforeAll(async () => {
  tenant = await platform.newTenant("l");
});

/** Counts audit + usage writes: a rejected request must not have reached any subgraph or the meter. */
async function usageQueries(): Promise<number> {
  await platform.usage.flush();
  return platform.stores.mongo.db.collection("billing_usage_events").countDocuments({ tenantId: tenant.id, "m.metric": "QUERIES" });
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

  it("refuses depth, alias and cost attacks on a mutation before any subgraph runs it: nothing written, nothing audited", async () => {
    const f = "id name source createdAt updatedAt";
    const nest = (levels: number) => {
      let s = f;
      for (let i = 0; i < levels; i++) s = `${f} ${i % 2 ? "members" : "memberOf"} { ${s} }`;
      return s;
    };
    const create = (alias: string, fields: string) =>
      `${alias}: createPeople(input: [{ name: "attack-${alias}" }]) { people { ${fields} } }`;
    const attacks = {
      depth: `mutation { ${create("d0", nest(13))} }`, // depth 16
      alias: `mutation { ${Array.from({ length: 20 }, (_, i) => create(`a${i}`, "id")).join(" ")} }`,
      // Depth 12 and 15 aliases, both at their limit and not over: only the cost is.
      cost: `mutation { ${Array.from({ length: 15 }, (_, i) => create(`c${i}`, nest(9))).join(" ")} }`,
    };
    for (const [limit, document] of Object.entries(attacks)) {
      const res = await gql(platform.url, document, {}, { token: tenant.token });
      expect(res.status, limit).toBe(400);
      expect(codes(res), limit).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
      expect(res.errors?.[0]?.message, limit).toMatch(new RegExp(limit, "i"));
    }
    // Had the graph subgraph run any of them, people named attack-* would exist and
    // every subgraph mutation records an audit event, refused or not.
    const people = await gql(platform.url, `{ people(where: { name: { startsWith: "attack-" } }) { name } }`, {}, { token: tenant.token });
    expect(people.data).toEqual({ people: [] });
    const audit = await gql(
      platform.url,
      `{ auditEvents(filter: { action: "createPeople" }) { nodes { outcome } } }`,
      {},
      { token: tenant.token },
    );
    expect(audit.data?.auditEvents.nodes).toEqual([]);
    // Control: the same mutation within the limits reaches the subgraph and is audited.
    const ok = await gql(platform.url, `mutation { ${create("ok", "id")} }`, {}, { token: tenant.token });
    expect(ok.errors).toBeUndefined();
    const after = await gql(
      platform.url,
      `{ auditEvents(filter: { action: "createPeople" }) { nodes { outcome } } }`,
      {},
      { token: tenant.token },
    );
    expect(after.data?.auditEvents.nodes).toEqual([{ outcome: "SUCCESS" }]);
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

    // Admitted again once the bucket refills (within the Retry-After it announced, plus slack).
    const retryAfterMs = Number(refusal.headers.get("retry-after")) * 1000;
    // Each poll spends a token when it gets one, so the admitted answer is the one whose headers are checked.
    let after: Awaited<ReturnType<typeof gql>> | undefined;
    await expect
      .poll(
        async () => {
          after = await gql(platform.url, `{ me { id } }`, {}, { token });
          return after.status;
        },
        { timeout: retryAfterMs + 2_000, interval: 250 },
      )
      .toBe(200);
    expect(after!.headers.get("ratelimit-remaining")).toMatch(/^\d+$/);
    expect(after!.headers.get("ratelimit-limit")).toBe("20");
  });

  it("refuses subscriptions past the burst with RATE_LIMITED on graphql-ws, and recovers", async () => {
    const free = await platform.newTenant("ws-free", "FREE"); // 10 requests/s, bursts of 20
    const query = `subscription { auditEventRecorded { action } }`;
    const client = createClient({
      url: platform.url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: `Bearer ${free.token}` },
    });
    try {
      await new Promise<void>((resolve) => client.on("connected", () => resolve()));
      // 30 subscriptions at once on the open socket: the burst admits 20, the rest are refused.
      type Outcome = { errors?: Array<{ extensions?: Record<string, unknown> }> } | "open";
      const outcomes = await Promise.all(
        Array.from(
          { length: 30 },
          () =>
            new Promise<Outcome>((resolve) => {
              client.subscribe<Record<string, unknown>>(
                { query },
                { next: (r) => resolve(r as Outcome), error: () => {}, complete: () => {} },
              );
              setTimeout(() => resolve("open"), 1500);
            }),
        ),
      );
      const refused = outcomes.filter((o) => o !== "open");
      expect(refused.length).toBeGreaterThanOrEqual(5);
      expect(outcomes.length - refused.length).toBeGreaterThanOrEqual(10);
      const [first] = refused as Array<Exclude<Outcome, "open">>;
      expect(first!.errors?.map((e) => e.extensions?.["code"])).toEqual(["RATE_LIMITED"]);
      expect(first!.errors?.[0]?.extensions?.["plan"]).toBe("FREE");
      const retryAfter = Number(first!.errors?.[0]?.extensions?.["retryAfterSeconds"]);
      expect(retryAfter).toBeGreaterThanOrEqual(1);

      await new Promise((r) => setTimeout(r, retryAfter * 1000));
      const { sub } = await subscribe(platform.url, query, free.token);
      try {
        await new Promise((r) => setTimeout(r, 300)); // let the subscription reach the audit subgraph
        const created = await gql(
          platform.url,
          `mutation { createPeople(input: [{ name: "after" }]) { people { id } } }`,
          {},
          { token: free.token },
        );
        expect(created.errors).toBeUndefined();
        expect(await sub.next()).toEqual({ data: { auditEventRecorded: { action: "createPeople" } } });
      } finally {
        await sub.close();
      }
    } finally {
      await client.dispose();
    }
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
    // Applied once the gateway's limits cache (100 ms in tests, 5 s by default) has expired.
    await expect
      .poll(async () => (await gql(platform.url, `{ me { id } }`, {}, { token: admin })).headers.get("ratelimit-limit"))
      .toBe("60");
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
