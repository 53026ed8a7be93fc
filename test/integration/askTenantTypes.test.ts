/**
 * askGraph speaks a tenant's approved ingest types: once A approves a mapping
 * that brings a Vessel type (and Vessel-OPERATED_BY->Organization), A's
 * questions may name vessels and their link; B, which approved nothing of the
 * kind, cannot — its question names no kind of thing it has — and never sees
 * A's vessels. A pending mapping's types are no words either.
 */
import { describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { approveMapping, createMapping, waitForJob } from "../support/ingest.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("asktypes");

const SPEC = {
  entities: [
    { as: "vessel", type: "Vessel", key: ["name"], properties: { name: "vessel", flag: "flag" } },
    { as: "org", type: "Organization", key: ["name"], properties: { name: "operator" } },
  ],
  relationships: [{ type: "OPERATED_BY", from: "vessel", to: "org" }],
};
const RECORDS = [
  { vessel: "Northern Star", flag: "Panama", operator: "Acme Corp" },
  { vessel: "Sea Breeze", flag: "Malta", operator: "Acme Corp" },
  { vessel: "Blue Heron", flag: "Panama", operator: "Globex" },
];

const ask = (tenant: TestTenant, question: string) =>
  gql<{ askGraph: Record<string, any> }>(
    platform.url,
    `query($q: String!) { askGraph(question: $q, mode: RUN, confirm: true) { cypher ran rows hints } }`,
    { q: question },
    { token: tenant.token },
  );

describe("askGraph over a tenant's approved types", () => {
  it("names approved types and links for their tenant only", async () => {
    const a = await platform.newTenant("types-a");
    const b = await platform.newTenant("types-b");
    const mappingId = await createMapping(platform.url, a.token, "vessels", "NDJSON", SPEC);
    // Pending approval: not a word yet.
    expect((await ask(a, "how many vessels")).data!.askGraph).toMatchObject({ cypher: null, ran: false });

    await approveMapping(platform.url, a.token, mappingId);
    const job = await gql<{ ingestRecords: { id: string } }>(
      platform.url,
      `mutation($input: IngestRecordsInput!) { ingestRecords(input: $input) { id } }`,
      { input: { mappingId, source: "registry", records: RECORDS } },
      { token: a.token },
    );
    expect((await waitForJob(platform.url, a.token, job.data!.ingestRecords.id)).state).toBe("SUCCEEDED");
    // The tenant's vocabulary is cached for up to 5 s.
    await expect
      .poll(async () => (await ask(a, "how many vessels")).data!.askGraph["rows"], { timeout: 10_000, interval: 500 })
      .toEqual([{ count: 3 }]);
    const operated = await ask(a, "which vessels are operated by “Acme Corp”?");
    expect(operated.data!.askGraph["cypher"]).toMatch(/\(n0:Vessel\)-\[r0:OPERATED_BY\]->\(n1:Organization\)/);
    expect(operated.data!.askGraph["rows"]).toEqual([{ n0_name: "Northern Star" }, { n0_name: "Sea Breeze" }]);

    const theirs = await ask(b, "how many vessels");
    expect(theirs.data!.askGraph).toMatchObject({ cypher: null, ran: false, rows: [] });
    expect(JSON.stringify(theirs)).not.toMatch(/Northern Star|Vessel\)/);
  });
});
