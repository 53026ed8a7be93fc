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
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createLogger } from "@intelgraph/kit";
import { createAllInOne, type AllInOnePlatform } from "@intelgraph/gateway";
import { runAbRounds } from "./gateway/abRounds.ts";
import { compareSides } from "./gateway/compareSides.ts";
import { gatewayMarkdown, gatewayResult, type GatewayBenchSettings } from "./gateway/gatewayReport.ts";
import type { Layers } from "./gateway/roundStats.ts";
import { checkSecuritySwitch, seedPeople } from "./gateway/seedAndCheck.ts";
import { benchConfig, benchSettings, benchTenant, interruptK6, k6Binary, removeBenchData, resultsDir, unlimitedRateLimits } from "./lib.ts";

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

  // Warm-up passes, then ABBA rounds (gateway/abRounds.ts).
  const { results, k6Failed, load } = await runAbRounds({
    k6,
    k6Script,
    tmp,
    rounds,
    warmup,
    duration,
    vus,
    label: "security layers",
    vars,
    interrupted: () => interrupted,
  });
  if (k6Failed) exitCode = 1;

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
  const run = { settings, results, comparison, load, passed: exitCode === 0 };
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
