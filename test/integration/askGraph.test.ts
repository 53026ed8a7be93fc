/**
 * askGraph through the gateway: questions in plain words compile to
 * tenant-scoped Cypher, PREVIEW runs nothing, RUN answers from the caller's
 * tenant only, weak questions wait for a confirmation, refusals write nothing,
 * and every question is audited.
 */
import { describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("askgraph");
const ASK = `query($q: String!, $mode: AskMode!, $confirm: Boolean) {
  askGraph(question: $q, mode: $mode, confirm: $confirm) {
    interpretation cypher parameters confidence reasons hints ran needsConfirmation columns rows truncated
    nodes { id label name } edges { from type to }
  }
}`;

async function ask(tenant: TestTenant, q: string, mode: "PREVIEW" | "RUN" = "RUN", confirm?: boolean) {
  return gql<{ askGraph: Record<string, any> }>(platform.url, ASK, { q, mode, confirm }, { token: tenant.token });
}

/** Acme Corp with `people` as members; the ids of the organisation and of each person by name. */
async function seedAcme(tenant: TestTenant, people: string[]) {
  const members = people.map((name) => `{ node: { name: "${name}" }, edge: { confidence: 1, source: "test" } }`).join(", ");
  const res = await gql<{ createOrganizations: { organizations: Array<{ id: string; members: Array<{ id: string; name: string }> }> } }>(
    platform.url,
    `mutation { createOrganizations(input: [{ name: "Acme Corp", members: { create: [${members}] } }]) { organizations { id members { id name } } } }`,
    {},
    { token: tenant.token },
  );
  expect(res.errors).toBeUndefined();
  const [org] = res.data!.createOrganizations.organizations;
  const person = (name: string) => org!.members.find((m) => m.name === name)?.id ?? `no person ${name}`;
  return { org: org!.id, person };
}

describe("askGraph", () => {
  it("previews the compiled, tenant-scoped Cypher without running it, then runs it for the caller's tenant only", async () => {
    const a = await platform.newTenant("ask-a");
    const b = await platform.newTenant("ask-b");
    await seedAcme(a, ["Ada Lovelace", "Bob Byte"]);
    await seedAcme(b, ["Eve Other"]);

    const preview = await ask(a, "Which people work for “Acme”?", "PREVIEW");
    expect(preview.errors).toBeUndefined();
    expect(preview.data!.askGraph).toMatchObject({ ran: false, rows: [], columns: ["n0_name"], confidence: 1 });
    expect(preview.data!.askGraph["cypher"]).toMatch(/n0.tenantId = \$tenantId AND n1.tenantId = \$tenantId/);
    expect(preview.data!.askGraph["parameters"]).toMatchObject({ tenantId: a.id, p0: "Acme" });

    expect((await ask(a, "Which people work for “Acme”?")).data!.askGraph).toMatchObject({
      ran: true,
      rows: [{ n0_name: "Ada Lovelace" }, { n0_name: "Bob Byte" }],
      truncated: false,
    });
    expect((await ask(b, "Which people work for “Acme”?")).data!.askGraph["rows"]).toEqual([{ n0_name: "Eve Other" }]);
    expect((await ask(b, "how many people")).data!.askGraph["rows"]).toEqual([{ count: 1 }]);
  });

  it("returns the nodes and edges a RUN touched, from the caller's tenant only, and none on PREVIEW", async () => {
    const a = await platform.newTenant("ask-touched-a");
    const b = await platform.newTenant("ask-touched-b");
    const acmeA = await seedAcme(a, ["Ada Lovelace", "Bob Byte"]);
    const acmeB = await seedAcme(b, ["Eve Other"]);
    const question = "Which people work for “Acme”?";

    const preview = (await ask(a, question, "PREVIEW")).data!.askGraph;
    expect(preview).toMatchObject({ ran: false, nodes: [], edges: [] });

    const ran = (await ask(a, question)).data!.askGraph;
    expect(ran["columns"]).toEqual(["n0_name"]);
    expect(ran["rows"]).toEqual([{ n0_name: "Ada Lovelace" }, { n0_name: "Bob Byte" }]);
    const byId = (x: { id: string }, y: { id: string }) => x.id.localeCompare(y.id);
    expect([...ran["nodes"]].sort(byId)).toEqual(
      [
        { id: acmeA.person("Ada Lovelace"), label: "Person", name: "Ada Lovelace" },
        { id: acmeA.person("Bob Byte"), label: "Person", name: "Bob Byte" },
        { id: acmeA.org, label: "Organization", name: "Acme Corp" },
      ].sort(byId),
    );
    const edgeKey = (e: { from: string; to: string }) => e.from + e.to;
    expect([...ran["edges"]].sort((x, y) => edgeKey(x).localeCompare(edgeKey(y)))).toEqual(
      [
        { from: acmeA.person("Ada Lovelace"), type: "MEMBER_OF", to: acmeA.org },
        { from: acmeA.person("Bob Byte"), type: "MEMBER_OF", to: acmeA.org },
      ].sort((x, y) => edgeKey(x).localeCompare(edgeKey(y))),
    );

    // The same question from tenant B touches B's Acme and member only.
    const other = (await ask(b, question)).data!.askGraph;
    expect(other["nodes"].map((n: { id: string }) => n.id).sort()).toEqual([acmeB.org, acmeB.person("Eve Other")].sort());

    // A count per organisation touches the organisations it is grouped by, not the people counted; a plain count touches none.
    const perOrg = (await ask(a, "how many people per organization")).data!.askGraph;
    expect(perOrg).toMatchObject({ rows: [{ n1_name: "Acme Corp", count: 2 }], edges: [] });
    expect(perOrg["nodes"]).toEqual([{ id: acmeA.org, label: "Organization", name: "Acme Corp" }]);
    expect((await ask(a, "how many people")).data!.askGraph).toMatchObject({ rows: [{ count: 2 }], nodes: [], edges: [] });
  });

  it("holds a weak question at a preview until it is confirmed", async () => {
    const a = await platform.newTenant("ask-weak");
    await seedAcme(a, ["Ada Lovelace"]);
    // No kind of thing named: the person is taken from the e-mail, and the assumption lowers confidence.
    const weak = await ask(a, "who is ada@example.com");
    expect(weak.data!.askGraph).toMatchObject({ ran: false, needsConfirmation: true });
    expect(weak.data!.askGraph["confidence"]).toBeLessThan(0.7);
    expect((await ask(a, "who is ada@example.com", "RUN", true)).data!.askGraph).toMatchObject({ ran: true, rows: [] });
  });

  it("holds questions to the tenant's own threshold, which only its admins set", async () => {
    const a = await platform.newTenant("ask-threshold");
    const b = await platform.newTenant("ask-threshold-b");
    await seedAcme(a, ["Ada Lovelace"]);
    const weak = await ask(a, "who is ada@example.com");
    const confidence = weak.data!.askGraph["confidence"] as number;
    expect(weak.data!.askGraph).toMatchObject({ ran: false, needsConfirmation: true });
    const set = (tenant: TestTenant, value: number) =>
      gql(
        platform.url,
        `mutation($v: Float!) { setTenantAskSettings(input: { confidenceThreshold: $v }) { confidenceThreshold updatedBy } }`,
        { v: value },
        { token: tenant.token },
      );
    expect((await set(a, confidence - 0.05)).data).toEqual({
      setTenantAskSettings: { confidenceThreshold: confidence - 0.05, updatedBy: a.adminId },
    });
    expect((await ask(a, "who is ada@example.com")).data!.askGraph).toMatchObject({ ran: true, needsConfirmation: false });
    // B's threshold is still the default.
    expect((await gql(platform.url, `{ tenantAskSettings { confidenceThreshold updatedBy } }`, {}, { token: b.token })).data).toEqual({
      tenantAskSettings: { confidenceThreshold: 0.7, updatedBy: null },
    });
    expect(codes(await set(a, 0.1))).toEqual(["BAD_USER_INPUT"]);
  });

  it("gives hints instead of a query when it cannot tell what the question is about", async () => {
    const a = await platform.newTenant("ask-vague");
    const res = await ask(a, "what happened yesterday?");
    expect(res.data!.askGraph).toMatchObject({ cypher: null, ran: false, confidence: 0 });
    expect(res.data!.askGraph["hints"][0]).toMatch(/^Name a kind of thing: person, organization/);
  });

  it("refuses writes, pasted Cypher, procedures and other tenants with QUESTION_REFUSED, changes nothing, and audits each", async () => {
    const a = await platform.newTenant("ask-refuse");
    await seedAcme(a, ["Ada Lovelace"]);
    const refused = [
      ["delete all people", "WRITE"],
      ["MATCH (n) DETACH DELETE n", "RAW_CYPHER"],
      ["call db.labels()", "PROCEDURE"],
      ["how many people in all tenants", "OTHER_TENANTS"],
    ];
    for (const [q, reason] of refused) {
      const res = await ask(a, q!);
      expect(codes(res), q).toEqual(["QUESTION_REFUSED"]);
      expect(res.errors![0]!.extensions!["reason"]).toBe(reason);
    }
    expect((await ask(a, "how many people")).data!.askGraph["rows"]).toEqual([{ count: 1 }]);
    const audit = await gql<{ auditEvents: { nodes: Array<Record<string, any>> } }>(
      platform.url,
      `{ auditEvents(filter: { action: "askGraph" }, first: 20) { nodes { outcome errorCode arguments } } }`,
      {},
      { token: a.token },
    );
    const events: Array<Record<string, any>> = audit.data!.auditEvents.nodes.map((e) => ({
      ...e,
      arguments: typeof e["arguments"] === "string" ? JSON.parse(e["arguments"]) : e["arguments"],
    }));
    expect(events.filter((e) => e["errorCode"] === "QUESTION_REFUSED")).toHaveLength(4);
    const ran = events.find((e) => e["outcome"] === "SUCCESS");
    expect(ran?.["arguments"]).toMatchObject({ question: "how many people", rows: 1 });
    expect(ran?.["arguments"]["cypherSha256"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses bad input with BAD_USER_INPUT", async () => {
    const a = await platform.newTenant("ask-bad");
    expect(codes(await ask(a, "  "))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await ask(a, "x".repeat(501)))).toEqual(["BAD_USER_INPUT"]);
  });
});
