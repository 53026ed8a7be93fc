import { beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { login, useTestPlatform, type TestTenant } from "../support/platform.ts";
import { subscribe } from "../support/wsClient.ts";

const platform = useTestPlatform("tokens");
let a: TestTenant;
let b: TestTenant;

const CREATE = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id name scopes prefix expiresAt revokedAt } } }`;

async function mint(token: string, input: Record<string, unknown>) {
  return gql(platform.url, CREATE, { input }, { token });
}

beforeAll(async () => {
  a = await platform.newTenant("a");
  b = await platform.newTenant("b");
});

describe("API tokens", () => {
  it("is shown once, stored hashed, works with its scopes only, and records last use", async () => {
    const res = await mint(a.token, { name: "ingest bot", scopes: ["graph:read"] });
    expect(res.errors).toBeUndefined();
    const { token, apiToken } = res.data?.createApiToken;
    expect(token).toMatch(/^igt_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toMatchObject({ name: "ingest bot", scopes: ["graph:read"], prefix: token.slice(0, 12), revokedAt: null });
    const stored = await platform.stores.mongo.db.collection("governance_api_tokens").findOne({ _id: apiToken.id });
    const secret = token.slice("igt_".length + 36 + 1); // base64url may itself contain "_"
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(stored)).not.toContain(secret);

    expect((await gql(platform.url, `{ people { id } }`, {}, { token })).data).toEqual({ people: [] });
    const write = await gql(platform.url, `mutation { createPeople(input: [{ name: "x" }]) { people { id } } }`, {}, { token });
    expect(codes(write)).toEqual(["FORBIDDEN"]);

    const listed = await gql(platform.url, `{ apiTokens { id lastUsedAt lastUsedIp } }`, {}, { token: a.token });
    const mine = (listed.data?.apiTokens as Array<{ id: string; lastUsedAt: string | null; lastUsedIp: string | null }>).find(
      (t) => t.id === apiToken.id,
    );
    expect(mine?.lastUsedAt).not.toBeNull();
    expect(mine?.lastUsedIp).toMatch(/127\.0\.0\.1/);
    // The failed write was audited against the token.
    const audit = await gql(
      platform.url,
      `{ auditEvents(filter: { action: "createPeople", outcome: FAILURE }) { nodes { actor { kind tokenId } errorCode } } }`,
      {},
      { token: a.token },
    );
    expect(audit.data?.auditEvents.nodes).toEqual([{ actor: { kind: "token", tokenId: apiToken.id }, errorCode: "FORBIDDEN" }]);
  });

  it("cannot be minted with scopes its creator lacks, nor by another token, nor administer identities", async () => {
    const email = `viewer-${Date.now()}@a.test`;
    await gql(
      platform.url,
      `mutation($e: String!) { createUser(input: { email: $e, password: "viewer-password-1", role: VIEWER }) { id } }`,
      { e: email },
      { token: a.token },
    );
    const viewer = await login(platform.url, email, "viewer-password-1");
    const beyond = await mint(viewer, { name: "sneaky", scopes: ["graph:read", "graph:write"] });
    expect(codes(beyond)).toEqual(["FORBIDDEN"]);
    expect(beyond.errors?.[0]?.extensions?.["scopes"]).toEqual(["graph:write"]);

    const own = (await mint(a.token, { name: "t", scopes: ["graph:read"] })).data?.createApiToken.token;
    expect(codes(await mint(own, { name: "child", scopes: ["graph:read"] }))).toEqual(["FORBIDDEN"]);
    expect(codes(await mint(a.token, { name: "bad", scopes: ["root:everything"] }))).toEqual(["BAD_USER_INPUT"]);

    // Identity administration needs a person, whatever the token's scopes.
    const admin = (await mint(a.token, { name: "admin-ish", scopes: ["users:manage", "graph:read"] })).data?.createApiToken;
    const createUser = await gql(
      platform.url,
      `mutation { createUser(input: { email: "minted@a.test", password: "minted-password-1", role: ADMIN }) { id } }`,
      {},
      { token: admin.token },
    );
    expect(codes(createUser)).toEqual(["FORBIDDEN"]);
    expect(codes(await gql(platform.url, `{ apiTokens { id } }`, {}, { token: admin.token }))).toEqual(["FORBIDDEN"]);
    const revoke = await gql(
      platform.url,
      `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`,
      { id: admin.apiToken.id },
      { token: admin.token },
    );
    expect(codes(revoke)).toEqual(["FORBIDDEN"]);
  });

  it("refuses revoked, expired, malformed and forged tokens with 401", async () => {
    const { token, apiToken } = (await mint(a.token, { name: "short", scopes: ["graph:read"] })).data?.createApiToken;
    const revoked = await gql(
      platform.url,
      `mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`,
      { id: apiToken.id },
      { token: a.token },
    );
    expect(revoked.data?.revokeApiToken.revokedAt).not.toBeNull();
    const afterRevoke = await gql(platform.url, `{ people { id } }`, {}, { token });
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.errors?.[0]?.message).toMatch(/revoked/);

    const soon = new Date(Date.now() + 1500).toISOString();
    const expiring = (await mint(a.token, { name: "exp", scopes: ["graph:read"], expiresAt: soon })).data?.createApiToken.token;
    expect((await gql(platform.url, `{ people { id } }`, {}, { token: expiring })).status).toBe(200);
    // Refused as soon as its expiry passes (1.5 s from minting).
    await expect
      .poll(async () => (await gql(platform.url, `{ people { id } }`, {}, { token: expiring })).status, { timeout: 5_000, interval: 100 })
      .toBe(401);
    const expired = await gql(platform.url, `{ people { id } }`, {}, { token: expiring });
    expect(expired.errors?.[0]?.message).toMatch(/expired/);

    expect((await gql(platform.url, `{ people { id } }`, {}, { token: "igt_nope" })).status).toBe(401);
    const forged = token.slice(0, -4) + "AAAA";
    expect(codes(await gql(platform.url, `{ people { id } }`, {}, { token: forged }))).toEqual(["UNAUTHENTICATED"]);
  });

  it("keeps tenants apart: B neither sees nor revokes A's tokens, and A's token reads only A", async () => {
    const { token, apiToken } = (await mint(a.token, { name: "a-only", scopes: ["graph:read", "playbooks:read"] })).data?.createApiToken;
    const listed = await gql(platform.url, `{ apiTokens { id } }`, {}, { token: b.token });
    expect((listed.data?.apiTokens as Array<{ id: string }>).map((t) => t.id)).not.toContain(apiToken.id);
    const revoke = await gql(
      platform.url,
      `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`,
      { id: apiToken.id },
      { token: b.token },
    );
    expect(codes(revoke)).toEqual(["NOT_FOUND"]);
    await gql(
      platform.url,
      `mutation { createPlaybook(input: { name: "b-only", steps: [{ kind: ASK, config: { question: "x" } }] }) { id } }`,
      {},
      { token: b.token },
    );
    const seen = await gql(platform.url, `{ playbooks { name } }`, {}, { token });
    expect(seen.data).toEqual({ playbooks: [] });
  });

  it("over WebSockets: a revoked token gets no new subscriptions and its open stream is closed", async () => {
    const { token, apiToken } = (await mint(a.token, { name: "ws", scopes: ["audit:read"] })).data?.createApiToken;
    const { client, sub } = await subscribe(platform.url, `subscription { auditEventRecorded { action } }`, token);
    await new Promise((r) => setTimeout(r, 300));
    await gql(platform.url, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: apiToken.id }, { token: a.token });
    // The revocation's own audit event may arrive first; then the socket closes with 4403.
    const closed = await (async () => {
      for (;;) await sub.next(5000);
    })().catch((error: { code?: number }) => error);
    expect(closed).toMatchObject({ code: 4403 });
    await sub.close().catch(() => undefined);
    await client.dispose();
  });
});
