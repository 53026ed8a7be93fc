import { beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { login, useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("golden");
let acme: TestTenant;

beforeAll(async () => {
  acme = await platform.newTenant("acme");
});

describe("tenants, users and sessions", () => {
  it("creates a tenant and an admin who can sign in and see themselves", async () => {
    const me = await gql(platform.url, `{ me { id email role tenant { id slug region plan } } }`, {}, { token: acme.token });
    expect(me.errors).toBeUndefined();
    expect(me.data).toEqual({
      me: {
        id: acme.adminId,
        email: acme.adminEmail,
        role: "ADMIN",
        tenant: { id: acme.id, slug: acme.slug, region: "eu-west-1", plan: "TEAM" },
      },
    });
  });

  it("lets a tenant admin add an analyst who can then sign in", async () => {
    const created = await gql(
      platform.url,
      `mutation($input: CreateUserInput!) { createUser(input: $input) { email role } }`,
      { input: { email: `Analyst@${acme.slug}.test`, password: "analyst-password-1", role: "ANALYST" } },
      { token: acme.token },
    );
    expect(created.data).toEqual({ createUser: { email: `analyst@${acme.slug}.test`, role: "ANALYST" } });
    const token = await login(platform.url, `analyst@${acme.slug}.test`, "analyst-password-1");
    const me = await gql(platform.url, `{ me { role } }`, {}, { token });
    expect(me.data).toEqual({ me: { role: "ANALYST" } });
  });

  it("refuses a tenant admin creating tenants (platform admins only)", async () => {
    const res = await gql(
      platform.url,
      `mutation { createTenant(input: { name: "Sneaky", region: "eu-west-1", plan: FREE }) { id } }`,
      {},
      { token: acme.token },
    );
    expect(codes(res)).toEqual(["FORBIDDEN"]);
  });

  it("rejects a wrong password and an unknown e-mail with the same UNAUTHENTICATED answer", async () => {
    const wrong = await gql(platform.url, `mutation { login(email: "${acme.adminEmail}", password: "nope-nope-nope") { token } }`);
    const unknown = await gql(platform.url, `mutation { login(email: "ghost@nowhere.test", password: "nope-nope-nope") { token } }`);
    expect(codes(wrong)).toEqual(["UNAUTHENTICATED"]);
    expect(codes(unknown)).toEqual(["UNAUTHENTICATED"]);
    expect(wrong.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
  });

  it("rejects bad user input with BAD_USER_INPUT and the failing fields", async () => {
    const res = await gql(
      platform.url,
      `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
      { input: { email: "not-an-email", password: "short", role: "VIEWER" } },
      { token: acme.token },
    );
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    const paths = (res.errors?.[0]?.extensions?.["problems"] as Array<{ path: string }>).map((p) => p.path).sort();
    expect(paths).toEqual(["email", "password"]);
  });

  it("rejects a duplicate e-mail with CONFLICT", async () => {
    const res = await gql(
      platform.url,
      `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
      { input: { email: acme.adminEmail, password: "another-password-1", role: "VIEWER" } },
      { token: acme.token },
    );
    expect(codes(res)).toEqual(["CONFLICT"]);
  });
});

describe("authentication at the gateway", () => {
  it("answers UNAUTHENTICATED to a request without a token for protected data", async () => {
    const res = await gql(platform.url, `{ people { id } }`);
    expect(codes(res)).toEqual(["UNAUTHENTICATED"]);
    expect(res.data).toBeNull();
  });

  it("answers 401 UNAUTHENTICATED to a malformed or forged bearer token", async () => {
    const malformed = await gql(platform.url, `{ me { id } }`, {}, { headers: { authorization: "Basic abc" } });
    expect(malformed.status).toBe(401);
    expect(codes(malformed)).toEqual(["UNAUTHENTICATED"]);
    const [head, body] = acme.token.split(".");
    const forged = await gql(platform.url, `{ me { id } }`, {}, { token: `${head}.${body}.c2lnbmF0dXJl` });
    expect(forged.status).toBe(401);
    expect(codes(forged)).toEqual(["UNAUTHENTICATED"]);
  });

  it("returns a request id of its own on every response, ignoring one the client sends", async () => {
    const res = await gql(platform.url, `{ me { id } }`, {}, { token: acme.token, headers: { "x-request-id": "client-chosen-0001" } });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});

describe("graph CRUD through the gateway (Neo4j)", () => {
  it("creates, reads, updates and deletes entities and typed relationships", async () => {
    const created = await gql(
      platform.url,
      `mutation {
        createOrganizations(input: [{ name: "Initech", sector: "software",
          domains: { create: [{ node: { name: "initech.example" }, edge: { confidence: 0.9, source: "whois" } }] } }]) {
          organizations { id name tenantId domains { name } }
        }
      }`,
      {},
      { token: acme.token },
    );
    expect(created.errors).toBeUndefined();
    const org = created.data?.createOrganizations.organizations[0];
    expect(org).toMatchObject({ name: "Initech", tenantId: acme.id, domains: [{ name: "initech.example" }] });

    const person = await gql(
      platform.url,
      `mutation($org: ID!) {
        createPeople(input: [{ name: "Peter Gibbons", email: "peter@initech.example",
          memberOf: { connect: [{ where: { node: { id: { eq: $org } } }, edge: { confidence: 0.7, source: "linkedin" } }] } }]) {
          people { id name memberOf { name } memberOfConnection { edges { properties { confidence source } } } }
        }
      }`,
      { org: org.id },
      { token: acme.token },
    );
    expect(person.errors).toBeUndefined();
    const peter = person.data?.createPeople.people[0];
    expect(peter).toMatchObject({
      name: "Peter Gibbons",
      memberOf: [{ name: "Initech" }],
      memberOfConnection: { edges: [{ properties: { confidence: 0.7, source: "linkedin" } }] },
    });

    const read = await gql(
      platform.url,
      `{ organizations(where: { name: { eq: "Initech" } }) { name members { name } } }`,
      {},
      { token: acme.token },
    );
    expect(read.data).toEqual({ organizations: [{ name: "Initech", members: [{ name: "Peter Gibbons" }] }] });

    const updated = await gql(
      platform.url,
      `mutation($id: ID!) { updatePeople(where: { id: { eq: $id } }, update: { email: { set: "pg@initech.example" } }) { people { email } } }`,
      { id: peter.id },
      { token: acme.token },
    );
    expect(updated.data).toEqual({ updatePeople: { people: [{ email: "pg@initech.example" }] } });

    const deleted = await gql(
      platform.url,
      `mutation($id: ID!) { deletePeople(where: { id: { eq: $id } }) { nodesDeleted relationshipsDeleted } }`,
      { id: peter.id },
      { token: acme.token },
    );
    expect(deleted.data).toEqual({ deletePeople: { nodesDeleted: 1, relationshipsDeleted: 1 } });
    const gone = await gql(
      platform.url,
      `query($id: ID!) { people(where: { id: { eq: $id } }) { id } }`,
      { id: peter.id },
      { token: acme.token },
    );
    expect(gone.data).toEqual({ people: [] });
  });

  it("ignores any tenantId the client tries to set: it is not part of the input", async () => {
    const res = await gql(
      platform.url,
      `mutation { createPeople(input: [{ name: "X", tenantId: "other" }]) { people { id } } }`,
      {},
      { token: acme.token },
    );
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
  });
});

describe("audit and usage", () => {
  it("records one audit event per mutation, success or failure, with actor and request id", async () => {
    const made = await gql(
      platform.url,
      `mutation { createIndicators(input: [{ pattern: "[domain-name:value = 'bad.example']", kind: "stix" }]) { indicators { id } } }`,
      {},
      { token: acme.token },
    );
    const requestId = made.headers.get("x-request-id");
    const indicatorId = made.data?.createIndicators.indicators[0].id;
    const events = await gql(
      platform.url,
      `query($f: AuditEventFilter) { auditEvents(filter: $f, first: 5) { nodes { action service outcome targetIds requestId actor { userId kind } tenantId } } }`,
      { f: { action: "createIndicators" } },
      { token: acme.token },
    );
    expect(events.data?.auditEvents.nodes).toEqual([
      {
        action: "createIndicators",
        service: "graph",
        outcome: "SUCCESS",
        targetIds: [indicatorId],
        requestId,
        actor: { userId: acme.adminId, kind: "user" },
        tenantId: acme.id,
      },
    ]);

    await gql(platform.url, `mutation { createPlaybook(input: { name: "", steps: [] }) { id } }`, {}, { token: acme.token });
    const failures = await gql(
      platform.url,
      `{ auditEvents(filter: { outcome: FAILURE, action: "createPlaybook" }) { nodes { action errorCode service } } }`,
      {},
      { token: acme.token },
    );
    expect(failures.data?.auditEvents.nodes).toEqual([{ action: "createPlaybook", errorCode: "BAD_USER_INPUT", service: "playbooks" }]);
  });

  it("records the login as an audit event of the user's tenant, never the password", async () => {
    await login(platform.url, acme.adminEmail, acme.adminPassword);
    const events = await gql(
      platform.url,
      `{ auditEvents(filter: { action: "login" }, first: 1) { nodes { actor { userId } arguments outcome } } }`,
      {},
      { token: acme.token },
    );
    const [event] = events.data?.auditEvents.nodes ?? [];
    expect(event).toMatchObject({ actor: { userId: acme.adminId }, outcome: "SUCCESS" });
    expect(JSON.parse(event.arguments)).toEqual({ email: acme.adminEmail, password: "[redacted]" });
  });

  it("pages through audit events with cursors, newest first, without overlap", async () => {
    const first = await gql(
      platform.url,
      `{ auditEvents(first: 2) { nodes { id at } pageInfo { hasNextPage endCursor } } }`,
      {},
      { token: acme.token },
    );
    const page1 = first.data?.auditEvents;
    expect(page1.nodes).toHaveLength(2);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await gql(
      platform.url,
      `query($after: String) { auditEvents(first: 2, after: $after) { nodes { id at } } }`,
      { after: page1.pageInfo.endCursor },
      { token: acme.token },
    );
    const ids1 = page1.nodes.map((n: { id: string }) => n.id);
    const page2 = second.data?.auditEvents.nodes as Array<{ id: string; at: string }>;
    expect(page2.length).toBeGreaterThan(0);
    expect(page2.some((n) => ids1.includes(n.id))).toBe(false);
    expect(page2[0]!.at <= page1.nodes[1].at).toBe(true);
  });

  it("rejects a cursor we did not issue", async () => {
    const res = await gql(platform.url, `{ auditEvents(after: "garbage") { nodes { id } } }`, {}, { token: acme.token });
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
  });

  it("counts queries and mutations per tenant per day", async () => {
    await platform.usage.flush();
    const before = await gql(platform.url, `{ usage { day queries mutations } }`, {}, { token: acme.token });
    const today = new Date().toISOString().slice(0, 10);
    const row = (before.data?.usage as Array<{ day: string; queries: number; mutations: number }>).find((r) => r.day === today)!;
    await gql(platform.url, `mutation { createDomains(input: [{ name: "usage.example" }]) { domains { id } } }`, {}, { token: acme.token });
    await gql(platform.url, `{ domains { id } }`, {}, { token: acme.token });
    await platform.usage.flush(); // counts are written once a second; don't wait for it
    const after = await gql(
      platform.url,
      `{ usage(from: "${today}", to: "${today}") { day queries mutations } }`,
      {},
      { token: acme.token },
    );
    // +1 mutation, +2 queries (the domains query and the first usage query itself).
    expect(after.data?.usage).toEqual([{ day: today, queries: row.queries + 2, mutations: row.mutations + 1 }]);
  });

  it("loses no count under concurrent requests (the store's $inc is not atomic)", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const read = async () => {
      await platform.usage.flush();
      const res = await gql(platform.url, `{ usage(from: "${today}", to: "${today}") { queries } }`, {}, { token: acme.token });
      return (res.data?.usage[0]?.queries as number) ?? 0;
    };
    const before = await read();
    await Promise.all(Array.from({ length: 40 }, () => gql(platform.url, `{ me { id } }`, {}, { token: acme.token })));
    // +40 concurrent queries, +1 for the first read itself.
    expect(await read()).toBe(before + 41);
  });

  it("rejects a malformed usage range", async () => {
    const res = await gql(platform.url, `{ usage(from: "2026-13-99x") { day } }`, {}, { token: acme.token });
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("playbooks and connectors", () => {
  it("creates, lists and gets a playbook", async () => {
    const created = await gql(
      platform.url,
      `mutation($input: CreatePlaybookInput!) { createPlaybook(input: $input) { id name steps { id kind config } ownerId } }`,
      {
        input: {
          name: "Triage phishing",
          steps: [
            { kind: "ASK", config: { question: "Which domains are linked to {{params.domain}}?" } },
            { kind: "WEBHOOK", config: { url: "https://hooks.example/notify" } },
          ],
        },
      },
      { token: acme.token },
    );
    const playbook = created.data?.createPlaybook;
    expect(playbook).toMatchObject({
      name: "Triage phishing",
      steps: [
        { id: "s1", kind: "ASK", config: { question: "Which domains are linked to {{params.domain}}?" } },
        { id: "s2", kind: "WEBHOOK", config: { url: "https://hooks.example/notify" } },
      ],
      ownerId: acme.adminId,
    });
    const got = await gql(
      platform.url,
      `query($id: ID!) { playbook(id: $id) { name } playbooks { id } }`,
      { id: playbook.id },
      { token: acme.token },
    );
    expect(got.data?.playbook).toEqual({ name: "Triage phishing" });
    expect(got.data?.playbooks.map((p: { id: string }) => p.id)).toContain(playbook.id);
  });

  it("rejects a malformed id with BAD_USER_INPUT naming the argument", async () => {
    const res = await gql(platform.url, `{ playbook(id: "not-a-uuid") { id } }`, {}, { token: acme.token });
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors?.[0]?.extensions?.["argument"]).toBe("id");
  });

  it("stores a connector secret encrypted and never returns it", async () => {
    const created = await gql(
      platform.url,
      `mutation($input: RegisterConnectorInput!) { registerConnector(input: $input) { id kind baseUrl secretSource secretRef } }`,
      {
        input: {
          kind: "SERVICENOW",
          name: "prod",
          baseUrl: "https://acme.service-now.example/",
          username: "svc",
          secret: "sn-password-123",
        },
      },
      { token: acme.token },
    );
    expect(created.data?.registerConnector).toMatchObject({
      kind: "SERVICENOW",
      baseUrl: "https://acme.service-now.example",
      secretSource: "ENCRYPTED",
      secretRef: null,
    });
    const stored = await platform.stores.mongo.db.collection("connectors").findOne({ _id: created.data?.registerConnector.id });
    expect(JSON.stringify(stored)).not.toContain("sn-password-123");
    expect(stored?.["secret"]).toMatchObject({ source: "ENCRYPTED", sealed: { alg: "A256GCM" } });
    const audit = await gql(
      platform.url,
      `{ auditEvents(filter: { action: "registerConnector" }) { nodes { arguments } } }`,
      {},
      { token: acme.token },
    );
    expect(audit.data?.auditEvents.nodes[0].arguments).not.toContain("sn-password-123");
  });

  it("answers a baseUrl that is not a URL with BAD_USER_INPUT, not a server error", async () => {
    const res = await gql(
      platform.url,
      `mutation { registerConnector(input: { kind: SERVICENOW, name: "x", baseUrl: "not a url", secretRef: "vault://a/b" }) { id } }`,
      {},
      { token: acme.token },
    );
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    expect((res.errors?.[0]?.extensions?.["problems"] as Array<{ path: string }>).map((p) => p.path)).toEqual(["baseUrl"]);
  });

  it("requires exactly one of secret or secretRef, and https", async () => {
    const both = await gql(
      platform.url,
      `mutation { registerConnector(input: { kind: SERVICENOW, name: "x", baseUrl: "http://evil.example", secret: "a", secretRef: "vault://a/b" }) { id } }`,
      {},
      { token: acme.token },
    );
    expect(codes(both)).toEqual(["BAD_USER_INPUT"]);
    expect((both.errors?.[0]?.extensions?.["problems"] as Array<{ path: string }>).map((p) => p.path).sort()).toEqual([
      "baseUrl",
      "secret",
    ]);
  });
});
