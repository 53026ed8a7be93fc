/**
 * Gateway throughput with the security layers on vs off: two all-in-one
 * platforms (gateway + six subgraphs each) in this one process, on the same
 * supergraph, stores, database, tenant and session; k6 drives the same read
 * mix (bench/k6/gatewayThroughput.js) at each in interleaved rounds.
 *
 *   "on"  = what production runs: graphql-shield in every subgraph, graphql-armor
 *           and the token limit in the gateway, and the rate limiter, here with
 *           limits of 1e6/s per plan so it is exercised (buckets taken, headers
 *           set) but never refuses.
 *   "off" = createAllInOne({ securityLayers: "off" }): none of those. Session
 *           authentication and tenant scoping stay in both.
 *
 * Writes bench/results/gateway-throughput.{json,md}; exits 1 when k6 fails or
 * more than 1 % of requests fail. Needs the stores (started here when they are
 * not running, and left running) and Go to build k6 once (scripts/tools/k6.sh).
 *
 *   pnpm bench:gateway        ROUNDS=6 DURATION=10s VUS=8 WARMUP=5s PEOPLE=200 LOG_LEVEL=warn
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createLogger } from "@intelgraph/kit";
import { createAllInOne, type AllInOnePlatform } from "@intelgraph/gateway";
import { compareSides } from "./gateway/compareSides.ts";
import { cpuSnapshot } from "./gateway/cpuSnapshot.ts";
import { gatewayMarkdown, gatewayResult, type GatewayBenchSettings } from "./gateway/gatewayReport.ts";
import { roundOf, type Layers, type Round } from "./gateway/roundStats.ts";
import { checkSecuritySwitch, seedPeople } from "./gateway/seedAndCheck.ts";
import {
  benchConfig,
  benchSettings,
  benchTenant,
  interruptK6,
  k6Binary,
  removeBenchData,
  resultsDir,
  runK6,
  runningStorePids,
  unlimitedRateLimits,
} from "./lib.ts";

const env = process.env;
const {
  ROUNDS: rounds,
  DURATION: duration,
  WARMUP: warmup,
  VUS: vus,
  PEOPLE: peopleCount,
  LOG_LEVEL: logLevel,
} = benchSettings({ ROUNDS: 6, DURATION: "10s", WARMUP: "5s", VUS: 8, PEOPLE: 200, LOG_LEVEL: "warn" });
if (!(rounds >= 2)) throw new Error("ROUNDS must be at least 2 (rounds per side)");

const k6Script = fileURLToPath(new URL("./k6/gatewayThroughput.js", import.meta.url));
if (env["NODE_ENV"] !== "production") {
  console.warn("NODE_ENV is not production (run it with `pnpm bench:gateway`): libraries keep their development checks on.");
}

// -------------------------------------------------------------------- setup

const k6 = k6Binary();
console.log("Starting the stores (left running afterwards)…");
const config = { ...(await benchConfig("bench_gw")), PUBSUB: "memory" as const };
const logger = createLogger({ name: "bench-gateway", level: logLevel });
const platforms: Partial<Record<Layers, AllInOnePlatform>> = {};
let tenantId: string | undefined;
const tmp = mkdtempSync(join(tmpdir(), "bench-gw-"));
let exitCode = 0;
let interrupted = false;

async function cleanUp() {
  interruptK6();
  await Promise.allSettled(Object.values(platforms).map((p) => p.stop()));
  // The usage recorders flush on stop, so the data goes last, through a connection of our own.
  await removeBenchData(config, tenantId).catch((error) => console.error("clean-up failed:", error));
  rmSync(tmp, { recursive: true, force: true });
}
process.once("SIGINT", () => {
  interrupted = true;
  interruptK6();
});

try {
  const t0 = performance.now();
  for (const layers of ["on", "off"] as const) {
    platforms[layers] = await createAllInOne({
      config,
      logger: logger.child({ layers }),
      port: 0,
      securityLayers: layers,
      ...(layers === "on" ? { rateLimits: unlimitedRateLimits } : {}),
    });
  }
  const both = { on: platforms.on!, off: platforms.off! };
  console.log(`Platforms up in ${((performance.now() - t0) / 1000).toFixed(1)} s: on ${both.on.url}, off ${both.off.url}`);

  // One tenant, one admin, one session: valid on both (same secrets, same database).
  const tenant = await benchTenant(both.on, "bench");
  tenantId = tenant.tenantId;
  const token = tenant.token;
  await seedPeople(both.on.url, token, peopleCount);
  await checkSecuritySwitch(both, token, tenant.email);
  console.log(`Seeded ${peopleCount} people in tenant ${tenant.slug}; armor refuses on "on" only. k6: ${k6.version}`);

  const vars = (layers: Layers, summary: string, dur: string) => ({
    URL: both[layers].url,
    TOKEN: token,
    PEOPLE: String(peopleCount),
    VUS: String(vus),
    DURATION: dur,
    RATE_LIMIT_HEADERS: layers === "on" ? "1" : "0",
    SUMMARY: summary,
  });

  // Warm-up (JIT, query plans, caches, connection pools), not recorded. Two
  // alternating passes: a single one left the first measured round (always
  // "on") still ~25 % slower than the later ones.
  for (const pass of [1, 2]) {
    for (const layers of ["on", "off"] as const) {
      console.log(`Warm-up ${pass}/2 ${layers} (${warmup})`);
      await runK6(k6.bin, k6Script, vars(layers, join(tmp, `warmup-${layers}.json`), warmup), `warm-up ${layers}`);
    }
  }

  // ABBA order (on off, off on, on off, …): a drift in the machine's speed falls on both sides alike.
  const order: Array<{ round: number; layers: Layers }> = [];
  for (let r = 1; r <= rounds; r++) {
    const pair: Layers[] = r % 2 ? ["on", "off"] : ["off", "on"];
    for (const layers of pair) order.push({ round: r, layers });
  }
  const results: Round[] = [];
  const storePids = (await runningStorePids()).map(([, pid]) => pid);
  const loadBefore = loadavg()[0]!;
  for (const { round, layers } of order) {
    if (interrupted) throw new Error("interrupted");
    const file = join(tmp, `round-${round}-${layers}.json`);
    console.log(`Round ${round}, security layers ${layers} (${vus} VUs, ${duration})`);
    const cpu0 = cpuSnapshot(storePids);
    const elu0 = performance.eventLoopUtilization();
    const { code, summary } = await runK6(k6.bin, k6Script, vars(layers, file, duration), `${layers} #${round}`);
    const cpu1 = cpuSnapshot(storePids);
    const elu = performance.eventLoopUtilization(elu0);
    if (!summary) throw new Error(`k6 exited with ${code} and wrote no summary (round ${round}, ${layers})`);
    results.push(roundOf(round, layers, code, summary, [cpu0, cpu1], elu));
    if (code !== 0) {
      console.error(`k6 exited with ${code} (round ${round}, ${layers}): thresholds crossed or checks failed`);
      exitCode = 1;
    }
  }
  const loadAfter = loadavg()[0]!;

  // ------------------------------------------------------------------ report
  const comparison = compareSides(results, rounds);
  if (comparison.tooManyErrors) exitCode = 1;
  const settings: GatewayBenchSettings = {
    rounds,
    duration,
    warmup,
    vus,
    people: peopleCount,
    logLevel,
    nodeEnv: env["NODE_ENV"] ?? null,
    k6Version: k6.version,
  };
  const run = { settings, results, comparison, load: [loadBefore, loadAfter] as [number, number], passed: exitCode === 0 };
  const result = gatewayResult(run);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "gateway-throughput.json"), `${JSON.stringify(result, null, 2)}\n`);
  const summary = gatewayMarkdown(result, run);
  writeFileSync(join(resultsDir, "gateway-throughput.md"), summary);
  console.log(`\n${summary}`);
  if (exitCode) console.error("FAILED: k6 reported failures or the error rate is above 1 %.");
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);
