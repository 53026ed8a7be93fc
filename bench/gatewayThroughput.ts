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
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { performance, type EventLoopUtilization } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createLogger } from "@intelgraph/kit";
import { ARMOR_LIMITS, connectStores, createAllInOne, type AllInOneOptions, type AllInOnePlatform } from "@intelgraph/gateway";
import { startStores, storesStatus } from "../scripts/stores.mjs";

type Layers = "on" | "off";

const env = process.env;
const rounds = Number(env["ROUNDS"] ?? 6);
const duration = env["DURATION"] ?? "10s";
const warmup = env["WARMUP"] ?? "5s";
const vus = Number(env["VUS"] ?? 8);
const peopleCount = Number(env["PEOPLE"] ?? 200);
const logLevel = env["LOG_LEVEL"] ?? "warn";
const TARGET_RATIO = 0.9;
/** One more alias than armor allows: refused only when the layers are on. */
const ARMOR_PROBE_ALIASES = ARMOR_LIMITS.maxAliases.n + 1;
const MAX_ERROR_RATE = 0.01;
if (!(rounds >= 2)) throw new Error("ROUNDS must be at least 2 (rounds per side)");

const root = fileURLToPath(new URL("../", import.meta.url));
const k6Script = fileURLToPath(new URL("./k6/gatewayThroughput.js", import.meta.url));
if (env["NODE_ENV"] !== "production") {
  console.warn("NODE_ENV is not production (run it with `pnpm bench:gateway`): libraries keep their development checks on.");
}

// ------------------------------------------------------------------ helpers

async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  return { status: res.status, headers: res.headers, ...body };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round2 = (x: number) => Math.round(x * 100) / 100;
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** CPU time (ms) so far of this process, of its reaped children (k6), of the stores and of the whole machine (Linux /proc). */
interface CpuSnapshot {
  at: number;
  node: number;
  k6: number | null;
  stores: number | null;
  machine: number | null;
}
const ticksToMs = 1000 / Number(tryRun(() => execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) ?? 100);
function tryRun<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}
/** utime, stime, cutime, cstime of a process, in ms. */
function procTimes(pid: number | "self"): number[] | null {
  return tryRun(() => {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields.slice(11, 15).map((t) => Number(t) * ticksToMs);
  });
}
function cpuSnapshot(storePids: number[]): CpuSnapshot {
  const usage = process.cpuUsage();
  const self = procTimes("self");
  const stores = storePids.map((pid) => procTimes(pid));
  const machine = tryRun(() => {
    // cpu  user nice system idle iowait irq softirq steal …: busy = all but idle, iowait and steal.
    const [user, nice, system, , , irq, softirq] = readFileSync("/proc/stat", "utf8")
      .split("\n")[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return (user! + nice! + system! + irq! + softirq!) * ticksToMs;
  });
  return {
    at: performance.now(),
    node: (usage.user + usage.system) / 1000,
    k6: self ? self[2]! + self[3]! : null,
    stores: stores.length && stores.every(Boolean) ? stores.reduce((a, t) => a + t![0]! + t![1]!, 0) : null,
    machine,
  };
}
function cpuPerRequest(a: CpuSnapshot, b: CpuSnapshot, requests: number) {
  const per = (x: number | null, y: number | null) => (x === null || y === null || !requests ? null : round4((y - x) / requests));
  const node = per(a.node, b.node)!;
  const k6 = per(a.k6, b.k6);
  const stores = per(a.stores, b.stores);
  const machine = per(a.machine, b.machine);
  const other = machine !== null && k6 !== null && stores !== null ? round4(machine - node - k6 - stores) : null;
  return { node, k6, stores, machine, other };
}

let child: ChildProcess | undefined;

/** Runs k6 as a child (never synchronously: this process serves the requests) and returns its summary. */
function runK6(k6: string, vars: Record<string, string>, label: string): Promise<{ code: number; summary: K6Summary | null }> {
  const args = ["run", "--quiet", "--no-color", "--no-usage-report"];
  for (const [k, v] of Object.entries(vars)) args.push("-e", `${k}=${v}`);
  args.push(k6Script);
  return new Promise((resolve, reject) => {
    const proc = spawn(k6, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...env, K6_NO_USAGE_REPORT: "true" } });
    child = proc;
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) console.log(`  [k6 ${label}] ${line}`);
    };
    proc.stdout!.on("data", relay);
    proc.stderr!.on("data", relay);
    proc.once("error", reject);
    proc.once("exit", (code, signal) => {
      child = undefined;
      const file = vars["SUMMARY"];
      const summary = file && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as K6Summary) : null;
      resolve({ code: code ?? (signal ? 128 : 1), summary });
    });
  });
}

interface K6Summary {
  state: { testRunDurationMs: number };
  metrics: Record<string, { values: Record<string, number> } | undefined>;
}

interface Round {
  round: number;
  layers: Layers;
  k6ExitCode: number;
  durationS: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { avg: number; p50: number; p90: number; p95: number; p99: number; max: number };
  p95ByQueryMs: Record<string, number>;
  failedRequests: number;
  errorRate: number;
  /** Answers whose RateLimit-* headers did not match the side under test (must be 0). */
  layerMismatchRate: number;
  /** CPU time of this Node process (gateway + subgraphs) per request, ms. */
  nodeCpuMsPerRequest: number;
  /**
   * CPU ms per request by whom: this Node process, k6, the stores (Neo4j +
   * FerretDB), the whole machine, and everything else on it (other work on the
   * shared machine). Null where /proc is not available or the stores are external.
   */
  cpuMsPerRequest: ReturnType<typeof cpuPerRequest>;
  /** Share of wall time this process's event loop was busy (1 = saturated). */
  eventLoopUtilization: number;
}

function roundOf(n: number, layers: Layers, code: number, s: K6Summary, cpu: [CpuSnapshot, CpuSnapshot], elu: EventLoopUtilization): Round {
  const m = (name: string) => s.metrics[name]?.values ?? {};
  const d = m("http_req_duration");
  const requests = m("http_reqs")["count"] ?? 0;
  const durationS = s.state.testRunDurationMs / 1000;
  const failedRequests = m("failed_requests")["count"] ?? 0;
  return {
    round: n,
    layers,
    k6ExitCode: code,
    durationS: round2(durationS),
    requests,
    requestsPerSecond: round2(requests / durationS),
    latencyMs: {
      avg: round2(d["avg"] ?? NaN),
      p50: round2(d["med"] ?? NaN),
      p90: round2(d["p(90)"] ?? NaN),
      p95: round2(d["p(95)"] ?? NaN),
      p99: round2(d["p(99)"] ?? NaN),
      max: round2(d["max"] ?? NaN),
    },
    p95ByQueryMs: Object.fromEntries(
      ["peoplePage", "me", "personByName"].map((q) => [q, round2(m(`http_req_duration{query:${q}}`)["p(95)"] ?? NaN)]),
    ),
    failedRequests,
    errorRate: round4(requests ? failedRequests / requests : 1),
    layerMismatchRate: round4(m("layer_mismatch")["rate"] ?? NaN),
    nodeCpuMsPerRequest: round4(requests ? (cpu[1].node - cpu[0].node) / requests : NaN),
    cpuMsPerRequest: cpuPerRequest(cpu[0], cpu[1], requests),
    eventLoopUtilization: round4(elu.utilization),
  };
}

function aggregate(rs: Round[]) {
  const requests = rs.reduce((a, r) => a + r.requests, 0);
  const seconds = rs.reduce((a, r) => a + r.durationS, 0);
  const failed = rs.reduce((a, r) => a + r.failedRequests, 0);
  const cpu = rs.reduce((a, r) => a + r.nodeCpuMsPerRequest * r.requests, 0);
  return {
    rounds: rs.length,
    requests,
    /** Pooled: all requests over all measured seconds. */
    requestsPerSecond: round2(requests / seconds),
    /** Median over rounds of each round's percentile (k6 summaries cannot be merged exactly). */
    latencyMs: {
      p50: round2(median(rs.map((r) => r.latencyMs.p50))),
      p95: round2(median(rs.map((r) => r.latencyMs.p95))),
      p99: round2(median(rs.map((r) => r.latencyMs.p99))),
    },
    errorRate: round4(requests ? failed / requests : 1),
    failedRequests: failed,
    nodeCpuMsPerRequest: round4(cpu / requests),
    /** Request-weighted over rounds. */
    cpuMsPerRequest: Object.fromEntries(
      (["node", "k6", "stores", "machine", "other"] as const).map((k) => [
        k,
        rs.every((r) => r.cpuMsPerRequest[k] !== null)
          ? round4(rs.reduce((a, r) => a + r.cpuMsPerRequest[k]! * r.requests, 0) / requests)
          : null,
      ]),
    ) as Record<"node" | "k6" | "stores" | "machine" | "other", number | null>,
    eventLoopUtilization: round4(median(rs.map((r) => r.eventLoopUtilization))),
  };
}

// -------------------------------------------------------------------- setup

const k6 =
  env["K6_BIN"] ??
  execFileSync("bash", [join(root, "scripts/tools/k6.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
const k6Version = execFileSync(k6, ["version"], { encoding: "utf8" }).split("\n")[0]!.trim();

console.log("Starting the stores (left running afterwards)…");
const stores = await startStores({ quiet: true });
const secret = () => randomBytes(32).toString("base64url");
const config: AllInOneOptions["config"] = {
  ...stores,
  NEO4J_DATABASE: "neo4j",
  MONGODB_DB: `bench_gw_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`,
  PRINCIPAL_SIGNING_KEY: secret(),
  SESSION_JWT_SECRET: secret(),
  SESSION_TTL_SECONDS: 86_400,
  CONNECTOR_SECRET_KEY: secret(),
  PUBSUB: "memory",
  NODE_ENV: "production",
  HOST: "127.0.0.1",
};
// Large enough never to refuse, small enough to stay a real token bucket.
const unlimited = { ratePerSecond: 1e6, burst: 1e6 };
const rateLimits = { FREE: unlimited, TEAM: unlimited, ENTERPRISE: unlimited, anonymous: unlimited, address: unlimited };

const logger = createLogger({ name: "bench-gateway", level: logLevel });
const platforms: Partial<Record<Layers, AllInOnePlatform>> = {};
let tenantId: string | undefined;
const tmp = mkdtempSync(join(tmpdir(), "bench-gw-"));
let exitCode = 0;
let interrupted = false;

async function cleanUp() {
  child?.kill("SIGINT");
  await Promise.allSettled(Object.values(platforms).map((p) => p.stop()));
  // The usage recorders flush on stop, so the data goes last, through a connection of our own.
  const own = await connectStores(config).catch(() => undefined);
  if (own) {
    const session = own.driver.session();
    try {
      if (tenantId) await session.run("MATCH (n:Person { tenantId: $id }) DETACH DELETE n", { id: tenantId });
      await own.mongo.db.dropDatabase();
    } finally {
      await session.close();
      await own.close();
    }
  }
  rmSync(tmp, { recursive: true, force: true });
}
process.once("SIGINT", () => {
  interrupted = true;
  child?.kill("SIGINT");
});

try {
  const t0 = performance.now();
  for (const layers of ["on", "off"] as const) {
    platforms[layers] = await createAllInOne({
      config,
      logger: logger.child({ layers }),
      port: 0,
      securityLayers: layers,
      ...(layers === "on" ? { rateLimits } : {}),
    });
  }
  const on = platforms.on!;
  const off = platforms.off!;
  console.log(`Platforms up in ${((performance.now() - t0) / 1000).toFixed(1)} s: on ${on.url}, off ${off.url}`);

  // One tenant, one admin, one session: valid on both (same secrets, same database).
  const suffix = randomBytes(4).toString("hex");
  const email = `admin@bench-${suffix}.test`;
  const password = `pw-${secret()}`;
  const { tenant } = await on.governance.ensureTenantWithAdmin({
    tenant: { name: "Bench", slug: `bench-${suffix}`, region: "eu-west-1", plan: "ENTERPRISE" },
    admin: { email, password, displayName: "Bench admin" },
  });
  tenantId = tenant._id;
  const login = await gql<{ login: { token: string } }>(
    on.url,
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
    {
      e: email,
      p: password,
    },
  );
  const token = login.data?.login.token;
  if (!token) throw new Error(`login failed: ${JSON.stringify(login.errors)}`);

  const names = Array.from({ length: peopleCount }, (_, i) => `Bench Person ${String(i).padStart(4, "0")}`);
  for (let i = 0; i < names.length; i += 50) {
    const input = names.slice(i, i + 50).map((name, j) => ({ name, email: `p${i + j}@bench.test`, source: "bench" }));
    const created = await gql(
      on.url,
      `mutation($input: [PersonCreateInput!]!) { createPeople(input: $input) { people { id } } }`,
      { input },
      token,
    );
    if (created.errors) throw new Error(`createPeople failed: ${JSON.stringify(created.errors)}`);
  }

  // The switch must really differ: same session works on both; armor refuses too many aliases only when on.
  const aliases = `{ ${Array.from({ length: ARMOR_PROBE_ALIASES }, (_, i) => `a${i}: me { email }`).join(" ")} }`;
  for (const [layers, p] of [
    ["on", on],
    ["off", off],
  ] as const) {
    const me = await gql<{ me: { email: string } | null }>(p.url, `{ me { email } }`, {}, token);
    if (me.data?.me?.email !== email) throw new Error(`${layers}: the session does not work: ${JSON.stringify(me)}`);
    const probe = await gql(p.url, aliases, {}, token);
    const refused = Boolean(probe.errors?.length);
    if (refused !== (layers === "on")) {
      throw new Error(
        `securityLayers "${layers}" did not take effect: ${ARMOR_PROBE_ALIASES} aliases were ${refused ? "refused" : "accepted"}`,
      );
    }
  }
  console.log(`Seeded ${peopleCount} people in tenant ${tenant.slug}; armor refuses on "on" only. k6: ${k6Version}`);

  const vars = (layers: Layers, summary: string, dur: string) => ({
    URL: platforms[layers]!.url,
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
      await runK6(k6, vars(layers, join(tmp, `warmup-${layers}.json`), warmup), `warm-up ${layers}`);
    }
  }

  // ABBA order (on off, off on, on off, …): a drift in the machine's speed falls on both sides alike.
  const order: Array<{ round: number; layers: Layers }> = [];
  for (let r = 1; r <= rounds; r++) {
    const pair: Layers[] = r % 2 ? ["on", "off"] : ["off", "on"];
    for (const layers of pair) order.push({ round: r, layers });
  }
  const results: Round[] = [];
  const storePids = Object.values(await storesStatus()).flatMap((st) => (st.state === "running" && st.pid ? [st.pid] : []));
  const loadBefore = loadavg();
  for (const { round, layers } of order) {
    if (interrupted) throw new Error("interrupted");
    const file = join(tmp, `round-${round}-${layers}.json`);
    console.log(`Round ${round}, security layers ${layers} (${vus} VUs, ${duration})`);
    const cpu0 = cpuSnapshot(storePids);
    const elu0 = performance.eventLoopUtilization();
    const { code, summary } = await runK6(k6, vars(layers, file, duration), `${layers} #${round}`);
    const cpu1 = cpuSnapshot(storePids);
    const elu = performance.eventLoopUtilization(elu0);
    if (!summary) throw new Error(`k6 exited with ${code} and wrote no summary (round ${round}, ${layers})`);
    results.push(roundOf(round, layers, code, summary, [cpu0, cpu1], elu));
    if (code !== 0) {
      console.error(`k6 exited with ${code} (round ${round}, ${layers}): thresholds crossed or checks failed`);
      exitCode = 1;
    }
  }
  const loadAfter = loadavg();

  // ------------------------------------------------------------------ report
  const onAgg = aggregate(results.filter((r) => r.layers === "on"));
  const offAgg = aggregate(results.filter((r) => r.layers === "off"));
  const throughputRatio = round4(onAgg.requestsPerSecond / offAgg.requestsPerSecond);
  const pairRatios = Array.from({ length: rounds }, (_, i) => {
    const a = results.find((r) => r.round === i + 1 && r.layers === "on")!;
    const b = results.find((r) => r.round === i + 1 && r.layers === "off")!;
    return round4(a.requestsPerSecond / b.requestsPerSecond);
  });
  // k6 does the same work per request on both sides and nothing else uses it, so
  // its CPU time per request measures how fast the shared VM was during each side
  // (it swings by up to 25 % between rounds, for every process alike; the stores
  // are no speedometer: other work on the machine may use them). speed > 1: slower during "on".
  const k6Cpu = (side: Layers, round?: number) => {
    const rs = results.filter((r) => r.layers === side && (round === undefined || r.round === round));
    return rs.every((r) => r.cpuMsPerRequest.k6 !== null)
      ? rs.reduce((a, r) => a + r.cpuMsPerRequest.k6! * r.requests, 0) / rs.reduce((a, r) => a + r.requests, 0)
      : null;
  };
  const speedOf = (round?: number) => {
    const a = k6Cpu("on", round);
    const b = k6Cpu("off", round);
    return a && b ? a / b : null;
  };
  const speed = speedOf();
  const nodeRatio = onAgg.nodeCpuMsPerRequest / offAgg.nodeCpuMsPerRequest;
  const speedCorrected = speed
    ? {
        slowdownDuringOn: round4(speed),
        throughputOnOverOff: round4(throughputRatio * speed),
        throughputOnOverOffPerRound: pairRatios.map((r, i) => round4(r * (speedOf(i + 1) ?? NaN))),
        nodeCpuPerRequestOnOverOff: round4(nodeRatio / speed),
      }
    : null;
  const spread = [Math.min(...pairRatios), Math.max(...pairRatios)] as const;
  if (onAgg.errorRate > MAX_ERROR_RATE || offAgg.errorRate > MAX_ERROR_RATE) exitCode = 1;

  const result = {
    when: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      kernel: release(),
      node: process.version,
      k6: k6Version,
      loadAverage1mBeforeAfter: [round2(loadBefore[0]!), round2(loadAfter[0]!)],
    },
    setup: {
      process: "one Node process: both platforms (gateway + six subgraphs each, in-process transports), same stores and database",
      nodeEnv: env["NODE_ENV"] ?? null,
      logLevel,
      vus,
      durationPerRound: duration,
      warmupPerSide: `2 × ${warmup}, alternating`,
      roundsPerSide: rounds,
      order: "ABBA: on off, off on, on off, …",
      people: peopleCount,
      mix: { peoplePage: 0.5, me: 0.25, personByName: 0.25 },
      on: "graphql-shield in subgraphs; graphql-armor, token limit and rate limiter in the gateway (limits 1e6/s per plan: exercised, never refusing)",
      off: "createAllInOne({ securityLayers: 'off' }): none of the above; session authentication and tenant scoping stay",
    },
    unit: { latency: "ms", throughput: "requests/s" },
    rounds: results,
    aggregate: { on: onAgg, off: offAgg },
    ratios: {
      throughputOnOverOff: throughputRatio,
      throughputOnOverOffPerRound: pairRatios,
      p95OnOverOff: round4(onAgg.latencyMs.p95 / offAgg.latencyMs.p95),
      nodeCpuPerRequestOnOverOff: round4(nodeRatio),
      /**
       * Diagnostic, not the target: the same ratios with the machine's speed taken
       * out, using k6's CPU time per request (identical work on both sides) as
       * the speedometer. Null without /proc.
       */
      speedCorrected,
    },
    target: {
      statement: "the gateway with auth, shield and limits keeps >= 90% of the throughput of a bare gateway on the same supergraph",
      minThroughputRatio: TARGET_RATIO,
      /** Judged on the measured (uncorrected) pooled throughput ratio. */
      met: throughputRatio >= TARGET_RATIO,
      /** False when the per-round ratios fall on both sides of the target: re-run before concluding. */
      conclusive: spread[0] >= TARGET_RATIO || spread[1] < TARGET_RATIO,
      metSpeedCorrected: speedCorrected ? speedCorrected.throughputOnOverOff >= TARGET_RATIO : null,
    },
    passed: exitCode === 0,
  };

  const dir = new URL("./results/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL("gateway-throughput.json", dir), `${JSON.stringify(result, null, 2)}\n`);
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  const ms = (x: number | null) => (x === null ? "n/a" : x.toFixed(2));
  const cpuRow = (name: string, a: ReturnType<typeof aggregate>) => {
    const c = a.cpuMsPerRequest;
    return `| ${name} | ${ms(c.node)} | ${ms(c.k6)} | ${ms(c.stores)} | ${ms(c.other)} | ${ms(c.machine)} |`;
  };
  const row = (name: string, a: ReturnType<typeof aggregate>) =>
    `| ${name} | ${a.requestsPerSecond.toFixed(1)} | ${a.latencyMs.p50.toFixed(1)} | ${a.latencyMs.p95.toFixed(1)} | ${a.latencyMs.p99.toFixed(1)} | ${pct(a.errorRate)} | ${a.nodeCpuMsPerRequest.toFixed(2)} | ${a.eventLoopUtilization.toFixed(2)} | ${a.requests} |`;
  const summary = `# Gateway throughput, security layers on vs off (${result.when})

Machine: ${result.machine.cpus} cores (${result.machine.cpuModel}), ${result.machine.memoryGiB} GiB, Node ${result.machine.node}, ${k6Version}; load average ${result.machine.loadAverage1mBeforeAfter.join(" → ")}. Noisy shared 2-core machine: compare ratios within this run, not absolutes across runs. k6, both platforms, Neo4j and FerretDB all share the 2 cores.

Same supergraph, stores, database, tenant and session token; ${vus} VUs, no think time, ${rounds} rounds of ${duration} per side in ABBA order after a warm-up of 2 × ${warmup} per side, alternating. Mix: 50 % \`people(limit: 20, offset, sort)\`, 25 % \`me { email tenant { name } }\`, 25 % \`people(where: { name: { eq } })\`, over ${peopleCount} people. Every response is checked for HTTP 200, no \`errors\` and the expected data.

- **on**: graphql-shield in the subgraphs; graphql-armor, the token limit and the rate limiter in the gateway. The rate limits are set to 1e6 requests/s per plan, so the limiter runs on every request (and its headers are checked) but never refuses.
- **off**: \`createAllInOne({ securityLayers: "off" })\`: none of those. Session authentication and tenant scoping stay.

| layers | requests/s | p50 ms | p95 ms | p99 ms | errors | Node CPU ms/request | event loop busy | requests |
| ------ | ---------: | -----: | -----: | -----: | -----: | ------------------: | --------------: | -------: |
${row("on", onAgg)}
${row("off", offAgg)}

CPU time per request (ms) by process, request-weighted over rounds ("else" is other work on the shared machine):

| layers | this process (gateways + subgraphs) | k6 | Neo4j + FerretDB | else | whole machine |
| ------ | ----------------------------------: | -: | ---------------: | ---: | ------------: |
${cpuRow("on", onAgg)}
${cpuRow("off", offAgg)}

- throughput on/off: **${throughputRatio.toFixed(3)}** (per round: ${pairRatios.map((r) => r.toFixed(3)).join(", ")})
- p95 on/off: ${result.ratios.p95OnOverOff.toFixed(3)}; this process's CPU per request on/off: ${nodeRatio.toFixed(3)}
- target (on keeps ≥ ${TARGET_RATIO * 100} % of off's throughput): **${result.target.met ? "met" : "NOT met"}**${result.target.conclusive ? "" : ` — inconclusive: the per-round ratios (${spread[0].toFixed(3)}–${spread[1].toFixed(3)}) straddle ${TARGET_RATIO}`}
${
  speedCorrected
    ? `- machine speed: k6, doing the same work per request on both sides, used ${speedCorrected.slowdownDuringOn.toFixed(3)}× the CPU per request during "on" rounds, i.e. the shared VM ran ${speed! >= 1 ? `${pct(speed! - 1)} slower during "on"` : `${pct(1 / speed! - 1)} slower during "off"`}. Taking that out (diagnostic, not the target): throughput on/off ${speedCorrected.throughputOnOverOff.toFixed(3)} (per round: ${speedCorrected.throughputOnOverOffPerRound.map((r) => r.toFixed(3)).join(", ")}), this process's CPU per request on/off ${speedCorrected.nodeCpuPerRequestOnOverOff.toFixed(3)}, i.e. the layers cost about ${pct(speedCorrected.nodeCpuPerRequestOnOverOff - 1)} of the gateway process's CPU per request.`
    : "- machine speed: not measured (no /proc)."
}
- requests/s pooled over rounds; percentiles are the median of the rounds' percentiles; CPU from /proc (10 ms ticks, so "else" can read slightly negative).

| round | layers | requests/s | p50 ms | p95 ms | p99 ms | errors | Node CPU ms/request |
| ----: | ------ | ---------: | -----: | -----: | -----: | -----: | ------------------: |
${results.map((r) => `| ${r.round} | ${r.layers} | ${r.requestsPerSecond.toFixed(1)} | ${r.latencyMs.p50.toFixed(1)} | ${r.latencyMs.p95.toFixed(1)} | ${r.latencyMs.p99.toFixed(1)} | ${pct(r.errorRate)} | ${r.nodeCpuMsPerRequest.toFixed(2)} |`).join("\n")}
`;
  writeFileSync(new URL("gateway-throughput.md", dir), summary);
  console.log(`\n${summary}`);
  if (exitCode) console.error("FAILED: k6 reported failures or the error rate is above 1 %.");
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);
