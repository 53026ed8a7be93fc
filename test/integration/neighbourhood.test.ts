/**
 * `neighbourhood(id, hops, limit)` through the gateway: hop counts, ordering,
 * the limit, bad arguments and another tenant's ids.
 */
import { beforeAll, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("neighbourhood");
let a: TestTenant;
let b: TestTenant;
let ids: { org: string; domain: string; ip: string; person: string };

const QUERY = `query($id: ID!, $hops: Int!, $limit: Int) {
  neighbourhood(id: $id, hops: $hops, limit: $limit) { truncated nodes { id type label hops } edges { from to type confidence source } } }`;
const ask = (token: string, id: string, hops: number, limit?: number) =>
  gql<{ neighbourhood: { truncated: boolean; nodes: Array<{ id: string; type: string; label: string; hops: number }>; edges: any[] } }>(
    platform.url,
    QUERY,
    { id, hops, ...(limit ? { limit } : {}) },
    { token },
  );

beforeAll(async () => {
  a = await platform.newTenant("na", "ENTERPRISE");
  b = await platform.newTenant("nb", "ENTERPRISE");
  // Person — Organization — Domain — IPAddress, a chain of three hops.
  const edge = `edge: { confidence: 0.8, source: "test" }`;
  const res = await gql<any>(
    platform.url,
    `mutation { createOrganizations(input: [{ name: "Acme", source: "test",
      members: { create: [{ node: { name: "Ada" }, ${edge} }] },
      domains: { create: [{ node: { name: "acme.example", resolvesTo: { create: [{ node: { address: "192.0.2.10" }, ${edge} }] } }, ${edge} }] } }])
      { organizations { id members { id } domains { id resolvesTo { id } } } } }`,
    {},
    { token: a.token },
  );
  expect(res.errors).toBeUndefined();
  const org = res.data.createOrganizations.organizations[0];
  ids = { org: org.id, person: org.members[0].id, domain: org.domains[0].id, ip: org.domains[0].resolvesTo[0].id };
}, 60_000);

it("returns the start at hop 0 and each node at its distance, with the edges between them", async () => {
  const one = await ask(a.token, ids.person, 1);
  expect(one.errors).toBeUndefined();
  expect(one.data!.neighbourhood.nodes).toEqual([
    { id: ids.person, type: "Person", label: "Ada", hops: 0 },
    { id: ids.org, type: "Organization", label: "Acme", hops: 1 },
  ]);
  const edges = one.data!.neighbourhood.edges;
  expect(edges).toHaveLength(1);
  expect(new Set([edges[0].from, edges[0].to])).toEqual(new Set([ids.org, ids.person]));
  expect(edges[0]).toMatchObject({ confidence: 0.8, source: "test" });

  const three = await ask(a.token, ids.person, 3);
  const hops = Object.fromEntries(three.data!.neighbourhood.nodes.map((n) => [n.id, n.hops]));
  expect(hops).toEqual({ [ids.person]: 0, [ids.org]: 1, [ids.domain]: 2, [ids.ip]: 3 });
  expect(three.data!.neighbourhood.edges).toHaveLength(3);
  expect(three.data!.neighbourhood.truncated).toBe(false);

  const two = await ask(a.token, ids.person, 2);
  expect(two.data!.neighbourhood.nodes.map((n) => n.id)).not.toContain(ids.ip);
});

it("keeps the nearest nodes when the limit cuts, and says it was truncated", async () => {
  const res = await ask(a.token, ids.person, 3, 2);
  expect(res.data!.neighbourhood.truncated).toBe(true);
  expect(res.data!.neighbourhood.nodes.map((n) => n.hops)).toEqual([0, 1]);
  // Only edges between kept nodes.
  const kept = new Set(res.data!.neighbourhood.nodes.map((n) => n.id));
  expect(res.data!.neighbourhood.edges.length).toBeGreaterThan(0);
  for (const e of res.data!.neighbourhood.edges) expect(kept.has(e.from) && kept.has(e.to)).toBe(true);
});

it("refuses bad hops and limits with BAD_USER_INPUT, and an unknown id with NOT_FOUND", async () => {
  for (const [hops, limit] of [
    [0, undefined],
    [4, undefined],
    [1, 2001],
  ] as const) {
    const res = await gql<any>(platform.url, QUERY, { id: ids.org, hops, limit: limit ?? null }, { token: a.token });
    expect(res.errors?.[0]?.extensions?.["code"], `hops ${hops} limit ${limit}`).toBe("BAD_USER_INPUT");
  }
  const unknown = await ask(a.token, "00000000-0000-4000-8000-000000000000", 1);
  expect(unknown.errors?.[0]?.extensions?.["code"]).toBe("NOT_FOUND");
});

it("never shows another tenant's entity: B asking for A's ids gets NOT_FOUND", async () => {
  for (const id of Object.values(ids)) {
    const res = await ask(b.token, id, 3);
    expect(res.errors?.[0]?.extensions?.["code"]).toBe("NOT_FOUND");
    expect(JSON.stringify(res)).not.toContain("Acme");
  }
});
