import { beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("isolation");
let a: TestTenant;
let b: TestTenant;
const ids: Record<string, string> = {};

beforeAll(async () => {
  a = await platform.newTenant("a");
  b = await platform.newTenant("b");
  const org = await gql(
    platform.url,
    `mutation { createOrganizations(input: [{ name: "A-Corp", domains: { create: [{ node: { name: "a-corp.example" }, edge: { confidence: 1, source: "t" } }] } }]) { organizations { id domains { id } } } }`,
    {},
    { token: a.token },
  );
  ids["org"] = org.data?.createOrganizations.organizations[0].id;
  ids["domain"] = org.data?.createOrganizations.organizations[0].domains[0].id;
  const playbook = await gql(
    platform.url,
    `mutation { createPlaybook(input: { name: "A-only", steps: [{ kind: ASK, config: { question: "x" } }] }) { id } }`,
    {},
    { token: a.token },
  );
  ids["playbook"] = playbook.data?.createPlaybook.id;
  const connector = await gql(
    platform.url,
    `mutation { registerConnector(input: { kind: SERVICENOW, name: "a-sn", baseUrl: "https://a.service-now.example", secretRef: "vault://a/sn" }) { id } }`,
    {},
    { token: a.token },
  );
  ids["connector"] = connector.data?.registerConnector.id;
  for (const id of Object.values(ids)) expect(id).toMatch(/^[0-9a-f-]{36}$/);
});

describe("tenant B never sees tenant A's data", () => {
  it("graph entities: lists, lookups by id, aggregates and connections are empty", async () => {
    const res = await gql(
      platform.url,
      `query($org: ID!, $domain: ID!) {
        organizations { id }
        byId: organizations(where: { id: { eq: $org } }) { id }
        domains(where: { id: { eq: $domain } }) { id }
        organizationsConnection { totalCount }
      }`,
      { org: ids["org"], domain: ids["domain"] },
      { token: b.token },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ organizations: [], byId: [], domains: [], organizationsConnection: { totalCount: 0 } });
    const own = await gql(platform.url, `{ organizationsConnection { totalCount } }`, {}, { token: a.token });
    expect(own.data).toEqual({ organizationsConnection: { totalCount: 1 } });
  });

  it("graph entities: B cannot filter its way to A's data by tenantId", async () => {
    const res = await gql(
      platform.url,
      `query($t: String!) { organizations(where: { tenantId: { eq: $t } }) { id } }`,
      { t: a.id },
      { token: b.token },
    );
    expect(res.data).toEqual({ organizations: [] });
  });

  it("audit events, usage, playbooks and connectors", async () => {
    const res = await gql(
      platform.url,
      `query($pb: ID!) { auditEvents(first: 100) { nodes { tenantId targetIds } } playbooks { id } playbook(id: $pb) { id } connectors { id } usage { queries mutations } }`,
      { pb: ids["playbook"] },
      { token: b.token },
    );
    expect(res.errors).toBeUndefined();
    const events = res.data?.auditEvents.nodes as Array<{ tenantId: string; targetIds: string[] }>;
    expect(events.length).toBeGreaterThan(0); // B's own user creation/login are there…
    expect(events.every((e) => e.tenantId === b.id)).toBe(true); // …and nothing of A's
    expect(events.flatMap((e) => e.targetIds)).not.toContain(ids["org"]);
    expect(res.data?.playbooks).toEqual([]);
    expect(res.data?.playbook).toBeNull();
    expect(res.data?.connectors).toEqual([]);
  });

  it("usage: B's requests count in B's usage and never in A's, and B's usage query shows only B's", async () => {
    /** Counts straight from the store, so reading them is not itself a request. */
    const counts = async (tenantId: string) => {
      await platform.usage.flush();
      const events = platform.stores.mongo.db.collection("billing_usage_events");
      const count = (metric: string) => events.countDocuments({ tenantId, "m.metric": metric });
      return { query: await count("QUERIES"), mutation: await count("MUTATIONS") };
    };
    const [aBefore, bBefore] = [await counts(a.id), await counts(b.id)];
    expect(aBefore.mutation).toBeGreaterThan(0); // A's setup
    for (let i = 0; i < 5; i++) await gql(platform.url, `{ playbooks { id } }`, {}, { token: b.token });
    for (let i = 0; i < 2; i++) {
      const made = await gql(
        platform.url,
        `mutation { createPlaybook(input: { name: "b-${i}", steps: [{ kind: ASK, config: { question: "x" } }] }) { id } }`,
        {},
        { token: b.token },
      );
      expect(made.errors).toBeUndefined();
    }
    expect(await counts(a.id)).toEqual(aBefore);
    const bAfter = await counts(b.id);
    expect(bAfter.query - bBefore.query).toBe(5);
    expect(bAfter.mutation - bBefore.mutation).toBe(2);
    const seen = await gql(platform.url, `{ usage { queries mutations } }`, {}, { token: b.token });
    const days = seen.data?.usage as Array<{ queries: number; mutations: number }>;
    expect(days.reduce((n, d) => n + d.mutations, 0)).toBe(bAfter.mutation);
  });
});

describe("tenant B never changes tenant A's data", () => {
  it("update and delete by A's ids touch nothing", async () => {
    const update = await gql(
      platform.url,
      `mutation($id: ID!) { updateOrganizations(where: { id: { eq: $id } }, update: { name: { set: "pwned" } }) { organizations { id } } }`,
      { id: ids["org"] },
      { token: b.token },
    );
    expect(update.data).toEqual({ updateOrganizations: { organizations: [] } });
    const del = await gql(
      platform.url,
      `mutation($id: ID!) { deleteDomains(where: { id: { eq: $id } }) { nodesDeleted } }`,
      { id: ids["domain"] },
      { token: b.token },
    );
    expect(del.data).toEqual({ deleteDomains: { nodesDeleted: 0 } });
    const still = await gql(platform.url, `{ organizations { name domains { name } } }`, {}, { token: a.token });
    expect(still.data).toEqual({ organizations: [{ name: "A-Corp", domains: [{ name: "a-corp.example" }] }] });
  });

  it("a nested-only update by B neither returns nor links A's nodes", async () => {
    // @neo4j/graphql 7.6 leaves the @authorization filter off the top-level node when an
    // update changes only relationships; the graph subgraph scopes `where` itself.
    const res = await gql(
      platform.url,
      `mutation { updateOrganizations(where: {}, update: { domains: [{ create: [{ node: { name: "evil.example" }, edge: { confidence: 1, source: "x" } }] }] }) {
        organizations { id name tenantId } } }`,
      {},
      { token: b.token },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ updateOrganizations: { organizations: [] } });
    const aOrgs = await gql(platform.url, `{ organizations { name updatedAt domains { name } } }`, {}, { token: a.token });
    expect(aOrgs.data).toEqual({ organizations: [{ name: "A-Corp", updatedAt: null, domains: [{ name: "a-corp.example" }] }] });
  });

  it("B cannot move its own node into A's tenant or forge timestamps", async () => {
    const res = await gql(
      platform.url,
      `mutation($t: String!) { updatePeople(where: {}, update: { tenantId: { set: $t } }) { people { id } } }`,
      { t: a.id },
      { token: b.token },
    );
    expect(codes(res)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    const forged = await gql(
      platform.url,
      `mutation { createPeople(input: [{ name: "X", createdAt: "2000-01-01T00:00:00Z" }]) { people { id } } }`,
      {},
      { token: b.token },
    );
    expect(codes(forged)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
  });

  it("B cannot connect its nodes to A's nodes", async () => {
    const res = await gql(
      platform.url,
      `mutation($org: ID!) { createPeople(input: [{ name: "Mallory", memberOf: { connect: [{ where: { node: { id: { eq: $org } } }, edge: { confidence: 1, source: "x" } }] } }]) { people { name memberOf { id } } } }`,
      { org: ids["org"] },
      { token: b.token },
    );
    // The connect matches nothing visible to B, so no edge into A's graph is made.
    expect(res.data).toEqual({ createPeople: { people: [{ name: "Mallory", memberOf: [] }] } });
    const members = await gql(platform.url, `{ organizations { members { name } } }`, {}, { token: a.token });
    expect(members.data).toEqual({ organizations: [{ members: [] }] });
  });

  it("B cannot link its own node to A's node through an update", async () => {
    const own = await gql(platform.url, `mutation { createPeople(input: [{ name: "Trudy" }]) { people { id } } }`, {}, { token: b.token });
    const trudy = own.data?.createPeople.people[0].id;
    const res = await gql(
      platform.url,
      `mutation($p: ID!, $org: ID!) { updatePeople(where: { id: { eq: $p } }, update: { memberOf: [{ connect: [{ where: { node: { id: { eq: $org } } }, edge: { confidence: 1, source: "x" } }] }] }) { people { memberOf { id } } } }`,
      { p: trudy, org: ids["org"] },
      { token: b.token },
    );
    // The connect matches nothing visible to B, so no edge is made.
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ updatePeople: { people: [{ memberOf: [] }] } });
    const members = await gql(platform.url, `{ organizations { members { name } } }`, {}, { token: a.token });
    expect(members.data).toEqual({ organizations: [{ members: [] }] });
  });

  it("B cannot create users in A's tenant", async () => {
    const res = await gql(
      platform.url,
      `mutation($t: ID!) { createUser(input: { email: "spy@b.test", password: "spy-password-123", role: "ADMIN", tenantId: $t }) { id } }`.replace(
        '"ADMIN"',
        "ADMIN",
      ),
      { t: a.id },
      { token: b.token },
    );
    expect(codes(res)).toEqual(["FORBIDDEN"]);
  });

  it("B's audit of a failed attempt is recorded in B's tenant, not A's", async () => {
    const aEvents = await gql(platform.url, `{ auditEvents(first: 100) { nodes { actor { userId } } } }`, {}, { token: a.token });
    const actors = (aEvents.data?.auditEvents.nodes as Array<{ actor: { userId: string } }>).map((e) => e.actor.userId);
    expect(actors).not.toContain(b.adminId);
  });
});
