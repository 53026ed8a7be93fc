import { beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { subscribe } from "../support/wsClient.ts";

const platform = useTestPlatform("tokalerts");
let tenant: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  tenant = await platform.newTenant("ta", "ENTERPRISE");
  other = await platform.newTenant("tb", "ENTERPRISE");
});

async function newToken(admin: TestTenant, scopes: string[], name = `t-${Date.now()}`) {
  const res = await gql<{ createApiToken: { token: string; apiToken: { id: string } } }>(
    platform.url,
    `mutation($n: String!, $s: [String!]!) { createApiToken(input: { name: $n, scopes: $s }) { token apiToken { id } } }`,
    { n: name, s: scopes },
    { token: admin.token },
  );
  expect(res.errors).toBeUndefined();
  return { token: res.data!.createApiToken.token, id: res.data!.createApiToken.apiToken.id };
}

const alertFields = `id rule tokenId tokenName ip detail requestId raisedAt`;
const alertsOf = async (admin: TestTenant, tokenId: string) =>
  (
    await gql<{ tokenAlerts: Array<Record<string, string>> }>(
      platform.url,
      `query($t: ID) { tokenAlerts(tokenId: $t) { ${alertFields} } }`,
      { t: tokenId },
      { token: admin.token },
    )
  ).data!.tokenAlerts;

describe("API token anomaly alerts", () => {
  it("raises NEW_IP when a token is first used from another address: stored, audited, streamed to admins", async () => {
    const { token, id } = await newToken(tenant, ["graph:read"], "ci-sync");
    const { sub } = await subscribe(platform.url, `subscription { tokenAlertRaised { ${alertFields} } }`, tenant.token);
    const { sub: otherSub } = await subscribe(platform.url, `subscription { tokenAlertRaised { rule tokenId } }`, other.token);
    try {
      const next = sub.next(8000);
      const otherNext = otherSub.next(1500).catch((e: Error) => e.message);
      await new Promise((r) => setTimeout(r, 300));
      // First use sets the baseline; the same address again raises nothing.
      expect((await gql(platform.url, `{ people { id } }`, {}, { token, from: "127.0.0.1" })).errors).toBeUndefined();
      expect((await gql(platform.url, `{ people { id } }`, {}, { token, from: "127.0.0.1" })).errors).toBeUndefined();
      expect(await alertsOf(tenant, id)).toEqual([]);
      const fromNew = await gql(platform.url, `{ people { id } }`, {}, { token, from: "127.0.0.2" });
      expect(fromNew.errors).toBeUndefined(); // an alert, not a refusal
      const requestId = fromNew.headers.get("x-request-id");

      const event = (await next) as { data: { tokenAlertRaised: Record<string, string> } };
      expect(event.data.tokenAlertRaised).toMatchObject({ rule: "NEW_IP", tokenId: id, tokenName: "ci-sync", ip: "127.0.0.2", requestId });
      expect(event.data.tokenAlertRaised["detail"]).toMatch(/first use from 127\.0\.0\.2 \(seen before from 127\.0\.0\.1\)/);
      expect(await otherNext).toMatch(/no event/); // tenant B's admins see nothing of it

      const stored = await alertsOf(tenant, id);
      expect(stored.map((a) => a["rule"])).toEqual(["NEW_IP"]);
      const audit = await gql<{ auditEvents: { nodes: Array<Record<string, any>> } }>(
        platform.url,
        `{ auditEvents(first: 5, filter: { action: "tokenAlertRaised" }) { nodes { action outcome targetIds requestId actor { kind tokenId } } } }`,
        {},
        { token: tenant.token },
      );
      expect(audit.errors).toBeUndefined();
      expect(audit.data!.auditEvents.nodes[0]).toMatchObject({
        action: "tokenAlertRaised",
        outcome: "SUCCESS",
        targetIds: [id],
        requestId,
        actor: { kind: "token", tokenId: id },
      });
      // Known now: using it from there again raises nothing more.
      await gql(platform.url, `{ people { id } }`, {}, { token, from: "127.0.0.2" });
      expect(await alertsOf(tenant, id)).toHaveLength(1);
      expect(await alertsOf(other, id)).toEqual([]);
    } finally {
      await sub.close();
      await otherSub.close();
    }
  });

  it("raises DENIED_BURST once when a token is refused the configured number of times", async () => {
    const set = await gql(
      platform.url,
      `mutation { setTokenAlertRules(input: { deniedBurst: 3, deniedWindowSeconds: 60 }) { newIp deniedBurst deniedWindowSeconds dormantDays } }`,
      {},
      { token: tenant.token },
    );
    expect(set.data).toEqual({ setTokenAlertRules: { newIp: true, deniedBurst: 3, deniedWindowSeconds: 60, dormantDays: 30 } });
    await new Promise((r) => setTimeout(r, 150)); // the gateway's rules cache (100 ms in tests, 5 s by default)
    const { token, id } = await newToken(tenant, ["graph:read"]);
    for (let i = 0; i < 4; i++) {
      const denied = await gql(platform.url, `{ auditEvents(first: 1) { nodes { id } } }`, {}, { token });
      expect(codes(denied)).toEqual(["FORBIDDEN"]);
    }
    // Counted off the response path: the alert arrives shortly after the fourth refusal.
    await expect.poll(async () => (await alertsOf(tenant, id)).map((a) => a["rule"])).toEqual(["DENIED_BURST"]);
    const alerts = await alertsOf(tenant, id);
    expect(alerts[0]!["detail"]).toMatch(/3 refused requests within 60 s \(threshold 3\)/);
  });

  it("raises DORMANT_USE when a token is used after the tenant's dormancy period, and honours a rule switched off", async () => {
    const { token, id } = await newToken(tenant, ["graph:read"]);
    await gql(platform.url, `{ people { id } }`, {}, { token });
    const tokens = platform.stores.mongo.db.collection("governance_api_tokens");
    const backdate = (days: number) =>
      tokens.updateOne({ _id: id as never }, { $set: { lastUsedAt: new Date(Date.now() - days * 86_400_000) } });

    await backdate(10); // under the default 30 days
    await gql(platform.url, `{ people { id } }`, {}, { token });
    expect(await alertsOf(tenant, id)).toEqual([]);

    await backdate(45);
    await gql(platform.url, `{ people { id } }`, {}, { token });
    const alerts = await alertsOf(tenant, id);
    expect(alerts.map((a) => a["rule"])).toEqual(["DORMANT_USE"]);
    expect(alerts[0]!["detail"]).toMatch(/used after 45 days without use/);

    await gql(
      platform.url,
      `mutation { setTokenAlertRules(input: { disable: [DORMANT_USE] }) { dormantDays } }`,
      {},
      { token: tenant.token },
    );
    await new Promise((r) => setTimeout(r, 150));
    await backdate(400);
    await gql(platform.url, `{ people { id } }`, {}, { token });
    expect(await alertsOf(tenant, id)).toHaveLength(1);
    const rules = await gql(platform.url, `{ tokenAlertRules { dormantDays deniedBurst updatedBy } }`, {}, { token: tenant.token });
    expect(rules.data).toEqual({ tokenAlertRules: { dormantDays: null, deniedBurst: 3, updatedBy: tenant.adminId } });
  });

  it("refuses bad rules, and rule changes by anyone but a tenant admin", async () => {
    const bad = await gql(
      platform.url,
      `mutation { setTokenAlertRules(input: { deniedBurst: 1 }) { deniedBurst } }`,
      {},
      { token: tenant.token },
    );
    expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
    expect(bad.errors?.[0]?.message).toMatch(/deniedBurst: at least 2/);
    const { token } = await newToken(tenant, ["graph:read", "users:manage"]);
    const byToken = await gql(platform.url, `mutation { setTokenAlertRules(input: { newIp: false }) { newIp } }`, {}, { token });
    expect(codes(byToken)).toEqual(["FORBIDDEN"]);
    const rules = await gql(platform.url, `{ tokenAlertRules { newIp } }`, {}, { token: other.token });
    expect(rules.data).toEqual({ tokenAlertRules: { newIp: true } }); // B's rules are its own defaults
  });
});
