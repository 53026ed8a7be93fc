import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { startTestPlatform, type TestPlatform, type TestTenant } from "../support/platform.ts";

let platform: TestPlatform;
let tenant: TestTenant;

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token refreshToken refreshExpiresAt } }`;
const REFRESH = `mutation($r: String!) { refreshSession(refreshToken: $r) { token refreshToken user { email } } }`;

beforeAll(async () => {
  platform = await startTestPlatform("sessions");
  tenant = await platform.newTenant("s");
});
afterAll(async () => {
  await platform?.stopAndDrop();
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
