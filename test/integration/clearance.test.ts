/**
 * TLP markings as clearance, through the gateway: a user cleared to GREEN
 * (setUserClearance) never sees an AMBER entity through the generated
 * queries, traversals, neighbourhood (not even what lies beyond an AMBER
 * node), askGraph, report evidence, report exports or subject exports; an
 * AMBER user sees them; an API token is held to its own clearance; nobody
 * grants more than they hold; another tenant's admin cannot touch A's users.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { login, useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("clearance");

let a: TestTenant;
let b: TestTenant;
/** Tokens of A's people: the admin (RED by default), an analyst left at the default (AMBER), one set to GREEN, and a second admin set to GREEN. */
const tokens = { admin: "", amber: "", green: "", greenAdmin: "" };
const users = { amber: "", green: "", greenAdmin: "" };
const ids = { gail: "", amberAgent: "", acme: "", sam: "", shadow: "", beyond: "", greenDomain: "", amberIp: "" };

const call = <T = Record<string, any>>(token: string, query: string, variables: Record<string, unknown> = {}) =>
  gql<T>(platform.url, query, variables, { token });
async function ok<T = Record<string, any>>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await call<T>(token, query, variables);
  expect(res.errors).toBeUndefined();
  return res.data!;
}

const SET = `mutation($u: ID!, $c: TlpMarking!) { setUserClearance(userId: $u, clearance: $c) { id clearance } }`;

async function newUser(email: string, role: string): Promise<string> {
  const created = await ok(
    a.token,
    `mutation($e: String!, $r: Role!) { createUser(input: { email: $e, password: "clearance-password-1", role: $r }) { id } }`,
    {
      e: email,
      r: role,
    },
  );
  return created["createUser"].id;
}

beforeAll(async () => {
  a = await platform.newTenant("clra", "ENTERPRISE");
  b = await platform.newTenant("clrb", "ENTERPRISE");
  tokens.admin = a.token;
  const stamp = Date.now();
  users.amber = await newUser(`amber-${stamp}@clearance.test`, "ANALYST");
  users.green = await newUser(`green-${stamp}@clearance.test`, "ANALYST");
  users.greenAdmin = await newUser(`green-admin-${stamp}@clearance.test`, "ADMIN");
  await ok(a.token, SET, { u: users.green, c: "GREEN" });
  await ok(a.token, SET, { u: users.greenAdmin, c: "GREEN" });
  // The clearance travels in the session: set before these sign in.
  tokens.amber = await login(platform.url, `amber-${stamp}@clearance.test`, "clearance-password-1");
  tokens.green = await login(platform.url, `green-${stamp}@clearance.test`, "clearance-password-1");
  tokens.greenAdmin = await login(platform.url, `green-admin-${stamp}@clearance.test`, "clearance-password-1");

  // Acme (GREEN) has Gail (GREEN) and Amber Agent (AMBER); its domain (GREEN) resolves to an AMBER address.
  // Shadow (AMBER) links Sam (GREEN) to beyond.example (GREEN): reachable from Sam only through Shadow.
  const e = `edge: { confidence: 0.9, source: "clr" }`;
  const seeded = await ok(
    a.token,
    `mutation { createOrganizations(input: [
      { name: "Acme", source: "clr",
        members: { create: [{ node: { name: "Gail Green" }, ${e} }, { node: { name: "Amber Agent", marking: AMBER }, ${e} }] },
        domains: { create: [{ node: { name: "green.example", resolvesTo: { create: [{ node: { address: "192.0.2.50", marking: AMBER }, ${e} }] } }, ${e} }] } },
      { name: "Shadow", source: "clr", marking: AMBER,
        members: { create: [{ node: { name: "Sam Start" }, ${e} }] }, domains: { create: [{ node: { name: "beyond.example" }, ${e} }] } }
    ]) { organizations { id name members { id name } domains { id resolvesTo { id } } } } }`,
  );
  const [acme, shadow] = seeded["createOrganizations"].organizations;
  const member = (org: any, name: string) => org.members.find((m: { name: string }) => m.name === name).id;
  Object.assign(ids, {
    acme: acme.id,
    gail: member(acme, "Gail Green"),
    amberAgent: member(acme, "Amber Agent"),
    greenDomain: acme.domains[0].id,
    amberIp: acme.domains[0].resolvesTo[0].id,
    shadow: shadow.id,
    sam: member(shadow, "Sam Start"),
    beyond: shadow.domains[0].id,
  });
}, 120_000);

describe("clearance in governance", () => {
  it("shows each user's clearance: the role default, or what an admin set", async () => {
    expect((await ok(tokens.admin, `{ me { clearance } }`))["me"]).toEqual({ clearance: "RED" });
    expect((await ok(tokens.amber, `{ me { clearance } }`))["me"]).toEqual({ clearance: "AMBER" });
    expect((await ok(tokens.green, `{ me { clearance } }`))["me"]).toEqual({ clearance: "GREEN" });
    const list = (await ok(tokens.admin, `{ users { id clearance } }`))["users"] as Array<{ id: string; clearance: string }>;
    expect(list.find((u) => u.id === users.greenAdmin)?.clearance).toBe("GREEN");
  });

  it("refuses raising anyone above the admin's own clearance (FORBIDDEN), and a marking that does not exist (BAD_USER_INPUT)", async () => {
    const above = await call(tokens.greenAdmin, SET, { u: users.amber, c: "AMBER" });
    expect(codes(above)).toEqual(["FORBIDDEN"]);
    expect(codes(await call(tokens.admin, SET, { u: users.amber, c: "PURPLE" }))).toEqual(["BAD_USER_INPUT"]);
    // Lowering is within their own clearance: allowed, and audited with the user as target.
    const lowered = await ok(tokens.greenAdmin, SET, { u: users.greenAdmin, c: "CLEAR" });
    expect(lowered["setUserClearance"]).toEqual({ id: users.greenAdmin, clearance: "CLEAR" });
    await ok(tokens.admin, SET, { u: users.greenAdmin, c: "GREEN" });
    const events = await ok(tokens.admin, `{ auditEvents(filter: { action: "setUserClearance" }) { nodes { targetIds outcome } } }`);
    expect(events["auditEvents"].nodes).toContainEqual({ targetIds: [users.greenAdmin], outcome: "SUCCESS" });
    expect(events["auditEvents"].nodes).toContainEqual({ targetIds: [users.amber], outcome: "FAILURE" });
  });

  it("applies a changed clearance from the next refresh: the session carries it until then", async () => {
    const email = `refresh-${Date.now()}@clearance.test`;
    const id = await newUser(email, "VIEWER");
    const LOGIN = `mutation($e: String!) { login(email: $e, password: "clearance-password-1") { token refreshToken } }`;
    const signedIn = (await ok("", LOGIN, { e: email }))["login"];
    await ok(tokens.admin, SET, { u: id, c: "CLEAR" });
    expect((await ok(signedIn.token, `{ me { clearance } }`))["me"]).toEqual({ clearance: "CLEAR" });
    expect((await ok(signedIn.token, `{ people { name } }`))["people"]).toHaveLength(3);
    const REFRESH = `mutation($r: String!) { refreshSession(refreshToken: $r) { token user { clearance } } }`;
    const refreshed = (await ok("", REFRESH, { r: signedIn.refreshToken }))["refreshSession"];
    expect(refreshed.user).toEqual({ clearance: "CLEAR" });
    expect((await ok(refreshed.token, `{ people { name } }`))["people"]).toEqual([]);
  });

  it("keeps another tenant's admin away from A's users (NOT_FOUND)", async () => {
    expect(codes(await call(b.token, SET, { u: users.amber, c: "GREEN" }))).toEqual(["NOT_FOUND"]);
    expect((await ok(tokens.amber, `{ me { clearance } }`))["me"]).toEqual({ clearance: "AMBER" });
  });
});

describe("a GREEN user never sees AMBER entities; an AMBER user does", () => {
  it("through the generated queries and traversals", async () => {
    const people = async (token: string) =>
      ((await ok(token, `{ people { name } }`))["people"] as Array<{ name: string }>).map((p) => p.name).sort();
    expect(await people(tokens.green)).toEqual(["Gail Green", "Sam Start"]);
    expect(await people(tokens.amber)).toEqual(["Amber Agent", "Gail Green", "Sam Start"]);
    const domains = `{ domains(where: { name: { eq: "green.example" } }) { name resolvesTo { address } } }`;
    expect((await ok(tokens.green, domains))["domains"]).toEqual([{ name: "green.example", resolvesTo: [] }]);
    expect((await ok(tokens.amber, domains))["domains"]).toEqual([{ name: "green.example", resolvesTo: [{ address: "192.0.2.50" }] }]);
    expect((await ok(tokens.green, `{ organizations { name } }`))["organizations"]).toEqual([{ name: "Acme" }]);
  });

  it("through neighbourhood: no AMBER node, and nothing reached only through one", async () => {
    const Q = `query($id: ID!) { neighbourhood(id: $id, hops: 2) { nodes { id hops } edges { from to } } }`;
    const green = (await ok(tokens.green, Q, { id: ids.sam }))["neighbourhood"];
    expect(green).toEqual({ nodes: [{ id: ids.sam, hops: 0 }], edges: [] });
    const amber = (await ok(tokens.amber, Q, { id: ids.sam }))["neighbourhood"];
    expect(amber.nodes).toEqual([
      { id: ids.sam, hops: 0 },
      { id: ids.shadow, hops: 1 },
      { id: ids.beyond, hops: 2 },
    ]);
    const fromGail = (await ok(tokens.green, Q, { id: ids.gail }))["neighbourhood"].nodes.map((n: { id: string }) => n.id);
    expect(fromGail.sort()).toEqual([ids.gail, ids.acme, ids.greenDomain].sort());
    // An AMBER start is as unknown to a GREEN user as another tenant's.
    expect(codes(await call(tokens.green, Q, { id: ids.amberAgent }))).toEqual(["NOT_FOUND"]);
  });

  it("through askGraph answers and their touched nodes", async () => {
    const Q = `query($q: String!) { askGraph(question: $q, mode: RUN, confirm: true) { ran rows nodes { id } } }`;
    const green = (await ok(tokens.green, Q, { q: "Which people work for “Acme”?" }))["askGraph"];
    const amber = (await ok(tokens.amber, Q, { q: "Which people work for “Acme”?" }))["askGraph"];
    expect(green.ran).toBe(true);
    expect(JSON.stringify(green.rows)).toContain("Gail Green");
    expect(JSON.stringify(green.rows)).not.toContain("Amber Agent");
    expect(green.nodes.map((n: { id: string }) => n.id)).not.toContain(ids.amberAgent);
    expect(JSON.stringify(amber.rows)).toContain("Amber Agent");
    const count = async (token: string) => (await ok(token, Q, { q: "How many people are there?" }))["askGraph"].rows;
    expect(await count(tokens.green)).toEqual([{ count: 2 }]);
    expect(await count(tokens.amber)).toEqual([{ count: 3 }]);
  });

  it("through API tokens: one created GREEN by an AMBER user is held to GREEN; more than the creator's is refused", async () => {
    const created = await ok(
      tokens.amber,
      `mutation { createApiToken(input: { name: "green feed", scopes: ["graph:read"], clearance: GREEN }) { token apiToken { clearance } } }`,
    );
    expect(created["createApiToken"].apiToken).toEqual({ clearance: "GREEN" });
    const viaToken = await ok(created["createApiToken"].token, `{ people { name } }`);
    expect((viaToken["people"] as Array<{ name: string }>).map((p) => p.name).sort()).toEqual(["Gail Green", "Sam Start"]);
    const above = await call(
      tokens.amber,
      `mutation { createApiToken(input: { name: "too much", scopes: ["graph:read"], clearance: RED }) { token } }`,
    );
    expect(codes(above)).toEqual(["BAD_USER_INPUT"]);
    expect(above.errors?.[0]?.extensions?.["problems"]).toEqual([
      { path: "input.clearance", message: "at most your own clearance (AMBER)" },
    ]);
  });

  it("refuses creating an entity above one's own clearance", async () => {
    const res = await call(tokens.amber, `mutation { createPeople(input: [{ name: "Red Rita", marking: RED }]) { people { id } } }`);
    expect(codes(res)).toEqual(["FORBIDDEN"]);
    expect((await ok(tokens.admin, `{ people(where: { name: { eq: "Red Rita" } }) { id } }`))["people"]).toEqual([]);
  });
});

describe("reports and exports", () => {
  let reportId = "";
  const REPORT = `query($id: ID!) { report(id: $id) { findings { evidence { kind ref label note restricted } } } }`;

  beforeAll(async () => {
    const created = await ok(a.token, `mutation($input: CreateReportInput!) { createReport(input: $input) { id } }`, {
      input: {
        title: "Acme people",
        sections: [{ title: "Summary", body: "Who works at Acme." }],
        findings: [
          {
            title: "Staff",
            body: "Two people.",
            evidence: [
              { kind: "ENTITY", ref: ids.gail, note: "green note" },
              { kind: "ENTITY", ref: ids.amberAgent, note: "amber note" },
            ],
          },
        ],
      },
    });
    reportId = created["createReport"].id;
    await ok(a.token, `mutation($id: ID!) { publishReport(input: { reportId: $id }) { version } }`, { id: reportId });
  }, 60_000);

  it("shows evidence citing an AMBER entity redacted to a GREEN reader, in full to an AMBER one", async () => {
    const green = (await ok(tokens.green, REPORT, { id: reportId }))["report"].findings[0].evidence;
    expect(green).toEqual([
      { kind: "ENTITY", ref: ids.gail, label: "Person Gail Green", note: "green note", restricted: false },
      { kind: "ENTITY", ref: null, label: "Evidence above your clearance", note: null, restricted: true },
    ]);
    const amber = (await ok(tokens.amber, REPORT, { id: reportId }))["report"].findings[0].evidence;
    expect(amber[1]).toEqual({ kind: "ENTITY", ref: ids.amberAgent, label: "Person Amber Agent", note: "amber note", restricted: false });
    // A snapshot that showed Amber Agent is the AMBER capturer's, not the GREEN reader's.
    const snap = await ok(
      tokens.amber,
      `mutation { captureQuerySnapshot(question: "Which people work for “Acme”?", confirm: true) { id rows } }`,
    );
    const snapId = snap["captureQuerySnapshot"].id;
    expect(JSON.stringify(snap["captureQuerySnapshot"].rows)).toContain("Amber Agent");
    expect((await ok(tokens.green, `query($id: ID!) { querySnapshot(id: $id) { id } }`, { id: snapId }))["querySnapshot"]).toBeNull();
    expect((await ok(tokens.amber, `query($id: ID!) { querySnapshot(id: $id) { id } }`, { id: snapId }))["querySnapshot"]).toEqual({
      id: snapId,
    });
    // The picker does not offer it either.
    const picked = await ok(tokens.green, `{ citableItems(search: "agent", kinds: [ENTITY]) { ref } }`);
    expect(picked["citableItems"]).toEqual([]);
  });

  it("leaves AMBER evidence out of a GREEN user's export, which is marked TLP:GREEN; an AMBER user's is TLP:AMBER", async () => {
    const EXPORT = `mutation($id: ID!) { exportReport(input: { reportId: $id, format: MARKDOWN, destinationRegion: "eu-west-1" }) {
      marking download { url } } }`;
    const text = async (token: string) => {
      const exp = (await ok(token, EXPORT, { id: reportId }))["exportReport"];
      const file = await fetch(new URL(exp.download.url, new URL(platform.url).origin));
      expect(file.status).toBe(200);
      return { marking: exp.marking, md: await file.text() };
    };
    const green = await text(tokens.greenAdmin);
    expect(green.marking).toBe("GREEN");
    expect(green.md).toContain("**TLP:GREEN · 1 piece of evidence above the exporter's clearance left out**");
    expect(green.md).toContain("Gail Green");
    expect(green.md).not.toContain("Amber Agent");
    expect(green.md).not.toContain("amber note");
    const amber = await text(tokens.admin);
    expect(amber.marking).toBe("AMBER");
    expect(amber.md).toContain("**TLP:AMBER**");
    expect(amber.md).toContain("Amber Agent");
  });

  it("leaves AMBER entities out of a GREEN requester's subject export", async () => {
    const EXPORT = `mutation { exportSubjectData(input: { identifier: "Acme", hops: 1, destinationRegion: "eu-west-1" }) {
      counts { subjects entities relationships } files { name content } } }`;
    const green = (await ok(tokens.greenAdmin, EXPORT))["exportSubjectData"];
    const all = JSON.stringify(green.files);
    expect(all).toContain("Gail Green");
    expect(all).not.toContain("Amber Agent");
    expect(all).not.toContain("192.0.2.50");
    // Acme, Gail and the domain: not Amber Agent.
    expect(green.counts).toMatchObject({ subjects: 1, entities: 3, relationships: 2 });
    const red = (await ok(tokens.admin, EXPORT))["exportSubjectData"];
    expect(JSON.stringify(red.files)).toContain("Amber Agent");
    expect(red.counts).toMatchObject({ subjects: 1, entities: 4, relationships: 3 });
    // Shadow is AMBER: no subject at all for a GREEN requester.
    const shadow = await call(
      tokens.greenAdmin,
      `mutation { exportSubjectData(input: { identifier: "Shadow", destinationRegion: "eu-west-1" }) { id } }`,
    );
    expect(codes(shadow)).toEqual(["NOT_FOUND"]);
  });
});

describe("deleting and restoring", () => {
  it("deletes, lists and restores only what the caller's clearance covers", async () => {
    const DELETE = `mutation($ids: [ID!]) { deleteEntities(input: { selector: { ids: $ids }, reason: "clearance test" }) { deleted } }`;
    const RESTORE = `mutation($ids: [ID!]!) { restoreEntities(ids: $ids) { restored } }`;
    const deletedIds = async (token: string) =>
      ((await ok(token, `{ deletedEntities { id } }`))["deletedEntities"] as Array<{ id: string }>).map((d) => d.id);
    expect(codes(await call(tokens.green, DELETE, { ids: [ids.amberAgent] }))).toEqual(["NOT_FOUND"]);
    expect(
      (await ok(tokens.amber, `query($id: ID!) { people(where: { id: { eq: $id } }) { id } }`, { id: ids.amberAgent }))["people"],
    ).toHaveLength(1);
    expect((await ok(tokens.amber, DELETE, { ids: [ids.amberAgent] }))["deleteEntities"]).toEqual({ deleted: 1 });
    expect(await deletedIds(tokens.amber)).toContain(ids.amberAgent);
    expect(await deletedIds(tokens.green)).not.toContain(ids.amberAgent);
    expect(codes(await call(tokens.green, RESTORE, { ids: [ids.amberAgent] }))).toEqual(["NOT_FOUND"]);
    expect((await ok(tokens.amber, RESTORE, { ids: [ids.amberAgent] }))["restoreEntities"]).toEqual({ restored: 1 });
  });
});
