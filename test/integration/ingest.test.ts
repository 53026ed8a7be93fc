/**
 * Ingest through the gateway against the real stores: every source format
 * with the golden packs (exact counts in Neo4j and the dead-letter store),
 * approvals, entity resolution and undo, dead letters and replay, re-ingest
 * without duplicates, cancel, isolation between tenants, and live progress.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordRefusedError, writeBatch } from "@intelgraph/subgraph-graph";
import { gql } from "../support/graphqlClient.ts";
import {
  approveMapping,
  createJob,
  createMapping,
  EXPECTED,
  ingestFile,
  JOB_FIELDS,
  sample,
  sampleMapping,
  upload,
  waitForJob,
  type Job,
} from "../support/ingest.ts";
import { startTestPlatform, type TestPlatform, type TestTenant } from "../support/platform.ts";
import { subscribe } from "../support/wsClient.ts";

let platform: TestPlatform;
let a: TestTenant;
let b: TestTenant;

async function cypher<T = Record<string, unknown>>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const session = platform.stores.driver.session();
  try {
    const result = await session.run(query, params);
    return result.records.map((r) => r.toObject() as T);
  } finally {
    await session.close();
  }
}

/** Entities per label and relationships per type of one tenant, straight from Neo4j. */
async function graphCounts(tenantId: string) {
  const nodes = await cypher<{ label: string; n: number }>(
    "MATCH (n) WHERE n.tenantId = $tenantId RETURN labels(n)[0] AS label, count(*) AS n",
    { tenantId },
  );
  const rels = await cypher<{ type: string; n: number }>(
    "MATCH (a)-[r]->(b) WHERE a.tenantId = $tenantId RETURN type(r) AS type, count(*) AS n",
    { tenantId },
  );
  return {
    entities: Object.fromEntries(nodes.map((r) => [r.label, Number(r.n)])),
    relationships: Object.fromEntries(rels.map((r) => [r.type, Number(r.n)])),
  };
}

const ok = (res: { data?: any; errors?: unknown[] | undefined }): any => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data;
};

beforeAll(async () => {
  platform = await startTestPlatform("ingest", { ingest: { INGEST_BATCH_SIZE: 50 } });
  a = await platform.newTenant("ia", "ENTERPRISE");
  b = await platform.newTenant("ib", "ENTERPRISE");
}, 60_000);

afterAll(async () => {
  await platform?.stopAndDrop();
});

describe("each source format lands exactly what the golden pack says", () => {
  it.each(Object.keys(EXPECTED))("%s", async (pack) => {
    const expected = EXPECTED[pack]!;
    const tenant = await platform.newTenant(`f${pack.slice(0, 4)}`, "ENTERPRISE");
    const mappingId = await sampleMapping(platform.url, tenant.token, pack);
    const job = await ingestFile(platform.url, tenant.token, mappingId, sample(pack), pack);
    expect(job.state, JSON.stringify(job)).toBe("SUCCEEDED");
    expect(job.totals).toMatchObject({
      recordsRead: expected.recordsRead,
      recordsWritten: expected.recordsWritten,
      deadLettered: expected.deadLettered,
      skipped: expected.skipped,
    });
    // Nothing lost: every record read is written, dead-lettered or skipped.
    expect(job.totals["recordsWritten"]! + job.totals["deadLettered"]! + job.totals["skipped"]!).toBe(job.totals["recordsRead"]);
    expect(job.progress["fraction"]).toBe(1);
    expect(await graphCounts(tenant.id)).toEqual({ entities: expected.entities, relationships: expected.relationships });
    const letters = ok(
      await gql<{ deadLetters: { totalCount: number; nodes: Array<{ code: string; reason: string; raw: string }> } }>(
        platform.url,
        `query($id: ID!) { deadLetters(jobId: $id) { totalCount nodes { code reason raw recordIndex } } }`,
        { id: job.id },
        { token: tenant.token },
      ),
    ).deadLetters;
    expect(letters.totalCount).toBe(expected.deadLettered);
    for (const letter of letters.nodes) expect(letter.reason.length).toBeGreaterThan(5);
  });
});

const VULN_SPEC = {
  entities: [
    { as: "ind", type: "Indicator", key: ["pattern"], properties: { pattern: "indicator", kind: "kind" } },
    { as: "vuln", type: "Vulnerability", key: ["cve"], properties: { cve: "cve", summary: "summary" } },
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
        { kind: "ENTITY", name: "Vulnerability", approved: false },
        { kind: "RELATIONSHIP", name: "Indicator-EXPLOITS->Vulnerability", approved: false },
      ],
    });
    const refused = await createJob(platform.url, a.token, mappingId, "vulns.ndjson");
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: "SCHEMA_NOT_APPROVED",
      mappingState: "PENDING_APPROVAL",
      unapprovedTypes: [{ name: "Vulnerability" }, { name: "Indicator-EXPLOITS->Vulnerability" }],
    });
    const records = [{ indicator: "CVE-exploit-1", kind: "yara", cve: "CVE-2026-0001", summary: "demo" }];
    const batch = await gql(
      platform.url,
      `mutation($input: IngestRecordsInput!) { ingestRecords(input: $input) { id } }`,
      { input: { mappingId, source: "feed", records } },
      { token: a.token },
    );
    expect(batch.errors?.[0]?.extensions?.["code"]).toBe("SCHEMA_NOT_APPROVED");
    expect(await cypher("MATCH (v:Vulnerability) WHERE v.tenantId = $t RETURN v", { t: a.id })).toHaveLength(0);

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
    expect(types).toEqual(expect.arrayContaining([{ kind: "ENTITY", name: "Vulnerability" }]));
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
      "MATCH (:Indicator)-[r:EXPLOITS]->(v:Vulnerability) WHERE v.tenantId = $t RETURN v.cve AS cve, r.source AS source",
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

describe("dead letters and re-ingest", () => {
  it("lands the good records, keeps the bad ones with reasons, and replays fixed ones idempotently", async () => {
    const tenant = await platform.newTenant("dlq", "ENTERPRISE");
    const mappingId = await sampleMapping(platform.url, tenant.token, "threat-feed.ndjson");
    const job = await ingestFile(platform.url, tenant.token, mappingId, sample("threat-feed.ndjson"), "threat-feed.ndjson");
    const before = await graphCounts(tenant.id);
    const list = async () =>
      ok(
        await gql(
          platform.url,
          `query($id: ID!) { deadLetters(jobId: $id) { totalCount nodes { id code reason raw state line } } }`,
          { id: job.id },
          { token: tenant.token },
        ),
      ).deadLetters as {
        totalCount: number;
        nodes: Array<{ id: string; code: string; reason: string; raw: string; state: string; line: number }>;
      };
    const letters = await list();
    expect(letters.totalCount).toBe(2);
    const parseError = letters.nodes.find((l) => l.code === "PARSE_ERROR")!;
    expect(parseError.line).toBeGreaterThan(0);
    const fixed = JSON.stringify({ pattern: "fixed-from-dlq", kind: "domain", domain: "fixed.example", ip: "198.51.100.77" });
    ok(
      await gql(
        platform.url,
        `mutation($id: ID!, $raw: String!) { editDeadLetter(id: $id, raw: $raw) { id } }`,
        { id: parseError.id, raw: fixed },
        { token: tenant.token },
      ),
    );

    const replay = async () =>
      ok(
        await gql(
          platform.url,
          `mutation($id: ID!) { replayDeadLetters(jobId: $id) { replayed stillFailing deadLetters { state reason } } }`,
          { id: job.id },
          { token: tenant.token },
        ),
      ).replayDeadLetters as { replayed: number; stillFailing: number };
    expect(await replay()).toMatchObject({ replayed: 1, stillFailing: 1 });
    const after = await graphCounts(tenant.id);
    expect(after.entities["Indicator"]).toBe(before.entities["Indicator"]! + 1);
    expect(await cypher("MATCH (i:Indicator {pattern: 'fixed-from-dlq'}) WHERE i.tenantId = $t RETURN i", { t: tenant.id })).toHaveLength(
      1,
    );
    // Again: nothing more to replay, nothing doubled.
    expect(await replay()).toMatchObject({ replayed: 0, stillFailing: 1 });
    expect(await graphCounts(tenant.id)).toEqual(after);
    const edited = await gql(
      platform.url,
      `mutation($id: ID!) { editDeadLetter(id: $id, raw: "{}") { id } }`,
      { id: parseError.id },
      { token: tenant.token },
    );
    expect(edited.errors?.[0]?.extensions?.["code"]).toBe("CONFLICT");
    expect((await list()).nodes.map((l) => l.state).sort()).toEqual(["OPEN", "REPLAYED"]);

    // The same file again: same totals, not one more node or relationship.
    const second = await ingestFile(platform.url, tenant.token, mappingId, sample("threat-feed.ndjson"), "threat-feed.ndjson");
    expect(second.totals["recordsWritten"]).toBe(job.totals["recordsWritten"]);
    expect(await graphCounts(tenant.id)).toEqual(after);
    const sources = await cypher<{ jobs: string[] }>(
      "MATCH (i:Indicator) WHERE i.tenantId = $t AND i.pattern <> 'fixed-from-dlq' RETURN i.ingestJobIds AS jobs LIMIT 1",
      { t: tenant.id },
    );
    expect(sources[0]!.jobs).toEqual([job.id, second.id]);
  });
});

/** `lines` NDJSON events with unique indicators over 100 shared domains. */
const feed = (lines: number) =>
  Buffer.from(
    Array.from({ length: lines }, (_, i) =>
      JSON.stringify({ pattern: `ind-${i}`, kind: "domain", domain: `d${i % 100}.example`, ip: "" }),
    ).join("\n"),
  );

describe("cancel", () => {
  it("ends a queued job at once and a running one at its next batch", async () => {
    const mappingId = await sampleMapping(platform.url, a.token, "threat-feed.ndjson", "cancel-feed");
    const queued = ok(await createJob(platform.url, a.token, mappingId, "never-uploaded.ndjson")).createIngestJob;
    const cancelled = ok(
      await gql(platform.url, `mutation($id: ID!) { cancelIngestJob(id: $id) { state } }`, { id: queued.id }, { token: a.token }),
    ).cancelIngestJob;
    expect(cancelled.state).toBe("CANCELLED");
    expect((await upload(platform.url, queued.upload!.path, "{}")).status).toBe(409);
    const again = await gql(
      platform.url,
      `mutation($id: ID!) { cancelIngestJob(id: $id) { state } }`,
      { id: queued.id },
      { token: a.token },
    );
    expect(again.errors?.[0]?.extensions?.["code"]).toBe("CONFLICT");

    const running = ok(await createJob(platform.url, a.token, mappingId, "big.ndjson")).createIngestJob;
    expect((await upload(platform.url, running.upload!.path, feed(30_000))).status).toBe(200);
    await waitForJob(platform.url, a.token, running.id, (j) => j.state === "RUNNING" && Number(j.progress["recordsDone"]) > 0);
    ok(await gql(platform.url, `mutation($id: ID!) { cancelIngestJob(id: $id) { id } }`, { id: running.id }, { token: a.token }));
    const ended = await waitForJob(platform.url, a.token, running.id);
    expect(ended.state).toBe("CANCELLED");
    expect(Number(ended.progress["recordsDone"])).toBeLessThan(30_000);
  });
});

describe("isolation and progress", () => {
  it("tenant B's ingest of the same file never touches tenant A's nodes, and B cannot see A's jobs", async () => {
    const mappingA = await sampleMapping(platform.url, a.token, "threat-feed.ndjson", "iso-feed");
    const jobA = await ingestFile(platform.url, a.token, mappingA, sample("threat-feed.ndjson"), "feed");
    const aBefore = await graphCounts(a.id);
    const mappingB = await sampleMapping(platform.url, b.token, "threat-feed.ndjson", "iso-feed");
    await ingestFile(platform.url, b.token, mappingB, sample("threat-feed.ndjson"), "feed");
    expect(await graphCounts(a.id)).toEqual(aBefore);
    const shared = await cypher(
      "MATCH (n:Indicator) WHERE n.tenantId = $b AND n.ingestJobIds IS NOT NULL AND $jobA IN n.ingestJobIds RETURN n",
      {
        b: b.id,
        jobA: jobA.id,
      },
    );
    expect(shared).toHaveLength(0);
    const seen = ok(await gql(platform.url, `query($id: ID!) { ingestJob(id: $id) { id } }`, { id: jobA.id }, { token: b.token }));
    expect(seen.ingestJob).toBeNull();
    for (const mutation of [
      `cancelIngestJob(id: $id) { id }`,
      `retryIngestJob(id: $id) { id }`,
      `replayDeadLetters(jobId: $id) { replayed }`,
    ]) {
      const res = await gql(platform.url, `mutation($id: ID!) { ${mutation} }`, { id: jobA.id }, { token: b.token });
      expect(res.errors?.[0]?.extensions?.["code"], mutation).toBe("NOT_FOUND");
    }
    const letters = await gql(
      platform.url,
      `query($id: ID!) { deadLetters(jobId: $id) { totalCount } }`,
      { id: jobA.id },
      { token: b.token },
    );
    expect(letters.errors?.[0]?.extensions?.["code"]).toBe("NOT_FOUND");
  });

  it("the graph writer refuses a record that carries another tenant's node id and rolls the batch back", async () => {
    const entity = (id: string, name: string) => ({ type: "Domain", id, erKey: name, rawKey: name, keyRules: [], props: { name } });
    const record = (hash: string, ...entities: ReturnType<typeof entity>[]) => ({
      index: 0,
      mapped: { recordHash: hash, entities, edges: [] },
    });
    const target = { id: `a-own-${Date.now()}`, name: "a-own.example" };
    const ctxA = { tenantId: a.id, jobId: "a-job", source: "a", seenAt: new Date().toISOString() };
    await writeBatch(platform.stores.driver, "neo4j", ctxA, [record("a", entity(target.id, target.name)) as never]);
    const ctx = { tenantId: b.id, jobId: "forged-job", source: "forged", seenAt: new Date().toISOString() };
    const forged = record("forged", entity(`b-own-${Date.now()}`, "b-own.example"), entity(target.id, "hijacked.example"));
    await expect(writeBatch(platform.stores.driver, "neo4j", ctx, [forged as never])).rejects.toBeInstanceOf(RecordRefusedError);
    const [after] = await cypher<{ name: string; jobs: string[] }>(
      "MATCH (n:Domain {id: $id}) RETURN n.name AS name, n.ingestJobIds AS jobs",
      {
        id: target.id,
      },
    );
    expect(after).toEqual({ name: target.name, jobs: expect.not.arrayContaining(["forged-job"]) });
    // Nothing of the batch landed, not even B's own node.
    expect(await cypher("MATCH (n:Domain) WHERE n.name = 'b-own.example' RETURN n")).toHaveLength(0);
  });

  it("refuses a forged or reused upload link", async () => {
    const mappingId = await sampleMapping(platform.url, a.token, "people.csv", "links");
    const job = ok(await createJob(platform.url, a.token, mappingId, "people.csv")).createIngestJob;
    const path = job.upload!.path;
    const forged = path.slice(0, -3) + (path.endsWith("AAA") ? "BBB" : "AAA");
    const bad = await upload(platform.url, forged, "x");
    expect(bad).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
    expect((await upload(platform.url, path, readFileSync(sample("people.csv")))).status).toBe(200);
    expect((await upload(platform.url, path, "again")).body).toMatchObject({ error: { code: "CONFLICT" } });
    await waitForJob(platform.url, a.token, job.id);
  });

  it("streams ingestProgress through the gateway from upload to the end; other tenants get NOT_FOUND", async () => {
    const mappingId = await sampleMapping(platform.url, a.token, "threat-feed.ndjson", "progress-feed");
    const job = ok(await createJob(platform.url, a.token, mappingId, "progress.ndjson")).createIngestJob;
    const query = `subscription { ingestProgress(jobId: "${job.id}") { state progress { recordsDone fraction ratePerSecond etaSeconds } totals { recordsRead deadLettered } } }`;
    const { sub } = await subscribe<{
      data?: { ingestProgress: { state: string; progress: Record<string, number>; totals: Record<string, number> } };
    }>(platform.url, query, a.token);
    const other = await subscribe(platform.url, query, b.token);
    try {
      const first = await sub.next();
      expect(first.data?.ingestProgress.state).toBe("AWAITING_UPLOAD");
      expect((await upload(platform.url, job.upload!.path, feed(2000))).status).toBe(200);
      const states: string[] = [];
      let last;
      do {
        last = (await sub.next(30_000)).data!.ingestProgress;
        states.push(last.state);
      } while (!["SUCCEEDED", "FAILED", "CANCELLED"].includes(last.state));
      expect(states).toContain("RUNNING");
      expect(states.at(-1)).toBe("SUCCEEDED");
      expect(last.totals["recordsRead"]).toBe(2000);
      expect(last.progress["fraction"]).toBe(1);
      const refused = (await other.sub.next()) as { errors?: Array<{ extensions?: { code?: string } }> };
      expect(refused.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    } finally {
      await sub.close();
      await other.sub.close();
    }
  });
});
