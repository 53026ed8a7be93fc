import { beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { login, useTestPlatform, type TestTenant } from "../support/platform.ts";
import { subscribe } from "../support/wsClient.ts";

const platform = useTestPlatform("policies");
let tenant: TestTenant;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  tenant = await platform.newTenant("p");
  for (const role of ["VIEWER", "ANALYST", "BILLING", "COMPLIANCE"]) {
    const email = `${role.toLowerCase()}@${tenant.slug}.test`;
    const created = await gql(
      platform.url,
      `mutation($e: String!, $r: Role!) { createUser(input: { email: $e, password: "role-password-123", role: $r }) { id } }`,
      { e: email, r: role },
      { token: tenant.token },
    );
    expect(created.errors).toBeUndefined();
    tokens[role] = await login(platform.url, email, "role-password-123");
  }
});

describe("policies enforced in every subgraph (graphql-shield, deny by default)", () => {
  it("a viewer reads the graph but cannot change it, and the refusal is audited", async () => {
    expect((await gql(platform.url, `{ people { id } }`, {}, { token: tokens["VIEWER"] })).data).toEqual({ people: [] });
    const res = await gql(
      platform.url,
      `mutation { createPeople(input: [{ name: "Nope" }]) { people { id } } }`,
      {},
      { token: tokens["VIEWER"] },
    );
    expect(codes(res)).toEqual(["FORBIDDEN"]);
    expect(res.errors?.[0]?.message).toContain("graph:write");
    const audit = await gql(
      platform.url,
      `{ auditEvents(filter: { action: "createPeople", outcome: FAILURE }) { nodes { errorCode } } }`,
      {},
      { token: tenant.token },
    );
    expect(audit.data?.auditEvents.nodes).toEqual([{ errorCode: "FORBIDDEN" }]);
    const people = await gql(platform.url, `{ people(where: { name: { eq: "Nope" } }) { id } }`, {}, { token: tenant.token });
    expect(people.data).toEqual({ people: [] });
  });

  it("each role sees what its permissions allow, and nothing else", async () => {
    const ask = async (role: string, query: string) => codes(await gql(platform.url, query, {}, { token: tokens[role] }));
    expect(await ask("ANALYST", `{ auditEvents { nodes { id } } }`)).toEqual(["FORBIDDEN"]);
    expect(await ask("COMPLIANCE", `{ auditEvents { nodes { id } } }`)).toEqual([]);
    // A subject access request is compliance work (an unknown subject is NOT_FOUND only once the policy let it through).
    const subjectExport = `mutation { exportSubjectData(input: { identifier: "nobody@example.test", destinationRegion: "eu-west-1" }) { id } }`;
    expect(await ask("COMPLIANCE", subjectExport)).toEqual(["NOT_FOUND"]);
    expect(await ask("ANALYST", subjectExport)).toEqual(["FORBIDDEN"]);
    expect(await ask("BILLING", `{ usage { day } }`)).toEqual([]);
    expect(await ask("BILLING", `{ people { id } }`)).toEqual(["FORBIDDEN"]);
    expect(await ask("ANALYST", `{ users { id } }`)).toEqual(["FORBIDDEN"]);
    expect(
      await ask("VIEWER", `mutation { createPlaybook(input: { name: "x", steps: [{ kind: ASK, config: { question: "a" } }] }) { id } }`),
    ).toEqual(["FORBIDDEN"]);
    expect(
      await ask("ANALYST", `mutation { createPlaybook(input: { name: "x", steps: [{ kind: ASK, config: { question: "a" } }] }) { id } }`),
    ).toEqual([]);
  });

  it("refuses a viewer's audit subscription up front with FORBIDDEN", async () => {
    const { sub } = await subscribe(platform.url, `subscription { auditEventRecorded { action } }`, tokens["VIEWER"]);
    try {
      const event = (await sub.next()) as { errors?: Array<{ extensions?: { code?: string } }> };
      expect(event.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    } finally {
      await sub.close();
    }
  });
});
