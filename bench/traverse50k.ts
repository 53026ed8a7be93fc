/**
 * traverse-50k: p50/p95/p99 of 1-, 2- and 3-hop `neighbourhood` queries
 * through the gateway on a graph of about 50,000 entities.
 *
 * The graph is built the way a tenant's would be: generated threat events
 * (bench/ingest/generateEvents.ts; indicators, domains, addresses and
 * organisations, some organisations owning thousands of domains, addresses
 * shared by many domains) ingested through the API. Start entities are a
 * uniform sample of the tenant's nodes (their ids are hashes, so the first N
 * by id are a random draw). k6 (bench/k6/traverse.js) then runs one scenario
 * per hop count, one after the other, with VUS users and no think time, each
 * asking for at most LIMIT nodes (the entity page's default, 200).
 *
 * The platform runs as in production except for per-tenant rate limits,
 * raised so they never refuse (k6 would otherwise measure 429s).
 * Writes bench/results/traverse-50k.{json,md}; exits 1 when more than 1 % of
 * queries fail.
 *
 *   pnpm bench:traverse      EVENTS=18000 SEED=7 STARTS=500 VUS=2 DURATION=20s LIMIT=200 KEEP=0
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger } from "@intelgraph/kit";
import { connectStores, createAllInOne, type AllInOnePlatform } from "@intelgraph/gateway";
import { cachedEvents } from "./ingest/cachedEvents.ts";
import { BENCH_MAPPING } from "./ingest/generateEvents.ts";
import {
  approvedJob,
  benchConfig,
  benchSettings,
  benchTenant,
  gql,
  k6Binary,
  machine,
  machineLine,
  removeBenchData,
  resultsDir,
  runK6,
  unlimitedRateLimits,
  uploadFile,
} from "./lib.ts";

const {
  EVENTS: events,
  SEED: seed,
  STARTS: starts,
  VUS: vus,
  DURATION: duration,
  LIMIT: limit,
  KEEP: keep,
  LOG_LEVEL: logLevel,
} = benchSettings({ EVENTS: 18_000, SEED: 7, STARTS: 500, VUS: 2, DURATION: "20s", LIMIT: 200, KEEP: false, LOG_LEVEL: "warn" });
const script = fileURLToPath(new URL("./k6/traverse.js", import.meta.url));

const k6 = k6Binary();
const config = await benchConfig("bench_traverse");
const tmp = mkdtempSync(join(tmpdir(), "bench-traverse-"));
let platform: AllInOnePlatform | undefined;
let tenantId: string | undefined;
let exitCode = 0;

try {
  platform = await createAllInOne({
    config,
    logger: createLogger({ name: "bench-traverse", level: logLevel }),
    port: 0,
    rateLimits: unlimitedRateLimits,
  });
  const tenant = await benchTenant(platform, "bench-traverse");
  tenantId = tenant.tenantId;

  // ------------------------------------------------------------ the graph
  const { file, summary: generated } = await cachedEvents(events, seed);
  const built = performance.now();
  const { jobId, uploadPath } = await approvedJob(platform.url, tenant.token, BENCH_MAPPING, `traverse-${events}.ndjson`);
  await uploadFile(platform.url, uploadPath, file);
  let state = "QUEUED";
  while (!["SUCCEEDED", "FAILED", "CANCELLED"].includes(state)) {
    await new Promise((r) => setTimeout(r, 1000));
    const { ingestJob } = await gql<{ ingestJob: { state: string; error: string | null } }>(
      platform.url,
      `query($id: ID!) { ingestJob(id: $id) { state error } }`,
      { id: jobId },
      tenant.token,
    );
    state = ingestJob.state;
    if (state === "FAILED") throw new Error(`building the graph failed: ${ingestJob.error}`);
  }
  const buildSeconds = (performance.now() - built) / 1000;

  const own = await connectStores(config);
  const session = own.driver.session();
  let graph: { nodes: number; relationships: number; byLabel: Record<string, number>; maxDegree: number; ids: string[] };
  try {
    const count = async (q: string) => Number((await session.run(q, { t: tenantId })).records[0]!.get(0));
    const byLabel = Object.fromEntries(
      (await session.run("MATCH (n { tenantId: $t }) RETURN labels(n)[0] AS label, count(*) AS c", { t: tenantId })).records.map((r) => [
        r.get("label") as string,
        Number(r.get("c")),
      ]),
    );
    graph = {
      nodes: Object.values(byLabel).reduce((a, b) => a + b, 0),
      relationships: await count("MATCH ({ tenantId: $t })-[r]->() RETURN count(r)"),
      byLabel,
      maxDegree: await count("MATCH (n { tenantId: $t }) RETURN max(COUNT { (n)--() })"),
      ids: (
        await session.run("MATCH (n { tenantId: $t }) RETURN n.id AS id ORDER BY id LIMIT toInteger($k)", { t: tenantId, k: starts })
      ).records.map((r) => r.get("id") as string),
    };
  } finally {
    await session.close();
    await own.close();
  }
  console.log(
    `Graph: ${graph.nodes} nodes, ${graph.relationships} relationships (max degree ${graph.maxDegree}) built in ${buildSeconds.toFixed(0)} s; ${graph.ids.length} start entities`,
  );
  const idsFile = join(tmp, "ids.json");
  writeFileSync(idsFile, JSON.stringify(graph.ids));

  // ------------------------------------------------------------ warm-up, then measure
  const vars = { URL: platform.url, TOKEN: tenant.token, IDS: idsFile, VUS: String(vus), LIMIT: String(limit) };
  console.log("Warm-up (5 s per hop count, not recorded)…");
  await runK6(k6.bin, script, { ...vars, DURATION: "5s", SUMMARY: join(tmp, "warmup.json") });
  console.log(`Measuring: ${vus} VUs × ${duration} per hop count…`);
  const { code, summary } = await runK6(k6.bin, script, { ...vars, DURATION: duration, SUMMARY: join(tmp, "run.json") });
  if (!summary) throw new Error(`k6 exited with ${code} and wrote no summary`);
  if (code !== 0) exitCode = 1;

  const metric = (name: string) => summary.metrics[name]?.values ?? {};
  const perHop = [1, 2, 3].map((hops) => {
    const d = metric(`http_req_duration{hops:${hops}}`);
    const n = metric(`nodes_returned{hops:${hops}}`);
    return {
      hops,
      queries: metric(`http_reqs{hops:${hops}}`)["count"],
      latencyMs: { p50: d["med"], p90: d["p(90)"], p95: d["p(95)"], p99: d["p(99)"], max: d["max"] },
      nodesReturned: { avg: n["avg"], p50: n["med"], max: n["max"] },
      truncatedShare: metric(`truncated{hops:${hops}}`)["rate"],
    };
  });
  const reqs = metric("http_reqs");
  const errors = metric("graphql_errors")["rate"] ?? 1;
  if (errors > 0.01) exitCode = 1;
  const m = machine();
  const result = {
    bench: "traverse-50k",
    at: new Date().toISOString(),
    machine: m,
    k6: k6.version,
    settings: {
      events,
      seed,
      starts: graph.ids.length,
      vus,
      durationPerHopCount: duration,
      limit,
      NODE_ENV: "production",
      rateLimits: "raised",
    },
    graph: { ...graph, ids: undefined, buildSeconds: Math.round(buildSeconds), generated: generated.entities },
    requests: reqs["count"],
    errorRate: errors,
    perHop,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "traverse-50k.json"), JSON.stringify(result, null, 2) + "\n");
  const f = (x: number | undefined) => (x === undefined ? "–" : x.toFixed(1));
  const md = `# traverse-50k

Run ${result.at} on ${machineLine(m)} (load average ${m.loadAverage.join(" / ")} at the end). The gateway, the six
subgraphs, Neo4j, FerretDB and k6 share these cores: figures are for this machine.

Graph: **${graph.nodes.toLocaleString("en")} entities**, ${graph.relationships.toLocaleString("en")} relationships
(${Object.entries(graph.byLabel)
    .map(([k, v]) => `${v} ${k}`)
    .join(
      ", ",
    )}; highest degree ${graph.maxDegree}), from ${events} generated events ingested through the API in ${result.graph.buildSeconds} s.
Queries: \`neighbourhood(id, hops, limit: ${limit})\` through the gateway from ${graph.ids.length} random start entities,
${vus} k6 users without think time, ${duration} per hop count. ${reqs["count"]} queries, ${(errors * 100).toFixed(2)} % failed.

| hops | queries | p50 ms | p95 ms | p99 ms | max ms | nodes returned (avg / max) | truncated at ${limit} |
| --- | --- | --- | --- | --- | --- | --- | --- |
${perHop
  .map(
    (h) =>
      `| ${h.hops} | ${h.queries ?? "–"} | ${f(h.latencyMs.p50)} | **${f(h.latencyMs.p95)}** | ${f(h.latencyMs.p99)} | ${f(h.latencyMs.max)} | ${f(h.nodesReturned.avg)} / ${h.nodesReturned.max ?? "–"} | ${h.truncatedShare === undefined ? "–" : `${(h.truncatedShare * 100).toFixed(1)} %`} |`,
  )
  .join("\n")}
`;
  writeFileSync(join(resultsDir, "traverse-50k.md"), md);
  console.log(md);
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await platform?.stop().catch((error) => console.error("stop failed:", error));
  if (keep) console.log(`KEEP=1: tenant ${tenantId} and Mongo database ${config.MONGODB_DB} left in place`);
  else await removeBenchData(config, tenantId).catch((error) => console.error("clean-up failed:", error));
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(exitCode);
