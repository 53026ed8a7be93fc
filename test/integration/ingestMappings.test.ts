/**
 * Ingest mappings through the gateway against the real stores: a tenant admin's
 * approval, mappings that cannot work, and entity resolution with undo.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import {
  approveMapping,
  createJob,
  createMapping,
  ingestFile,
  JOB_FIELDS,
  sample,
  sampleMapping,
  waitForJob,
  type Job,
} from "../support/ingest.ts";
import { graphReader, ok } from "../support/ingestGraph.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("ingestmappings", { ingest: { INGEST_BATCH_SIZE: 50 } });
const { cypher } = graphReader(platform);
let a: TestTenant;

beforeAll(async () => {
  a = await platform.newTenant("ia", "ENTERPRISE");
}, 60_000);

const VULN_SPEC = {
  entities: [
    { as: "ind", type: "Indicator", key: ["pattern"], properties: { pattern: "indicator", kind: "kind" } },
    { as: "vuln", type: "Advisory", key: ["cve"], properties: { cve: "cve", summary: "summary" } },
  ],
  relationships: [{ type: "EXPLOITS", from: "ind", to: "vuln", confidence: 0.7 }],
};

describe("mappings need a tenant admin's approval", () => {
  it("refuses an unapproved mapping with SCHEMA_NOT_APPROVED naming what is missing, until approved", async () => {
    const mappingId = await createMapping(platform.url, a.token, "vulns", "NDJSON", VULN_SPEC);
    const mapping = ok(
      await gql(
        platform.url,
        `query($id: ID!) { ingestMapping(id: $id) { state version newTypes { kind name approved } } }`,
        { id: mappingId },
        { token: a.token },
      ),
    ).ingestMapping;
    expect(mapping).toEqual({
      state: "PENDING_APPROVAL",
      version: 1,
      newTypes: [
        { kind: "ENTITY", name: "Advisory", approved: false },
        { kind: "RELATIONSHIP", name: "Indicator-EXPLOITS->Advisory", approved: false },
      ],
    });
    const refused = await createJob(platform.url, a.token, mappingId, "vulns.ndjson");
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: "SCHEMA_NOT_APPROVED",
      mappingState: "PENDING_APPROVAL",
      unapprovedTypes: [{ name: "Advisory" }, { name: "Indicator-EXPLOITS->Advisory" }],
    });
    const records = [{ indicator: "CVE-exploit-1", kind: "yara", cve: "CVE-2026-0001", summary: "demo" }];
    const batch = await gql(
      platform.url,
      `mutation($input: IngestRecordsInput!) { ingestRecords(input: $input) { id } }`,
      { input: { mappingId, source: "feed", records } },
      { token: a.token },
    );
    expect(batch.errors?.[0]?.extensions?.["code"]).toBe("SCHEMA_NOT_APPROVED");
    expect(await cypher("MATCH (v:Advisory) WHERE v.tenantId = $t RETURN v", { t: a.id })).toHaveLength(0);

    // An analyst may not override; an admin may, with a reason, and it is audited.
    const analystEmail = `analyst-${Date.now()}@${a.slug}.test`;
    ok(
      await gql(
        platform.url,
        `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
        { input: { email: analystEmail, password: "analyst-password-1", role: "ANALYST" } },
        { token: a.token },
      ),
    );
    const { login } = await import("../support/platform.ts");
    const analyst = await login(platform.url, analystEmail, "analyst-password-1");
    const notAllowed = await createJob(platform.url, analyst, mappingId, "vulns.ndjson", "urgent feed for incident 42");
    expect(notAllowed.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", requiredPermission: "ingest:approve" });
    const overridden = ok(await createJob(platform.url, a.token, mappingId, "vulns.ndjson", "urgent feed for incident 42")).createIngestJob;
    expect(overridden.approvalOverride).toEqual({ by: a.adminId, reason: "urgent feed for incident 42" });
    const audit = ok(
      await gql(
        platform.url,
        `{ auditEvents(first: 20, filter: { action: "createIngestJob" }) { nodes { action arguments targetIds } } }`,
        {},
        { token: a.token },
      ),
    ).auditEvents.nodes as Array<{ arguments: unknown; targetIds: string[] }>;
    expect(JSON.stringify(audit)).toContain("urgent feed for incident 42");

    await approveMapping(platform.url, a.token, mappingId);
    const types = ok(await gql(platform.url, `{ approvedSchemaTypes { kind name } }`, {}, { token: a.token })).approvedSchemaTypes;
    expect(types).toEqual(expect.arrayContaining([{ kind: "ENTITY", name: "Advisory" }]));
    const job = ok(
      await gql<{ ingestRecords: Job }>(
        platform.url,
        `mutation($input: IngestRecordsInput!) { ingestRecords(input: $input) { ${JOB_FIELDS} } }`,
        { input: { mappingId, source: "feed", records } },
        { token: a.token },
      ),
    ).ingestRecords;
    expect((await waitForJob(platform.url, a.token, job.id)).state).toBe("SUCCEEDED");
    const rows = await cypher<{ cve: string; source: string }>(
      "MATCH (:Indicator)-[r:EXPLOITS]->(v:Advisory) WHERE v.tenantId = $t RETURN v.cve AS cve, r.source AS source",
      { t: a.id },
    );
    expect(rows).toEqual([{ cve: "CVE-2026-0001", source: "feed" }]);

    // A changed spec is a new version: pending again, even though its types stay approved.
    const changed = { ...VULN_SPEC, relationships: [{ ...VULN_SPEC.relationships[0], confidence: 0.9 }] };
    const updated = ok(
      await gql(
        platform.url,
        `mutation($id: ID!, $spec: JSON!) { updateIngestMapping(id: $id, spec: $spec) { version state } }`,
        { id: mappingId, spec: changed },
        { token: a.token },
      ),
    ).updateIngestMapping;
    expect(updated).toEqual({ version: 2, state: "PENDING_APPROVAL" });
    const again = await createJob(platform.url, a.token, mappingId, "vulns.ndjson");
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: "SCHEMA_NOT_APPROVED", unapprovedTypes: [] });
  });

  it("refuses a mapping that cannot work with BAD_USER_INPUT and the paths to fix", async () => {
    const res = await gql(
      platform.url,
      `mutation($input: CreateIngestMappingInput!) { createIngestMapping(input: $input) { id } }`,
      {
        input: {
          name: "broken",
          format: "CSV",
          spec: {
            entities: [{ as: "p", type: "Person", key: ["email"], properties: { email: "email" } }],
            relationships: [{ type: "MEMBER_OF", from: "p", to: "org" }],
          },
        },
      },
      { token: a.token },
    );
    expect(res.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.message).toContain("no entity has alias org");
    const model = await gql(
      platform.url,
      `mutation($input: CreateIngestMappingInput!) { createIngestMapping(input: $input) { id } }`,
      {
        input: {
          name: "no-name",
          format: "CSV",
          spec: { entities: [{ as: "p", type: "Person", key: ["email"], properties: { email: "email" } }] },
        },
      },
      { token: a.token },
    );
    expect(model.errors?.[0]?.message).toContain("Person needs a name property");
    const mappings = ok(await gql(platform.url, `{ ingestMappings { name } }`, {}, { token: a.token })).ingestMappings as Array<{
      name: string;
    }>;
    expect(mappings.map((m) => m.name)).not.toContain("broken");
  });
});

describe("entity resolution", () => {
  it("records each merge with its rule, and an undone merge keeps that spelling apart from then on", async () => {
    const tenant = await platform.newTenant("er", "ENTERPRISE");
    const mappingId = await sampleMapping(platform.url, tenant.token, "people.csv");
    const first = await ingestFile(platform.url, tenant.token, mappingId, sample("people.csv"), "people.csv");
    expect(first.totals["entitiesMerged"]).toBeGreaterThan(0);
    const merges = ok(
      await gql(
        platform.url,
        `{ mergeDecisions(first: 100) { id entityId type key rawKey rule state record { jobId index } } }`,
        {},
        { token: tenant.token },
      ),
    ).mergeDecisions as Array<{
      id: string;
      entityId: string;
      type: string;
      key: string;
      rawKey: string;
      rule: string;
      record: { jobId: string };
    }>;
    expect(merges.length).toBeGreaterThan(0);
    for (const m of merges) expect(m.record.jobId).toBe(first.id);
    // A spelling that needed normalisation names the rules that made it equal.
    const normalised = merges.find((m) => m.type === "Organization" && m.rule !== "exact-key");
    expect(normalised, JSON.stringify(merges)).toBeDefined();
    expect(normalised!.rule).toMatch(/casefold|text\./);

    const undone = ok(
      await gql(
        platform.url,
        `mutation($id: ID!) { undoMerge(id: $id, reason: "different company, same name") { state undo { splitEntityId reason } } }`,
        { id: normalised!.id },
        { token: tenant.token },
      ),
    ).undoMerge;
    expect(undone.state).toBe("UNDONE");
    const splitId = undone.undo.splitEntityId as string;
    expect(splitId).not.toBe(normalised!.entityId);
    const split = await cypher<{ tenantId: string }>("MATCH (o:Organization {id: $id}) RETURN o.tenantId AS tenantId", { id: splitId });
    expect(split).toEqual([{ tenantId: tenant.id }]);

    // Re-ingest: the records with that spelling now link to the split entity, the rest to the original.
    await ingestFile(platform.url, tenant.token, mappingId, sample("people.csv"), "people.csv");
    const members = await cypher<{ n: number }>("MATCH (:Person)-[:MEMBER_OF]->(o:Organization {id: $id}) RETURN count(*) AS n", {
      id: splitId,
    });
    expect(Number(members[0]!.n)).toBeGreaterThan(0);
    const twice = await gql(
      platform.url,
      `mutation($id: ID!) { undoMerge(id: $id, reason: "again") { state } }`,
      { id: normalised!.id },
      { token: tenant.token },
    );
    expect(twice.errors?.[0]?.extensions?.["code"]).toBe("CONFLICT");
  });
});
