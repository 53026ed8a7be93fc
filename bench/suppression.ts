/**
 * suppression: how much labelled noise the default suppression rules remove
 * from a generated feed, and how many true positives they keep (targets:
 * ≥ 50 % of the noise removed, ≥ 99 % of the true positives kept).
 *
 * The feed (bench/suppressionFeed.ts, TOTAL indicators from SEED) is ingested
 * through the API as STIX indicators, one ingestRecords job per 5,000 records
 * and source; the sources are graded first (vendor-a A, vendor-b B, the paste
 * scraper E), so scoring scores them after each job as it would in production.
 * Then the default rule set is dry-run and enabled, and the whole set applied
 * once more (timed). Each indicator's verdict is read back and compared with
 * its label. Writes bench/results/suppression.{json,md}; exits 1 below target.
 *
 *   pnpm bench:suppression      TOTAL=20000 SEED=7 KEEP=0
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { createLogger } from "@intelgraph/kit";
import { connectStores, createAllInOne, type AllInOnePlatform } from "@intelgraph/gateway";
import {
  benchConfig,
  benchSettings,
  benchTenant,
  gql,
  machine,
  machineLine,
  removeBenchData,
  resultsDir,
  round1,
  round2,
  unlimitedRateLimits,
} from "./lib.ts";
import { generateFeed, SOURCES, type FeedIndicator } from "./suppressionFeed.ts";

const {
  TOTAL: total,
  SEED: seed,
  KEEP: keep,
  LOG_LEVEL: logLevel,
} = benchSettings({ TOTAL: 20_000, SEED: 7, KEEP: false, LOG_LEVEL: "warn" });

/** The default rule set the bench measures (docs: bench/README.md § suppression). */
export const DEFAULT_RULES = [
  { name: "reserved and documentation addresses", match: { allowLists: ["PRIVATE_RANGES", "DOCUMENTATION_RANGES"] } },
  { name: "top domains and CDN edges", match: { allowLists: ["TOP_DOMAINS", "CDN_RANGES"] } },
  { name: "uncorroborated scraper junk", match: { sources: [SOURCES.junk], scoreBelow: 40 } },
];

const config = await benchConfig("bench_suppression");
let platform: AllInOnePlatform | undefined;
let tenantId: string | undefined;
let exitCode = 0;

const stix = (pattern: string) => ({
  type: "indicator",
  spec_version: "2.1",
  id: `indicator--${randomUUID()}`,
  created: "2026-11-01T00:00:00.000Z",
  modified: "2026-11-01T00:00:00.000Z",
  pattern,
  pattern_type: "stix",
  valid_from: "2026-11-01T00:00:00.000Z",
});

try {
  platform = await createAllInOne({
    config,
    logger: createLogger({ name: "bench-suppression", level: logLevel }),
    port: 0,
    rateLimits: unlimitedRateLimits,
  });
  const tenant = await benchTenant(platform, "bench-suppression");
  tenantId = tenant.tenantId;
  const api = <T>(query: string, variables: Record<string, unknown> = {}) => gql<T>(platform!.url, query, variables, tenant.token);

  const feed = generateFeed(total, seed);
  for (const [source, grade] of [
    [SOURCES.vendorA, "A"],
    [SOURCES.vendorB, "B"],
    [SOURCES.junk, "E"],
  ] as const)
    await api(`mutation($s: String!, $g: AdmiraltyGrade!) { setSourceReliability(source: $s, grade: $g) { source } }`, {
      s: source,
      g: grade,
    });
  const { createIngestMapping: mapping } = await api<{ createIngestMapping: { id: string } }>(
    `mutation { createIngestMapping(input: { name: "bench stix", format: STIX }) { id } }`,
  );
  await api(`mutation($id: ID!) { approveIngestMapping(id: $id, reason: "benchmark") { id } }`, { id: mapping.id });

  // ------------------------------------------------------------ ingest, then wait for the scores
  const ingestStart = performance.now();
  for (const source of Object.values(SOURCES)) {
    const records = feed.filter((i) => i.sources.includes(source)).map((i) => stix(i.pattern));
    for (let at = 0; at < records.length; at += 5000) {
      const { ingestRecords: job } = await api<{ ingestRecords: { id: string } }>(
        `mutation($input: IngestRecordsInput!) { ingestRecords(input: $input) { id } }`,
        { input: { mappingId: mapping.id, source, records: records.slice(at, at + 5000) } },
      );
      for (let state = "QUEUED"; !["SUCCEEDED", "FAILED", "CANCELLED"].includes(state);) {
        await new Promise((r) => setTimeout(r, 250));
        state = (await api<{ ingestJob: { state: string } }>(`query($id: ID!) { ingestJob(id: $id) { state } }`, { id: job.id })).ingestJob
          .state;
        if (state === "FAILED" || state === "CANCELLED") throw new Error(`ingest job ${job.id} ${state}`);
      }
    }
  }
  const ingestSeconds = (performance.now() - ingestStart) / 1000;
  const own = await connectStores(config);
  const count = async (where: string) =>
    Number(
      (
        await own.driver.executeQuery(`MATCH (i:Indicator) WHERE i.tenantId = $t AND ${where} RETURN count(i) AS n`, { t: tenantId })
      ).records[0]!.get("n"),
    );
  for (let waited = 0; (await count("i.score IS NOT NULL")) < feed.length; waited += 500) {
    if (waited > 120_000) throw new Error("scoring did not score every indicator within 2 minutes");
    await new Promise((r) => setTimeout(r, 500));
  }

  // ------------------------------------------------------------ dry runs, then the rules
  const dryRuns = [];
  for (const rule of DEFAULT_RULES) {
    const started = performance.now();
    const { dryRunSuppressionRule: run } = await api<{ dryRunSuppressionRule: { scanned: number; wouldHide: number } }>(
      `query($input: SuppressionMatchInput) { dryRunSuppressionRule(input: $input, sampleSize: 0) { scanned wouldHide } }`,
      { input: rule.match },
    );
    dryRuns.push({ rule: rule.name, ...run, ms: Math.round(performance.now() - started) });
  }
  for (const rule of DEFAULT_RULES)
    await api(`mutation($input: CreateSuppressionRuleInput!) { createSuppressionRule(input: $input) { id } }`, {
      input: { ...rule, enabled: true },
    });
  const applyStart = performance.now();
  const { applySuppressionRules: applied } = await api<{
    applySuppressionRules: { scanned: number; suppressed: number; byRule: Array<{ name: string; suppressed: number }> };
  }>(`mutation { applySuppressionRules { scanned suppressed byRule { name suppressed } } }`);
  const applySeconds = (performance.now() - applyStart) / 1000;

  // ------------------------------------------------------------ verdicts against labels
  const verdicts = new Map(
    (
      await own.driver.executeQuery(`MATCH (i:Indicator) WHERE i.tenantId = $t RETURN i.pattern AS p, i.suppressed = true AS s`, {
        t: tenantId,
      })
    ).records.map((r) => [r.get("p") as string, r.get("s") as boolean]),
  );
  await own.close();
  const listed = (await api<{ suppressedIndicators: { total: number } }>(`{ suppressedIndicators(limit: 1) { total } }`))
    .suppressedIndicators.total;
  const shown = (await api<{ indicatorsConnection: { totalCount: number } }>(`{ indicatorsConnection { totalCount } }`))
    .indicatorsConnection.totalCount;
  const tally = (items: FeedIndicator[]) => ({ total: items.length, suppressed: items.filter((i) => verdicts.get(i.pattern)).length });
  const noise = tally(feed.filter((i) => i.label === "noise"));
  const truth = tally(feed.filter((i) => i.label === "truePositive"));
  const categories = [...new Set(feed.map((i) => `${i.label}/${i.category}`))].map((key) => ({
    key,
    ...tally(feed.filter((i) => `${i.label}/${i.category}` === key)),
  }));
  const noiseRemoved = noise.suppressed / noise.total;
  const truePositivesKept = 1 - truth.suppressed / truth.total;
  const consistent =
    verdicts.size === feed.length &&
    listed === noise.suppressed + truth.suppressed &&
    shown === feed.length - listed &&
    applied.suppressed === listed;
  if (noiseRemoved < 0.5 || truePositivesKept < 0.99 || !consistent) exitCode = 1;

  const m = machine();
  const result = {
    bench: "suppression",
    at: new Date().toISOString(),
    machine: m,
    settings: { total, seed, rules: DEFAULT_RULES },
    ingestSeconds: round1(ingestSeconds),
    indicators: verdicts.size,
    noise,
    truePositives: truth,
    noiseRemovedPercent: round2(noiseRemoved * 100),
    truePositivesKeptPercent: round2(truePositivesKept * 100),
    targets: { noiseRemovedPercent: 50, truePositivesKeptPercent: 99 },
    categories,
    dryRuns,
    apply: { seconds: round2(applySeconds), scanned: applied.scanned, suppressed: applied.suppressed, byRule: applied.byRule },
    checks: { suppressedIndicatorsTotal: listed, indicatorsShown: shown, consistent },
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "suppression.json"), JSON.stringify(result, null, 2) + "\n");
  const pct = (x: { total: number; suppressed: number }) => `${((x.suppressed / x.total) * 100).toFixed(1)} %`;
  const md = `# suppression

Run ${result.at} on ${machineLine(m)}. Feed: ${feed.length.toLocaleString("en")} generated indicators (seed ${seed}), half labelled noise,
ingested as STIX through the API in ${result.ingestSeconds} s from three graded sources and scored by the scoring module.

**Noise removed: ${result.noiseRemovedPercent} %** (target ≥ 50 %) · **true positives kept: ${result.truePositivesKeptPercent} %** (target ≥ 99 %).

Default rules: ${DEFAULT_RULES.map((r) => `“${r.name}” (${JSON.stringify(r.match)})`).join("; ")}.
Applying them to all ${applied.scanned.toLocaleString("en")} indicators took ${result.apply.seconds} s; the dry runs ${dryRuns.map((d) => `${d.ms} ms`).join(", ")}.
Checks: suppressedIndicators lists ${listed}, indicators shows ${shown}, the apply reports ${applied.suppressed} — ${consistent ? "consistent" : "INCONSISTENT"}.

| label / category | indicators | suppressed | share |
| --- | --- | --- | --- |
${categories.map((c) => `| ${c.key} | ${c.total} | ${c.suppressed} | ${pct(c)} |`).join("\n")}
| **noise** | ${noise.total} | ${noise.suppressed} | **${pct(noise)}** |
| **true positives** | ${truth.total} | ${truth.suppressed} | **${pct(truth)}** |
`;
  writeFileSync(join(resultsDir, "suppression.md"), md);
  console.log(md);
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await platform?.stop().catch((error) => console.error("stop failed:", error));
  if (keep) console.log(`KEEP=1: tenant ${tenantId} and Mongo database ${config.MONGODB_DB} left in place`);
  else await removeBenchData(config, tenantId).catch((error) => console.error("clean-up failed:", error));
}
process.exit(exitCode);
