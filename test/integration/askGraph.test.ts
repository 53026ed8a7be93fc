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
  }
}`;

async function ask(tenant: TestTenant, q: string, mode: "PREVIEW" | "RUN" = "RUN", confirm?: boolean) {
  return gql<{ askGraph: Record<string, any> }>(platform.url, ASK, { q, mode, confirm }, { token: tenant.token });
}

async function seedAcme(tenant: TestTenant, people: string[]) {
  const members = people.map((name) => `{ node: { name: "${name}" }, edge: { confidence: 1, source: "test" } }`).join(", ");
  const res = await gql(
    platform.url,
    `mutation { createOrganizations(input: [{ name: "Acme Corp", members: { create: [${members}] } }]) { organizations { id } } }`,
    {},
    { token: tenant.token },
  );
  expect(res.errors).toBeUndefined();
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

  it("holds a weak question at a preview until it is confirmed", async () => {
    const a = await platform.newTenant("ask-weak");
    await seedAcme(a, ["Ada Lovelace"]);
    // No kind of thing named: the person is taken from the e-mail, and the assumption lowers confidence.
    const weak = await ask(a, "who is ada@example.com");
    expect(weak.data!.askGraph).toMatchObject({ ran: false, needsConfirmation: true });
    expect(weak.data!.askGraph["confidence"]).toBeLessThan(0.7);
    expect((await ask(a, "who is ada@example.com", "RUN", true)).data!.askGraph).toMatchObject({ ran: true, rows: [] });
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
