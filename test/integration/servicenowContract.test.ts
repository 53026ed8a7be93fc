/**
 * Contract tests of the ServiceNow Table API client against the local double
 * (test/support/servicenowDouble.ts) and the recorded fixtures: a matrix over
 * create, update, get, list with pagination, 429, 401 and 5xx; a fixture with
 * a renamed field fails parsing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The root package has no @intelgraph/subgraph-connectors dependency; its index exports the client for these tests.
// eslint-disable-next-line no-restricted-imports
import {
  createConnectorMetrics,
  createTableClient,
  createTokenBucket,
  DEFAULT_MAPPING,
  fromServiceNow,
  incidentRecord,
  nextLink,
  singleEnvelope,
  type ServiceNowError,
  type TableClient,
} from "../../subgraphs/connectors/src/index.ts";
import { createMetrics } from "@intelgraph/kit";
import { fixture, startServiceNowDouble, type ServiceNowDouble } from "../support/servicenowDouble.ts";

let double: ServiceNowDouble;
beforeAll(async () => {
  double = await startServiceNowDouble();
});
afterAll(() => double.close());

const client = (over: Partial<Parameters<typeof createTableClient>[0]> = {}): TableClient =>
  createTableClient({
    baseUrl: double.url,
    authKind: "BASIC",
    username: "intelgraph",
    clientId: null,
    secret: () => "s3cret-pw",
    bucket: createTokenBucket({ ratePerSecond: 100, burst: 100 }, Date.now),
    now: Date.now,
    ...over,
  });

const failureOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    return error as ServiceNowError;
  }
  throw new Error("expected a failure");
};

describe("the Table API contract", () => {
  it.each([
    [
      "create",
      async (c: TableClient) => {
        const r = await c.create({ short_description: "created", correlation_id: "intelgraph:x1" });
        expect(r.sys_id).toMatch(/^[0-9a-f]{32}$/);
        expect(double.records.get(r.sys_id)?.["correlation_id"]).toBe("intelgraph:x1");
      },
    ],
    [
      "update",
      async (c: TableClient) => {
        const r = await c.create({ short_description: "before" });
        const u = await c.update(r.sys_id, { short_description: "after", work_notes: "note" });
        expect(u.short_description).toBe("after");
        expect(double.records.get(r.sys_id)?.["work_notes_log"]).toContain("note");
      },
    ],
    [
      "get",
      async (c: TableClient) => {
        const seeded = fixture("incident").result;
        double.seed(seeded);
        expect((await c.get(seeded.sys_id)).number).toBe("INC0010001");
        expect((await failureOf(c.get("0".repeat(32)))).kind).toBe("NOT_FOUND");
      },
    ],
    [
      "list with pagination",
      async (c: TableClient) => {
        for (const r of fixture("incident-list").result) double.seed({ ...r, correlation_id: "page-test" });
        double.seed({ ...fixture("incident").result, sys_id: "a".repeat(32), correlation_id: "page-test" });
        const first = await c.list({ query: "correlation_id=page-test", limit: 2 });
        expect(first.total).toBe(3);
        expect(first.records).toHaveLength(2);
        expect(first.nextOffset).toBe(2);
        const second = await c.list({ query: "correlation_id=page-test", limit: 2, offset: 2 });
        expect(second.records).toHaveLength(1);
        expect(second.nextOffset).toBeNull();
      },
    ],
    [
      "429",
      async (c: TableClient) => {
        double.storm(1, 1);
        const error = await failureOf(c.list({ limit: 1 }));
        expect([error.kind, error.status, error.retryAfterMs, error.retryable]).toEqual(["RATE_LIMITED", 429, 1000, true]);
        expect(error.message).toContain("Too many requests");
        await new Promise((r) => setTimeout(r, 1000));
      },
    ],
    [
      "401",
      async () => {
        const error = await failureOf(client({ secret: () => "wrong" }).list({ limit: 1 }));
        expect([error.kind, error.status, error.retryable]).toEqual(["AUTH", 401, false]);
        expect(error.message).toBe("ServiceNow answered 401: User Not Authenticated (Required to provide Auth information)");
        expect(error.message).not.toContain("wrong");
      },
    ],
    [
      "5xx",
      async (c: TableClient) => {
        double.outage(503);
        const error = await failureOf(c.create({ short_description: "x" }));
        double.recover();
        expect([error.kind, error.status, error.retryable]).toEqual(["SERVER", 503, true]);
      },
    ],
  ])("%s", async (_name, run) => {
    await run(client());
  });

  it("403 is a permission failure, and OAuth client credentials get a token once and renew it after a 401", async () => {
    double.users.set("reader", { password: "pw", canReadIncidents: false });
    expect((await failureOf(client({ username: "reader", secret: () => "pw" }).list())).kind).toBe("PERMISSION");
    const oauth = client({ authKind: "OAUTH_CLIENT_CREDENTIALS", clientId: "ig-client", secret: () => "client-s3cret" });
    const before = double.log.length;
    await oauth.list({ limit: 1 });
    await oauth.list({ limit: 1 });
    double.revokeTokens();
    await oauth.list({ limit: 1 });
    const paths = double.log.slice(before).map((r) => `${r.path} ${r.status}`);
    expect(paths).toEqual([
      "/oauth_token.do 200",
      "/api/now/table/incident 200",
      "/api/now/table/incident 200",
      "/api/now/table/incident 401",
      "/oauth_token.do 200",
      "/api/now/table/incident 200",
    ]);
    const refused = client({ authKind: "OAUTH_CLIENT_CREDENTIALS", clientId: "ig-client", secret: () => "nope" });
    expect((await failureOf(refused.list())).kind).toBe("AUTH");
  });

  it("parses the recorded fixtures, and a renamed field fails the contract", () => {
    const parsed = singleEnvelope.parse(fixture("incident"));
    expect(fromServiceNow(parsed.result, DEFAULT_MAPPING)).toMatchObject({
      externalId: "9d385017c611228701d22104cc95c371",
      severity: "high",
      status: "in_progress",
      externalUpdatedAt: "2026-11-30T09:40:02Z",
      indicators: [
        { kind: "domain", pattern: "c2.badexample.net" },
        { kind: "ipv4", pattern: "203.0.113.7" },
      ],
    });
    const { short_description, ...rest } = fixture("incident").result;
    const renamed = incidentRecord.safeParse({ ...rest, short_desc: short_description });
    expect(renamed.success).toBe(false);
    expect(renamed.error?.issues.map((i) => i.path.join("."))).toEqual(["short_description"]);
    const { sys_updated_on, ...noStamp } = fixture("incident").result;
    expect(incidentRecord.safeParse({ ...noStamp, updated_on: sys_updated_on }).success).toBe(false);
    expect(nextLink('<https://x/api?sysparm_offset=0>;rel="first",<https://x/api?sysparm_offset=10>;rel="next"')).toBe(
      "https://x/api?sysparm_offset=10",
    );
  });

  it("registers the per-connector series on the service's registry", async () => {
    const metrics = createMetrics("connectors");
    const series = createConnectorMetrics();
    series.register(metrics);
    series.request("c1", "ok", 120);
    series.request("c1", "rate_limited", 5);
    series.delivery("c1", "DEAD_LETTERED");
    series.deadLetters("c1", 4);
    const text = await metrics.registry.metrics();
    expect(text).toContain('intelgraph_connector_requests_total{connector="c1",outcome="ok",service="connectors"} 1');
    expect(text).toContain('intelgraph_connector_requests_total{connector="c1",outcome="rate_limited",service="connectors"} 1');
    expect(text).toContain('intelgraph_connector_request_duration_seconds_bucket{connector="c1",le="0.25",service="connectors"} 2');
    expect(text).toContain('intelgraph_connector_request_duration_seconds_count{connector="c1",service="connectors"} 2');
    expect(text).toContain('intelgraph_connector_deliveries_total{connector="c1",status="DEAD_LETTERED",service="connectors"} 1');
    expect(text).toContain('intelgraph_connector_dead_letters{connector="c1",service="connectors"} 4');
  });
});
