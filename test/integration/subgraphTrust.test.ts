import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANONYMOUS, PRINCIPAL_HEADER, signPrincipal, type SubgraphServer } from "@intelgraph/kit";
import { connectStores, createServiceDeps, createSubgraph, type Stores } from "@intelgraph/gateway";
import { codes, gql } from "../support/graphqlClient.ts";
import { randomSecret, testConfig } from "../support/platform.ts";
import { createTestLogger } from "../support/testLogger.ts";

let stores: Stores;
let server: SubgraphServer;
let url: string;
const config = testConfig("trust");

beforeAll(async () => {
  stores = await connectStores(config);
  const deps = await createServiceDeps(config, stores, createTestLogger("trust"));
  server = await createSubgraph("playbooks", deps, stores, config);
  url = await server.listen(0);
});
afterAll(async () => {
  await server?.stop();
  await stores?.mongo.db.dropDatabase();
  await stores?.close();
});

describe("a subgraph reached directly, not through the gateway", () => {
  it("refuses a request without a signed principal with 401 UNAUTHENTICATED", async () => {
    const res = await gql(url, `{ playbooks { id } }`);
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(["UNAUTHENTICATED"]);
    expect(res.errors?.[0]?.extensions?.["reason"]).toBe("missing");
  });

  it("refuses a principal signed with another key", async () => {
    const forged = signPrincipal({ kind: "user", tenantId: "t", userId: "u", roles: ["ADMIN"], scopes: [] }, "r", randomSecret());
    const res = await gql(url, `{ playbooks { id } }`, {}, { headers: { [PRINCIPAL_HEADER]: forged } });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.["reason"]).toBe("bad-signature");
  });

  it("refuses a stale signed principal (replay)", async () => {
    const old = signPrincipal(ANONYMOUS, "r", config.PRINCIPAL_SIGNING_KEY, Date.now() - 10 * 60_000);
    const res = await gql(url, `{ playbooks { id } }`, {}, { headers: { [PRINCIPAL_HEADER]: old } });
    expect(res.errors?.[0]?.extensions?.["reason"]).toBe("stale");
  });

  it("accepts a correctly signed principal and applies its tenant", async () => {
    const principal = signPrincipal(
      { kind: "user", tenantId: "t-1", userId: "u-1", roles: ["ANALYST"], scopes: [] },
      "r",
      config.PRINCIPAL_SIGNING_KEY,
    );
    const res = await gql(url, `{ playbooks { id } }`, {}, { headers: { [PRINCIPAL_HEADER]: principal } });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ playbooks: [] });
  });

  it("resolves entity references (_entities) for a signed-in caller of the entity's own tenant only", async () => {
    const as = (principal: Parameters<typeof signPrincipal>[0]) => ({
      headers: { [PRINCIPAL_HEADER]: signPrincipal(principal, "r", config.PRINCIPAL_SIGNING_KEY) },
    });
    const user = (tenantId: string) => ({ kind: "user" as const, tenantId, userId: `u-${tenantId}`, roles: ["ANALYST"], scopes: [] });
    const created = await gql(
      url,
      `mutation { createPlaybook(input: { name: "ref", steps: [{ kind: ASK, config: { question: "a" } }] }) { id } }`,
      {},
      as(user("t-ref")),
    );
    const id = created.data?.createPlaybook.id as string;
    expect(id).toBeTruthy();
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Playbook { id name } } }`;
    const r = [{ __typename: "Playbook", id }];
    expect((await gql(url, entities, { r }, as(user("t-ref")))).data).toEqual({ _entities: [{ id, name: "ref" }] });
    expect((await gql(url, entities, { r }, as(user("t-other")))).data).toEqual({ _entities: [null] });
    const anonymous = await gql(url, entities, { r }, as(ANONYMOUS));
    expect(codes(anonymous)).toEqual(["UNAUTHENTICATED"]);
    expect(JSON.stringify(anonymous.data ?? null)).not.toContain("ref");
  });

  it("serves /healthz, /readyz and /metrics", async () => {
    const base = url.replace(/\/graphql$/, "");
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: "ok", service: "playbooks" });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: "ready", service: "playbooks" });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain("intelgraph_graphql_operations_total");
  });
});
