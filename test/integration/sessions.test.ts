import { beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { issueSessionToken } from "@intelgraph/kit";
import { login, randomSecret, useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("sessions");
let tenant: TestTenant;

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token refreshToken refreshExpiresAt } }`;
const REFRESH = `mutation($r: String!) { refreshSession(refreshToken: $r) { token refreshToken user { email } } }`;

beforeAll(async () => {
  tenant = await platform.newTenant("s");
});

describe("refresh tokens", () => {
  it("trade for a new session and a new refresh token; a reused one ends the whole sign-in", async () => {
    const login = await gql(platform.url, LOGIN, { e: tenant.adminEmail, p: tenant.adminPassword });
    const first = login.data?.login;
    expect(first.refreshToken).toMatch(/^igr_/);
    expect(Date.parse(first.refreshExpiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);

    const refreshed = await gql(platform.url, REFRESH, { r: first.refreshToken });
    const second = refreshed.data?.refreshSession;
    expect(second.user).toEqual({ email: tenant.adminEmail });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await gql(platform.url, `{ me { email } }`, {}, { token: second.token })).data).toEqual({ me: { email: tenant.adminEmail } });

    // Replaying the first refresh token: refused, and the second one is revoked with it.
    const replay = await gql(platform.url, REFRESH, { r: first.refreshToken });
    expect(codes(replay)).toEqual(["UNAUTHENTICATED"]);
    expect(replay.errors?.[0]?.extensions?.["reason"]).toBe("reused");
    const afterReplay = await gql(platform.url, REFRESH, { r: second.refreshToken });
    expect(afterReplay.errors?.[0]?.extensions?.["reason"]).toBe("revoked");

    // The audit log shows the refreshes under the user.
    const audit = await gql(
      platform.url,
      `{ auditEvents(filter: { action: "refreshSession" }) { nodes { outcome actor { userId } arguments } } }`,
      {},
      { token: second.token },
    );
    const events = audit.data?.auditEvents.nodes as Array<{ outcome: string; actor: { userId: string }; arguments: string }>;
    expect(events.map((e) => e.outcome).sort()).toEqual(["FAILURE", "FAILURE", "SUCCESS"]);
    expect(events.every((e) => !e.arguments.includes("igr_"))).toBe(true);
  });

  it("return the signed-in user with their tenant, though the request itself carried no session", async () => {
    const who = `user { email tenant { id slug region } }`;
    const login = await gql(platform.url, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { refreshToken ${who} } }`, {
      e: tenant.adminEmail,
      p: tenant.adminPassword,
    });
    expect(login.errors).toBeUndefined();
    const expected = { email: tenant.adminEmail, tenant: { id: tenant.id, slug: tenant.slug, region: "eu-west-1" } };
    expect(login.data?.login.user).toEqual(expected);
    const refreshed = await gql(platform.url, `mutation($r: String!) { refreshSession(refreshToken: $r) { ${who} } }`, {
      r: login.data?.login.refreshToken,
    });
    expect(refreshed.errors).toBeUndefined();
    expect(refreshed.data?.refreshSession.user).toEqual(expected);
  });

  it("rejects garbage with UNAUTHENTICATED", async () => {
    const res = await gql(platform.url, REFRESH, { r: "igr_not-a-token" });
    expect(codes(res)).toEqual(["UNAUTHENTICATED"]);
    expect(res.errors?.[0]?.extensions?.["reason"]).toBe("invalid");
  });
});

describe("session tokens over HTTP", () => {
  const ME = `{ me { email } }`;

  it("refuse an expired session, and one for a tenant the signer never meant, with UNAUTHENTICATED", async () => {
    const claims = { sub: tenant.adminId, tid: tenant.id, roles: ["ADMIN"] };
    const hourAgo = Date.now() - 3_600_000;
    const { token: expired } = await issueSessionToken(claims, platform.config.SESSION_JWT_SECRET, 60, hourAgo);
    const res = await gql(platform.url, ME, {}, { token: expired });
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(["UNAUTHENTICATED"]);
    expect(res.errors?.[0]?.message).toMatch(/expired/);
    // Claims moved to another tenant by anyone without the key: the signature no longer holds.
    const [header, payload, signature] = tenant.token.split(".");
    const moved = JSON.parse(Buffer.from(payload!, "base64url").toString());
    moved.tid = "00000000-0000-4000-8000-000000000000";
    const forged = [header, Buffer.from(JSON.stringify(moved)).toString("base64url"), signature].join(".");
    const refused = await gql(platform.url, ME, {}, { token: forged });
    expect(refused.status).toBe(401);
    expect(codes(refused)).toEqual(["UNAUTHENTICATED"]);
  });

  it("survive a key rotation while the old key is kept as previous, and stop when it is dropped", async () => {
    const oldKey = platform.config.SESSION_JWT_SECRET;
    const before = await login(platform.url, tenant.adminEmail, tenant.adminPassword);
    const newKey = randomSecret();
    await platform.restart({ SESSION_JWT_SECRET: newKey, SESSION_JWT_PREVIOUS_SECRETS: [oldKey] });
    expect((await gql(platform.url, ME, {}, { token: before })).data).toEqual({ me: { email: tenant.adminEmail } });
    const after = await login(platform.url, tenant.adminEmail, tenant.adminPassword);
    const kid = (t: string) => JSON.parse(Buffer.from(t.split(".")[0]!, "base64url").toString()).kid as string;
    expect(kid(after)).not.toBe(kid(before));

    await platform.restart({ SESSION_JWT_PREVIOUS_SECRETS: [] });
    const old = await gql(platform.url, ME, {}, { token: before });
    expect(old.status).toBe(401);
    expect(codes(old)).toEqual(["UNAUTHENTICATED"]);
    expect((await gql(platform.url, ME, {}, { token: after })).data).toEqual({ me: { email: tenant.adminEmail } });
  });
});
