/**
 * Connector management around the ServiceNow double: testConnection names the
 * stage that failed; updateConnector changes the secret, auth kind and
 * mapping (applied at once, the secret never returned); OAuth client
 * credentials deliver; a manual and an automatic replay of the same dead
 * letter send it once; a legal-held incident is refused with LEGAL_HOLD.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { fixture, startServiceNowDouble, type ServiceNowDouble } from "../support/servicenowDouble.ts";

const platform = useTestPlatform("snowconn");
let double: ServiceNowDouble;
let tenant: TestTenant;

const call = (query: string, variables: Record<string, unknown> = {}) => gql<any>(platform.url, query, variables, { token: tenant.token });
const ok = async (query: string, variables: Record<string, unknown> = {}) => {
  const res = await call(query, variables);
  if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
  return res.data;
};
const register = async (input: Record<string, unknown>) =>
  (
    await ok(`mutation($input: RegisterConnectorInput!) { registerConnector(input: $input) { id } }`, {
      input: { kind: "SERVICENOW", baseUrl: double.url, username: "intelgraph", secret: "s3cret-pw", ...input },
    })
  ).registerConnector.id as string;
const testConnection = async (id: string) =>
  (await ok(`mutation($id: ID!) { testConnection(id: $id) { ok stage httpStatus message } }`, { id })).testConnection;
const incident = async (title: string) =>
  (await ok(`mutation { createIncidents(input: [{ title: "${title}", severity: "medium" }]) { incidents { id } } }`)).createIncidents
    .incidents[0].id as string;
const push = (connectorId: string, incidentId: string) =>
  call(`mutation($input: PushIncidentInput!) { pushIncidentToServiceNow(input: $input) { id status sysId attempts } }`, {
    input: { connectorId, incidentId },
  });

beforeAll(async () => {
  double = await startServiceNowDouble();
  tenant = await platform.newTenant("snowc");
});
afterAll(() => double?.close());

describe("connector management", () => {
  it("testConnection reports the failing stage; updateConnector changes secret, auth and mapping", async () => {
    const id = await register({ name: "conn", secret: "wrong-pw" });
    expect(await testConnection(id)).toMatchObject({ ok: false, stage: "AUTH", httpStatus: 401 });
    double.users.set("reader", { password: "pw", canReadIncidents: false });
    const update = `mutation($id: ID!, $input: UpdateConnectorInput!) { updateConnector(id: $id, input: $input) {
      authKind username clientId secretSource mapping { severity { severity urgency impact } closeCode } rateLimit { ratePerSecond burst } } }`;
    await ok(update, { id, input: { username: "reader", secret: "pw" } });
    expect(await testConnection(id)).toMatchObject({ ok: false, stage: "PERMISSION", httpStatus: 403 });

    const updated = await ok(update, {
      id,
      input: {
        authKind: "OAUTH_CLIENT_CREDENTIALS",
        clientId: "ig-client",
        secret: "client-s3cret",
        mapping: { severity: [{ severity: "medium", urgency: 3, impact: 1 }], closeCode: "Resolved by caller" },
        rateLimit: { ratePerSecond: 20, burst: 2 },
      },
    });
    expect(updated.updateConnector).toMatchObject({
      authKind: "OAUTH_CLIENT_CREDENTIALS",
      clientId: "ig-client",
      secretSource: "ENCRYPTED",
      mapping: { severity: [{ severity: "medium", urgency: 3, impact: 1 }], closeCode: "Resolved by caller" },
      rateLimit: { ratePerSecond: 20, burst: 2 },
    });
    expect(JSON.stringify(updated)).not.toContain("client-s3cret");
    expect(await testConnection(id)).toMatchObject({ ok: true, stage: "OK" });
    const stored = await platform.stores.mongo.db.collection("connectors").findOne({ _id: id as never });
    expect(JSON.stringify(stored)).not.toContain("client-s3cret");
    const audited = await platform.stores.mongo.db.collection("audit_events").find({ action: "updateConnector" }).toArray();
    expect(audited.length).toBe(2);
    expect(JSON.stringify(audited)).not.toContain("client-s3cret");
    expect(JSON.stringify(audited)).not.toContain('"pw"');

    // OAuth delivers, with the new mapping.
    const pushed = await push(id, await incident("oauth push"));
    expect(pushed.data?.pushIncidentToServiceNow).toMatchObject({ status: "DELIVERED" });
    expect(double.records.get(pushed.data!.pushIncidentToServiceNow.sysId)).toMatchObject({ urgency: "3", impact: "1" });
    expect(double.log.some((r) => r.path === "/oauth_token.do" && r.status === 200)).toBe(true);

    const unreachable = await register({ name: "down", baseUrl: "http://127.0.0.1:9" });
    expect(await testConnection(unreachable)).toMatchObject({ ok: false, stage: "CONNECT", httpStatus: null });

    const bad = await call(update, {
      id,
      input: { rateLimit: { ratePerSecond: 1000, burst: 1 }, sync: { enabled: true, query: "a=1^ORb=2" } },
    });
    expect(bad.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect((bad.errors?.[0]?.extensions?.["problems"] as any[]).map((p) => p.path).sort()).toEqual([
      "rateLimit.ratePerSecond",
      "sync.query",
    ]);
  });

  it("a manual and an automatic replay of the same dead letter send it once", async () => {
    const id = await register({ name: "race", replay: { inlineAttempts: 1, backoffSeconds: 0 } });
    const incidentId = await incident("race");
    double.outage(500);
    expect((await push(id, incidentId)).data?.pushIncidentToServiceNow.status).toBe("DEAD_LETTERED");
    double.recover();
    const [letter] = (await ok(`query($id: ID!) { connectorDeadLetters(connectorId: $id) { id } }`, { id })).connectorDeadLetters;
    const [manual] = await Promise.all([
      call(`mutation($id: ID!) { replayConnectorDeadLetter(id: $id) { status } }`, { id: letter.id }),
      platform.scheduler.runNow("connectors.replay"),
    ]);
    // Whichever claimed replay 1 sent it; the other got CONFLICT (manual) or skipped it (auto).
    if (manual.errors) expect(manual.errors[0]!.extensions?.["code"]).toBe("CONFLICT");
    else expect(manual.data?.replayConnectorDeadLetter.status).toBe("DELIVERED");
    const posts = double.tableRequests().filter((r) => r.method === "POST" && r.body?.["correlation_id"] === `intelgraph:${incidentId}`);
    expect(posts.filter((r) => r.status === 201)).toHaveLength(1);
    const [after] = (await ok(`query($id: ID!) { connectorDeadLetters(connectorId: $id) { status replays } }`, { id }))
      .connectorDeadLetters;
    expect(after).toEqual({ status: "REPLAYED", replays: 1 });
  });

  it("refuses to change a legal-held incident (LEGAL_HOLD), and reports health", async () => {
    const id = await register({ name: "held" });
    const payload = fixture("incident");
    const ingest = `mutation($id: ID!, $payload: JSON!) { ingestServiceNowIncident(connectorId: $id, payload: $payload) { incidentId } }`;
    const { incidentId } = (await ok(ingest, { id, payload })).ingestServiceNowIncident;
    await ok(`mutation($input: PlaceLegalHoldInput!) { placeLegalHold(input: $input) { id } }`, {
      input: { name: "matter", reason: "litigation", selector: { ids: [incidentId] } },
    });
    const refused = await call(ingest, { id, payload: { result: { ...payload.result, short_description: "changed" } } });
    expect(refused.errors?.[0]?.extensions?.["code"]).toBe("LEGAL_HOLD");
    const [stored] = (await ok(`query($id: ID!) { incidents(where: { id: { eq: $id } }) { title } }`, { id: incidentId })).incidents;
    expect(stored.title).toBe(payload.result.short_description);

    await testConnection(id);
    const health = (await ok(`query($id: ID!) { connectorHealth(id: $id) { requests successRate lastSuccessAt } }`, { id }))
      .connectorHealth;
    expect(health.requests).toBeGreaterThanOrEqual(1);
    expect(health.lastSuccessAt).not.toBeNull();
  });

  it("the scheduled sync pulls as the user who enabled it, once per interval", async () => {
    const id = await register({ name: "scheduled" });
    double.seed({ ...fixture("incident").result, sys_id: "d".repeat(32), number: "INC0077777", sys_updated_on: "2031-05-05 05:05:05" });
    const enabled = await ok(
      `mutation($id: ID!, $input: UpdateConnectorInput!) { updateConnector(id: $id, input: $input) { sync { enabled runAsUserId cursor } } }`,
      { id, input: { sync: { enabled: true, intervalMinutes: 60, query: "number=INC0077777" } } },
    );
    expect(enabled.updateConnector.sync).toEqual({ enabled: true, runAsUserId: tenant.adminId, cursor: null });
    expect(await platform.scheduler.runNow("connectors.sync")).toBe(true);
    const after = (await ok(`query($id: ID!) { connector(id: $id) { sync { cursor lastSyncAt } } }`, { id })).connector.sync;
    expect(after.cursor).toBe("2031-05-05 05:05:05");
    const found = (await ok(`{ incidents(where: { externalNumber: { eq: "INC0077777" } }) { id source } }`)).incidents;
    expect(found).toEqual([{ id: expect.any(String), source: `connector:${id}` }]);
    // Within the interval the next run does not pull again.
    const before = double.tableRequests().length;
    expect(await platform.scheduler.runNow("connectors.sync")).toBe(true);
    expect(double.tableRequests().length).toBe(before);
  });

  it("tenant B cannot read or touch A's connectors; a reference secret dead-letters with AUTH", async () => {
    const id = await register({ name: "tenant-a", secret: undefined, secretRef: "vault://servicenow/prod" });
    const other = await platform.newTenant("snowb");
    const asB = (query: string, variables: Record<string, unknown>) => gql<any>(platform.url, query, variables, { token: other.token });
    const incidentId = await incident("a's incident");
    const attempts = [
      asB(`query($id: ID!) { connector(id: $id) { id } }`, { id }),
      asB(`query($id: ID!) { connectorHealth(id: $id) { dlqDepth } }`, { id }),
      asB(`query($id: ID!) { connectorDeadLetters(connectorId: $id) { id } }`, { id }),
      asB(`mutation($id: ID!) { testConnection(id: $id) { ok } }`, { id }),
      asB(`mutation($id: ID!, $input: UpdateConnectorInput!) { updateConnector(id: $id, input: $input) { id } }`, {
        id,
        input: { baseUrl: "https://evil.example" },
      }),
      asB(`mutation($input: PushIncidentInput!) { pushIncidentToServiceNow(input: $input) { id } }`, {
        input: { connectorId: id, incidentId },
      }),
      asB(`mutation($id: ID!) { syncServiceNowIncidents(connectorId: $id) { fetched } }`, { id }),
      asB(`mutation($id: ID!, $p: JSON!) { ingestServiceNowIncident(connectorId: $id, payload: $p) { incidentId } }`, {
        id,
        p: fixture("incident"),
      }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.errors?.[0]?.extensions?.["code"]).toBe("NOT_FOUND");
    const listed = await asB(`{ connectors { id } }`, {});
    expect(listed.data?.connectors).toEqual([]);
    expect((await ok(`query($id: ID!) { connector(id: $id) { baseUrl } }`, { id })).connector.baseUrl).toBe(double.url);

    // A's own push: the reference cannot be resolved here, so the delivery is dead-lettered as a credentials failure.
    const pushed = (await push(id, incidentId)).data?.pushIncidentToServiceNow;
    expect(pushed.status).toBe("DEAD_LETTERED");
    expect((await testConnection(id)).stage).toBe("AUTH");
  });

  it("concurrent pushes of one incident create it once", async () => {
    const id = await register({ name: "concurrent", replay: { inlineAttempts: 3 } });
    const incidentId = await incident("pushed three times at once");
    // A 429 holds the bucket for 1 s, so all three are waiting for it at once.
    double.storm(1, 1);
    const results = await Promise.all([push(id, incidentId), push(id, incidentId), push(id, incidentId)]);
    const deliveries = results.map((r) => r.data?.pushIncidentToServiceNow);
    expect(deliveries.map((d) => d.status)).toEqual(["DELIVERED", "DELIVERED", "DELIVERED"]);
    expect(new Set(deliveries.map((d) => d.sysId)).size).toBe(1);
    const created = await ok(`query($id: ID!) { connectorDeliveries(connectorId: $id) { created } }`, { id });
    expect(created.connectorDeliveries.filter((d: { created: boolean }) => d.created)).toHaveLength(1);
    expect([...double.records.values()].filter((r) => r["correlation_id"] === `intelgraph:${incidentId}`)).toHaveLength(1);
  });
});
