/**
 * Ingest jobs through the gateway against the real stores: every source format
 * with the golden packs (exact counts in Neo4j and the dead-letter store), dead
 * letters and replay, re-ingest without duplicates, and cancel.
 * (Mappings and merges: ingestMappings.test.ts; tenants and progress: ingestIsolation.test.ts.)
 */
import { beforeAll, describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { createJob, EXPECTED, ingestFile, sample, sampleMapping, upload, waitForJob } from "../support/ingest.ts";
import { feed, graphReader, ok } from "../support/ingestGraph.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("ingestjobs", { ingest: { INGEST_BATCH_SIZE: 50 } });
const { cypher, graphCounts } = graphReader(platform);
let a: TestTenant;

beforeAll(async () => {
  a = await platform.newTenant("ia", "ENTERPRISE");
}, 60_000);

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
