/**
 * The ServiceNow connector end to end, through the gateway against the local
 * Table API double: outbound create → update → resolve with correlation_id
 * making a retry a no-op; a 429 storm honoured (checked from the double's
 * request log) with each delivery landing once; a 5xx outage filling the DLQ
 * and the auto-replay job draining it after recovery with nothing doubled;
 * inbound upsert by sys_id idempotent with provenance; pull sync by
 * sys_updated_on; bad input refused with BAD_USER_INPUT and its problems.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { fixture, startServiceNowDouble, type ServiceNowDouble } from "../support/servicenowDouble.ts";

const platform = useTestPlatform("servicenow");
let double: ServiceNowDouble;
let tenant: TestTenant;

const as =
  (token: string) =>
  async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await gql(platform.url, query, variables, { token });
    return res;
  };
const ok = async (query: string, variables: Record<string, unknown> = {}, token = tenant.token) => {
  const res = await as(token)(query, variables);
  if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
  return res.data as any;
};

const DELIVERY = `id status sysId number attempts lastError created`;
const push = (connectorId: string, incidentId: string, action = "UPSERT", workNotes?: string) =>
  ok(`mutation($input: PushIncidentInput!) { pushIncidentToServiceNow(input: $input) { ${DELIVERY} } }`, {
    input: { connectorId, incidentId, action, ...(workNotes ? { workNotes } : {}) },
  }).then((d) => d.pushIncidentToServiceNow);

async function register(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const data = await ok(`mutation($input: RegisterConnectorInput!) { registerConnector(input: $input) { id } }`, {
    input: { kind: "SERVICENOW", name, baseUrl: double.url, username: "intelgraph", secret: "s3cret-pw", ...extra },
  });
  return data.registerConnector.id;
}

async function incident(title: string, severity = "high", indicators: Array<{ pattern: string; kind: string }> = []): Promise<string> {
  const data = await ok(`mutation($input: [IncidentCreateInput!]!) { createIncidents(input: $input) { incidents { id } } }`, {
    input: [
      {
        title,
        severity,
        indicators: { create: indicators.map((node) => ({ node, edge: { confidence: 0.9, source: "test" } })) },
      },
    ],
  });
  return data.createIncidents.incidents[0].id;
}

beforeAll(async () => {
  double = await startServiceNowDouble();
  tenant = await platform.newTenant("snow");
});
afterAll(() => double?.close());

describe("outbound", () => {
  it("creates, updates and resolves; a retry finds the incident by correlation_id and creates nothing", async () => {
    const connectorId = await register("outbound", { mapping: { assignmentGroup: "287ebd7da9fe198100f92cc8d1d2154e" } });
    const id = await incident("Beaconing from finance", "critical", [{ pattern: "c2.badexample.net", kind: "domain" }]);
    const first = await push(connectorId, id);
    expect(first).toMatchObject({ status: "DELIVERED", created: true, attempts: 1, lastError: null });
    const stored = double.records.get(first.sysId)!;
    expect(stored).toMatchObject({
      correlation_id: `intelgraph:${id}`,
      short_description: "Beaconing from finance",
      urgency: "1",
      impact: "1",
      assignment_group: "287ebd7da9fe198100f92cc8d1d2154e",
    });
    const created = double.tableRequests().find((r) => r.method === "POST")!;
    expect(String(created.body?.["work_notes"])).toContain("domain: c2.badexample.net");

    // The link is lost (a retry from another process): the correlation_id lookup finds the incident.
    await platform.stores.mongo.db.collection("connector_links").deleteMany({ connectorId });
    await ok(
      `mutation($id: ID!) { updateIncidents(where: { id: { eq: $id } }, update: { title: { set: "Beaconing (3 hosts)" } }) { incidents { id } } }`,
      {
        id,
      },
    );
    const retry = await push(connectorId, id);
    expect(retry).toMatchObject({ status: "DELIVERED", created: false, sysId: first.sysId, number: first.number });
    expect([...double.records.values()].filter((r) => r["correlation_id"] === `intelgraph:${id}`)).toHaveLength(1);
    expect(double.records.get(first.sysId)!["short_description"]).toBe("Beaconing (3 hosts)");

    const resolved = await push(connectorId, id, "RESOLVE", "Blocked at the proxy.");
    expect(resolved).toMatchObject({ status: "DELIVERED", created: false, sysId: first.sysId });
    expect(double.records.get(first.sysId)).toMatchObject({
      state: "6",
      close_code: "Solution provided",
      close_notes: "Blocked at the proxy.",
    });

    const deliveries = await ok(`query($id: ID!) { connectorDeliveries(connectorId: $id) { status created } }`, { id: connectorId });
    expect(deliveries.connectorDeliveries).toHaveLength(3);
  });

  it("honours a 429 storm: no request before Retry-After, each delivery lands once", async () => {
    const connectorId = await register("storm", { rateLimit: { ratePerSecond: 50, burst: 5 }, replay: { inlineAttempts: 5 } });
    const ids = [await incident("storm one"), await incident("storm two")];
    const before = double.log.length;
    double.storm(3, 1);
    const results = await Promise.all(ids.map((id) => push(connectorId, id)));
    expect(results.map((r) => r.status)).toEqual(["DELIVERED", "DELIVERED"]);
    const log = double.log.slice(before);
    const limited = log.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    // After each 429 we answered, nothing came before its Retry-After (1 s) but requests already in flight
    // when it was sent (within 50 ms: the two deliveries run concurrently); 20 ms of timer slack.
    for (const r of limited) {
      const early = log.filter((n) => n.at > r.at + 50 && n.at < r.at + 980);
      expect(early.map((n) => `${n.method} ${n.at - r.at}ms`)).toEqual([]);
    }
    for (const id of ids) expect([...double.records.values()].filter((r) => r["correlation_id"] === `intelgraph:${id}`)).toHaveLength(1);
    const health = await ok(
      `query($id: ID!) { connectorHealth(id: $id) { requests failures successRate p95LatencyMs dlqDepth rateLimit { burst } } }`,
      {
        id: connectorId,
      },
    );
    expect(health.connectorHealth.failures).toBe(limited.length);
    expect(health.connectorHealth).toMatchObject({ dlqDepth: 0, rateLimit: { burst: 5 } });
  });

  it("a 5xx outage fills the DLQ (alert raised); the auto-replay drains it after recovery with nothing doubled", async () => {
    const connectorId = await register("outage", { replay: { inlineAttempts: 2, backoffSeconds: 0, alertThreshold: 3 } });
    const ids = [await incident("outage 1"), await incident("outage 2"), await incident("outage 3")];
    double.outage(503);
    const results = [];
    for (const id of ids) results.push(await push(connectorId, id));
    expect(results.map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ["DEAD_LETTERED", 2]));
    const dlq = `query($id: ID!) { connectorDeadLetters(connectorId: $id) { id status attempts replays lastError } }`;
    const pending = (await ok(dlq, { id: connectorId })).connectorDeadLetters;
    expect(pending.map((d: any) => d.status)).toEqual(["PENDING", "PENDING", "PENDING"]);
    expect(pending[0].lastError).toContain("503");
    const alerts = await platform.stores.mongo.db
      .collection("audit_events")
      .find({ tenantId: tenant.id, action: "connectorAlertRaised" })
      .toArray();
    expect(alerts.length).toBeGreaterThanOrEqual(1);

    // Still down: the replay fails and the letters stay pending.
    expect(await platform.scheduler.runNow("connectors.replay")).toBe(true);
    expect((await ok(dlq, { id: connectorId })).connectorDeadLetters.map((d: any) => [d.status, d.replays])).toEqual(
      ids.map(() => ["PENDING", 1]),
    );

    double.recover();
    expect(await platform.scheduler.runNow("connectors.replay")).toBe(true);
    expect((await ok(dlq, { id: connectorId })).connectorDeadLetters.map((d: any) => d.status)).toEqual([
      "REPLAYED",
      "REPLAYED",
      "REPLAYED",
    ]);
    expect(await platform.scheduler.runNow("connectors.replay")).toBe(true);
    for (const id of ids) expect([...double.records.values()].filter((r) => r["correlation_id"] === `intelgraph:${id}`)).toHaveLength(1);
    const deliveries = (await ok(`query($id: ID!) { connectorDeliveries(connectorId: $id) { status } }`, { id: connectorId }))
      .connectorDeliveries;
    expect(deliveries.map((d: any) => d.status)).toEqual(["DELIVERED", "DELIVERED", "DELIVERED"]);
    // A replayed letter is not sent again by hand.
    const again = await as(tenant.token)(`mutation($id: ID!) { replayConnectorDeadLetter(id: $id) { id } }`, { id: pending[0].id });
    expect(again.errors?.[0]?.extensions?.["code"]).toBe("CONFLICT");
  });
});

describe("inbound", () => {
  it("upserts by sys_id idempotently with provenance, via an API token scoped connectors:write", async () => {
    const connectorId = await register("inbound");
    const created = await ok(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`, {
      input: { name: "servicenow inbound", scopes: ["connectors:write"] },
    });
    const token = created.createApiToken.token;
    const ingest = `mutation($id: ID!, $payload: JSON!) { ingestServiceNowIncident(connectorId: $id, payload: $payload) { sysId incidentId created changed indicatorsLinked } }`;
    const payload = fixture("incident");
    const first = (await ok(ingest, { id: connectorId, payload }, token)).ingestServiceNowIncident;
    expect(first).toMatchObject({ sysId: payload.result.sys_id, created: true, changed: true, indicatorsLinked: 2 });
    const read = `query($sys: String!) { incidents(where: { externalId: { eq: $sys } }) { id title source firstSeen lastSeen recordHash urgency externalNumber indicators { pattern } } }`;
    const [before] = (await ok(read, { sys: payload.result.sys_id })).incidents;
    const second = (await ok(ingest, { id: connectorId, payload }, token)).ingestServiceNowIncident;
    expect(second).toMatchObject({ incidentId: first.incidentId, created: false, changed: false });
    const after = (await ok(read, { sys: payload.result.sys_id })).incidents;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id: before.id,
      source: `connector:${connectorId}`,
      urgency: 1,
      externalNumber: "INC0010001",
      recordHash: before.recordHash,
    });
    expect(after[0].firstSeen).toBe(before.firstSeen);
    expect(Date.parse(after[0].lastSeen)).toBeGreaterThan(Date.parse(before.lastSeen));
    expect(after[0].indicators.map((i: any) => i.pattern).sort()).toEqual(["203.0.113.7", "c2.badexample.net"]);

    const bad = await as(token)(ingest, {
      id: connectorId,
      payload: { result: { ...payload.result, short_description: undefined, sys_id: "nope" } },
    });
    expect(bad.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect((bad.errors?.[0]?.extensions?.["problems"] as any[]).map((p) => p.path).sort()).toEqual(["short_description", "sys_id"]);
  });

  it("pulls incidents changed since the stored cursor, page by page", async () => {
    const connectorId = await register("pull");
    for (let i = 0; i < 120; i++) {
      double.seed({
        ...fixture("incident-list").result[0],
        sys_id: (i + 1).toString(16).padStart(32, "b"),
        number: `INC09${String(i).padStart(5, "0")}`,
        sys_updated_on: `2030-01-01 00:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`,
      });
    }
    const sync = `mutation($id: ID!) { syncServiceNowIncidents(connectorId: $id) { fetched upserted pages cursor } }`;
    const first = (await ok(sync, { id: connectorId })).syncServiceNowIncidents;
    expect(first.pages).toBe(2);
    expect(first.cursor).toBe("2030-01-01 00:01:59");
    expect(first.upserted).toBe(first.fetched);
    const second = (await ok(sync, { id: connectorId })).syncServiceNowIncidents;
    // Only the newest record (>= cursor) comes again, and it is unchanged.
    expect(second).toMatchObject({ fetched: 1, upserted: 0, pages: 1 });
  });

  it("refuses bad connector settings with BAD_USER_INPUT and the problems", async () => {
    const res = await as(tenant.token)(`mutation($input: RegisterConnectorInput!) { registerConnector(input: $input) { id } }`, {
      input: {
        kind: "SERVICENOW",
        name: "bad",
        baseUrl: "http://acme.service-now.com",
        authKind: "OAUTH_CLIENT_CREDENTIALS",
        secret: "x",
        rateLimit: { ratePerSecond: 0, burst: 0 },
      },
    });
    expect(res.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect((res.errors?.[0]?.extensions?.["problems"] as any[]).map((p) => p.path).sort()).toEqual([
      "baseUrl",
      "clientId",
      "rateLimit.burst",
      "rateLimit.ratePerSecond",
    ]);
  });
});
