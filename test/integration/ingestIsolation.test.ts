/**
 * Ingest between tenants and live: B's ingest never touches A's nodes, the graph
 * writer refuses foreign ids, upload links cannot be forged or reused, and
 * ingestProgress streams through the gateway.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { RecordRefusedError, writeBatch } from "@intelgraph/subgraph-graph";
import { gql } from "../support/graphqlClient.ts";
import { createJob, ingestFile, sample, sampleMapping, upload, waitForJob } from "../support/ingest.ts";
import { feed, graphReader, ok } from "../support/ingestGraph.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { subscribe } from "../support/wsClient.ts";

const platform = useTestPlatform("ingestiso", { ingest: { INGEST_BATCH_SIZE: 50 } });
const { cypher, graphCounts } = graphReader(platform);
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  a = await platform.newTenant("ia", "ENTERPRISE");
  b = await platform.newTenant("ib", "ENTERPRISE");
}, 60_000);

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
