/**
 * Confidence scoring through the gateway against the real stores: scores
 * after an ingest (F for an ungraded source), a source's grade rescoring its
 * indicators, corroboration by a second source, analyst feedback, the
 * objects an indicator points at, thresholds and bands, clearance and
 * tenant isolation, and the recompute with a clock moved a half-life on.
 * Every expected score is computed by hand from the model in scoreModel.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
// The root package has no @intelgraph/subgraph-graph dependency on scoring internals.
// eslint-disable-next-line no-restricted-imports
import { createScoringParts } from "../../subgraphs/graph/src/scoring/scoringModule.ts";
import { gql } from "../support/graphqlClient.ts";
import { createMapping, approveMapping, waitForJob } from "../support/ingest.ts";
import { graphReader, ok } from "../support/ingestGraph.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { createTestLogger } from "../support/testLogger.ts";

const platform = useTestPlatform("scoring");
const { cypher } = graphReader(platform);
let a: TestTenant;
let b: TestTenant;
let mappingId: string;

const IP = "[ipv4-addr:value = '203.0.113.10']";
const DOMAIN = "[domain-name:value = 'alpha.example']";

const MAPPING = {
  entities: [
    {
      as: "indicator",
      type: "Indicator",
      key: ["pattern"],
      properties: { pattern: "pattern", kind: { from: "kind", required: true }, sightings: "sightings" },
    },
    { as: "domain", type: "Domain", key: ["name"], properties: { name: "domain" }, optional: true },
  ],
  relationships: [{ type: "INDICATES", from: "indicator", to: "domain", confidence: 0.8 }],
};

const codes = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => (res.errors ?? []).map((e) => e.extensions?.["code"]);

async function ingest(token: string, source: string, records: Array<Record<string, unknown>>) {
  const created = ok(
    await gql(
      platform.url,
      `mutation($input: IngestRecordsInput!) { ingestRecords(input: $input) { id } }`,
      { input: { mappingId, source, records } },
      { token },
    ),
  ).ingestRecords;
  const job = await waitForJob(platform.url, token, created.id);
  expect(job.state).toBe("SUCCEEDED");
  // Scores land when the job-finished event arrives: wait for every indicator the job wrote, and what it indicates, to carry one from after the job.
  await eventually(
    () =>
      cypher<{ left: number }>(
        `MATCH (i:Indicator) WHERE $job IN i.ingestJobIds
         OPTIONAL MATCH (i)-[:INDICATES|OBSERVED_IN]->(o)
         WITH i, o WHERE i.scoredAt IS NULL OR i.scoredAt < i.lastSeen OR (o IS NOT NULL AND (o.scoredAt IS NULL OR o.scoredAt < i.scoredAt))
         RETURN count(*) AS left`,
        { job: job.id },
      ),
    (rows) => Number(rows[0]?.left) === 0,
  );
  await listable(job.id);
  return job.id as string;
}

/**
 * The generated reads leave out an indicator whose \`suppressed\` is not false
 * (\`NOT suppressed = true\` is null for a missing property): set it as the
 * suppression engine does for an indicator no rule matches.
 */
const listable = (jobId: string) =>
  cypher(`MATCH (i:Indicator) WHERE $job IN i.ingestJobIds AND i.suppressed IS NULL SET i.suppressed = false`, { job: jobId });

interface Scored {
  id: string;
  pattern: string;
  score: number | null;
  scoreBand: string | null;
  scoredAt: string | null;
  feedback: string | null;
}

async function indicators(token: string): Promise<Record<string, Scored>> {
  const list = ok(
    await gql(platform.url, `{ indicators(sort: [{ pattern: ASC }]) { id pattern score scoreBand scoredAt feedback } }`, {}, { token }),
  ).indicators as Scored[];
  return Object.fromEntries(list.map((i) => [i.pattern, i]));
}

/** Polls until `check` passes: scores after an ingest are written when the job-finished event arrives. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 150));
  }
}

const domainScore = async (tenantId: string, name: string) =>
  (
    await cypher<{ score: number | null }>(`MATCH (d:Domain {name: $name}) WHERE d.tenantId = $tenantId RETURN d.score AS score`, {
      tenantId,
      name,
    })
  )[0]?.score;

beforeAll(async () => {
  [a, b] = await Promise.all([platform.newTenant("sa", "ENTERPRISE"), platform.newTenant("sb", "ENTERPRISE")]);
  mappingId = await createMapping(platform.url, a.token, "scored feed", "NDJSON", MAPPING);
  await approveMapping(platform.url, a.token, mappingId);
}, 60_000);

describe("scores follow the model", () => {
  it("scores an ingest's indicators (an ungraded source is F: 30), with sightings, and the domain they indicate", async () => {
    await ingest(a.token, "feed-alpha", [
      { pattern: IP, kind: "ipv4", domain: "alpha.example" },
      { pattern: DOMAIN, kind: "domain", domain: "alpha.example", sightings: "3" },
    ]);
    const scored = await indicators(a.token);
    // F = 0.3; 3 sightings add 0.05 · log₂ 4 = 0.1.
    expect([scored[IP]?.score, scored[DOMAIN]?.score]).toEqual([30, 40]);
    expect([scored[IP]?.scoreBand, scored[DOMAIN]?.scoreBand]).toEqual(["MEDIUM", "MEDIUM"]);
    // The domain takes the best of its indicators.
    expect(Number(await domainScore(a.id, "alpha.example"))).toBe(40);
  });

  it("grading a source rescores its indicators; a second independent source corroborates", async () => {
    const graded = ok(
      await gql(
        platform.url,
        `mutation { setSourceReliability(source: "feed-alpha", grade: B) { source grade weight meaning assigned indicatorsRescored } }`,
        {},
        { token: a.token },
      ),
    ).setSourceReliability;
    expect(graded).toEqual({
      source: "feed-alpha",
      grade: "B",
      weight: 0.75,
      meaning: "usually reliable",
      assigned: true,
      indicatorsRescored: 2,
    });
    let scored = await indicators(a.token);
    expect([scored[IP]?.score, scored[DOMAIN]?.score]).toEqual([75, 85]);
    expect(scored[DOMAIN]?.scoreBand).toBe("HIGH");

    ok(await gql(platform.url, `mutation { setSourceReliability(source: "feed-beta", grade: B) { grade } }`, {}, { token: a.token }));
    await ingest(a.token, "feed-beta", [{ pattern: IP, kind: "ipv4", domain: "alpha.example" }]);
    // 1 − (1 − 0.75)² = 0.9375 → 94.
    scored = await indicators(a.token);
    expect(scored[IP]?.score).toBe(94);
    expect(Number(await domainScore(a.id, "alpha.example"))).toBe(94);

    const explained = ok(
      await gql(
        platform.url,
        `query($id: ID!) { indicatorScore(id: $id) { indicatorId score band model indicatorType halfLifeDays sources { source grade } parts { name value sentence } } }`,
        { id: scored[IP]!.id },
        { token: a.token },
      ),
    ).indicatorScore;
    expect(explained).toMatchObject({
      indicatorId: scored[IP]!.id,
      score: 94,
      band: "HIGH",
      model: "confidence-v1",
      indicatorType: "ip",
      halfLifeDays: 30,
      sources: [
        { source: "feed-alpha", grade: "B" },
        { source: "feed-beta", grade: "B" },
      ],
    });
    expect(explained.parts.map((p: { name: string; value: number }) => [p.name, p.value])).toEqual([
      ["reliability", 0.75],
      ["corroboration", 0.1875],
      ["sightings", 0],
      ["decay", 1],
      ["feedback", 1],
    ]);
    expect(explained.parts[1].sentence).toBe("1 more independent source adds 19 %.");
  });

  it("feedback: FALSE_POSITIVE scores 0, CONFIRMED at least 90, NONE clears it; the verdict's author is recorded", async () => {
    const ids = await indicators(a.token);
    const feedback = (id: string, verdict: string) =>
      gql(
        platform.url,
        `mutation($id: ID!, $v: IndicatorVerdict!) { setIndicatorFeedback(id: $id, verdict: $v, note: "checked the logs") {
          id feedback feedbackBy score scoreBand domains { name } } }`,
        { id, v: verdict },
        { token: a.token },
      );
    const fp = ok(await feedback(ids[IP]!.id, "FALSE_POSITIVE")).setIndicatorFeedback;
    expect(fp).toEqual({
      id: ids[IP]!.id,
      feedback: "FALSE_POSITIVE",
      feedbackBy: a.adminId,
      score: 0,
      scoreBand: "LOW",
      domains: [{ name: "alpha.example" }],
    });
    // The domain falls back to its other indicator (85).
    expect(Number(await domainScore(a.id, "alpha.example"))).toBe(85);

    const confirmed = ok(await feedback(ids[DOMAIN]!.id, "CONFIRMED")).setIndicatorFeedback;
    expect([confirmed.feedback, confirmed.score]).toEqual(["CONFIRMED", 90]);
    const cleared = ok(await feedback(ids[IP]!.id, "NONE")).setIndicatorFeedback;
    expect([cleared.feedback, cleared.feedbackBy, cleared.score]).toEqual([null, null, 94]);
    expect(codes(await feedback("no-such-indicator", "CONFIRMED"))).toEqual(["NOT_FOUND"]);
  });

  it("takes feedback on a suppressed indicator too (it is stored, and the caller may see it), answering its own fields", async () => {
    const id = (await indicators(a.token))[DOMAIN]!.id;
    await cypher(`MATCH (i:Indicator {id: $id}) SET i.suppressed = true`, { id });
    try {
      const res = await gql(
        platform.url,
        `mutation($id: ID!) { setIndicatorFeedback(id: $id, verdict: CONFIRMED) { id pattern feedback feedbackBy score suppressed } }`,
        { id },
        { token: a.token },
      );
      expect(ok(res).setIndicatorFeedback).toEqual({
        id,
        pattern: DOMAIN,
        feedback: "CONFIRMED",
        feedbackBy: a.adminId,
        score: 90,
        suppressed: true,
      });
    } finally {
      await cypher(`MATCH (i:Indicator {id: $id}) SET i.suppressed = false`, { id });
    }
  });
});

describe("thresholds", () => {
  it("refuses bands outside 0 ≤ low < high ≤ 100 with BAD_USER_INPUT naming the field, and bands by the new ones", async () => {
    const set = (high: number, low: number) =>
      gql(
        platform.url,
        `mutation($h: Int!, $l: Int!) { setScoreThresholds(high: $h, low: $l) { high low updatedBy } }`,
        { h: high, l: low },
        { token: a.token },
      );
    for (const [high, low, path] of [
      [50, 50, "low"],
      [101, 10, "high"],
      [60, -1, "low"],
    ] as const) {
      const res = await set(high, low);
      expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
      expect((res.errors![0]!.extensions!["problems"] as Array<{ path: string }>).map((p) => p.path)).toContain(path);
    }
    expect(ok(await set(95, 91)).setScoreThresholds).toEqual({ high: 95, low: 91, updatedBy: a.adminId });
    const scored = await indicators(a.token);
    expect([scored[IP]?.scoreBand, scored[DOMAIN]?.scoreBand]).toEqual(["MEDIUM", "LOW"]);
    ok(await set(75, 30));
  });
});

describe("who sees what", () => {
  it("tenant B sees none of A's reliabilities, thresholds or scores; A's indicator is NOT_FOUND for B", async () => {
    const ip = (await indicators(a.token))[IP]!;
    const ofB = ok(
      await gql(platform.url, `{ sourceReliabilities { source } scoreThresholds { high low updatedBy } }`, {}, { token: b.token }),
    );
    expect(ofB).toEqual({ sourceReliabilities: [], scoreThresholds: { high: 75, low: 30, updatedBy: null } });
    const ofA = ok(await gql(platform.url, `{ sourceReliabilities { source grade assigned } }`, {}, { token: a.token }));
    expect(ofA.sourceReliabilities).toEqual([
      { source: "feed-alpha", grade: "B", assigned: true },
      { source: "feed-beta", grade: "B", assigned: true },
    ]);
    const score = await gql(platform.url, `query($id: ID!) { indicatorScore(id: $id) { score } }`, { id: ip.id }, { token: b.token });
    expect(codes(score)).toEqual(["NOT_FOUND"]);
    const fb = await gql(
      platform.url,
      `mutation($id: ID!) { setIndicatorFeedback(id: $id, verdict: FALSE_POSITIVE) { id } }`,
      { id: ip.id },
      { token: b.token },
    );
    expect(codes(fb)).toEqual(["NOT_FOUND"]);
    expect((await indicators(a.token))[IP]?.score).toBe(94);
  });

  it("an indicator above the caller's clearance is NOT_FOUND (a GREEN token, an AMBER indicator), and counts for no GREEN object", async () => {
    const ip = (await indicators(a.token))[IP]!;
    await cypher(`MATCH (i:Indicator {id: $id}) SET i.marking = 'AMBER'`, { id: ip.id });
    try {
      const minted = ok(
        await gql(
          platform.url,
          `mutation { createApiToken(input: { name: "green", scopes: ["graph:read", "graph:write"], clearance: GREEN }) { token } }`,
          {},
          { token: a.token },
        ),
      ).createApiToken.token as string;
      const score = await gql(platform.url, `query($id: ID!) { indicatorScore(id: $id) { score } }`, { id: ip.id }, { token: minted });
      expect(codes(score)).toEqual(["NOT_FOUND"]);
      // The GREEN domain now takes only its GREEN indicator's score (CONFIRMED: 90), not the AMBER one's 94.
      ok(await gql(platform.url, `mutation { recomputeScores { indicatorsScored } }`, {}, { token: a.token }));
      expect(Number(await domainScore(a.id, "alpha.example"))).toBe(90);
    } finally {
      await cypher(`MATCH (i:Indicator {id: $id}) SET i.marking = 'GREEN'`, { id: ip.id });
    }
  });
});

describe("recompute", () => {
  it("a recompute with the clock a half-life on halves an IP indicator's score; the hourly job and recomputeScores run", async () => {
    const before = await indicators(a.token);
    expect(before[IP]?.score).toBe(94);
    let clock = Date.now() + 30 * 86_400_000;
    const parts = createScoringParts({
      db: platform.stores.mongo.db,
      driver: platform.stores.driver,
      database: "neo4j",
      now: () => clock,
      logger: createTestLogger("scoring-clock"),
      batchSize: 1, // one indicator per transaction: the id cursor pages through both
    });
    const counts = await parts.recompute.forTenant(a.id, { all: true });
    expect(counts.indicatorsScored).toBe(2);
    const after = await indicators(a.token);
    // 0.9375 × 0.5 = 0.469 → 47; the domain indicator is CONFIRMED (at least 90).
    expect([after[IP]?.score, after[DOMAIN]?.score]).toEqual([47, 90]);
    clock += 60 * 86_400_000;
    await parts.recompute.forTenant(a.id, { all: true });
    expect((await indicators(a.token))[IP]?.score).toBe(12); // 0.9375 × 0.125 = 0.117

    // The hourly job runs (it walks every tenant of the shared Neo4j, so other test files' platforms may score A's too: its
    // effect is checked through A's own recompute, with the real clock again).
    expect(await platform.scheduler.runNow("graph.scores")).toBe(true);
    expect((await platform.scheduler.runs("graph.scores", 1))[0]).toMatchObject({ status: "succeeded", trigger: "manual" });
    const recomputed = ok(
      await gql(platform.url, `mutation { recomputeScores { indicatorsScored objectsScored } }`, {}, { token: a.token }),
    );
    expect(recomputed.recomputeScores).toEqual({ indicatorsScored: 2, objectsScored: 1 });
    expect((await indicators(a.token))[IP]?.score).toBe(94);

    // A domain no indicator points at any more loses its score at the next full recompute.
    await cypher(`MATCH (i:Indicator)-[r:INDICATES]->(d:Domain) WHERE d.tenantId = $t DELETE r`, { t: a.id });
    const orphaned = ok(await gql(platform.url, `mutation { recomputeScores { indicatorsScored objectsScored } }`, {}, { token: a.token }));
    expect(orphaned.recomputeScores).toEqual({ indicatorsScored: 2, objectsScored: 1 });
    expect(await domainScore(a.id, "alpha.example")).toBeNull();
  });
});
