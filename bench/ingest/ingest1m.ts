/**
 * ingest-1m: one million generated threat events (bench/ingest/generateEvents.ts:
 * deterministic, ~15 % re-mentions spelt differently, ~0.3 % bad records)
 * uploaded through the gateway's signed upload URL and ingested by an ingest
 * worker in its own process, the way production scales ingest; then the graph
 * and the dead-letter store are counted against the generator's exact summary:
 * zero loss means every entity and relationship is there exactly once and every
 * bad record is dead-lettered.
 *
 * Reports events/s (upload done → job done, and whole job), the worker
 * process's peak RSS (VmHWM) and RSS over time, batch latency p50/p95/max as
 * the worker measured it, the DLQ share, and CPU time of the worker, the
 * platform process and the stores, as bench/results/ingest-1m.{json,md}.
 * Exits 1 when the job fails or the counts do not match.
 *
 *   pnpm bench:ingest        EVENTS=1000000 SEED=42 BATCH=1000 IN_FLIGHT=1 KEEP=0 LOG_LEVEL=warn
 *
 * The generated file is cached under .cache/bench/ (about 225 MB for 1M
 * events). The tenant's nodes and the Mongo database are removed afterwards
 * unless KEEP=1.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "@intelgraph/kit";
import { connectStores, createAllInOne, type AllInOnePlatform } from "@intelgraph/gateway";
import {
  approvedJob,
  benchConfig,
  benchSettings,
  benchTenant,
  cpuSeconds,
  gql,
  machine,
  machineLine,
  memory,
  mib,
  removeBenchData,
  resultsDir,
  root,
  round1,
  runningStorePids,
  uploadFile,
} from "../lib.ts";
import { cachedEvents } from "./cachedEvents.ts";
import { BENCH_MAPPING } from "./generateEvents.ts";

const {
  EVENTS: events,
  SEED: seed,
  BATCH: batchSize,
  IN_FLIGHT: inFlight,
  KEEP: keep,
  LOG_LEVEL: logLevel,
} = benchSettings({ EVENTS: 1_000_000, SEED: 42, BATCH: 1000, IN_FLIGHT: 1, KEEP: false, LOG_LEVEL: "warn" });
const name = events === 1_000_000 ? "ingest-1m" : `ingest-${events}`;

// -------------------------------------------------------------------- input

const { file, summary: expected, seconds: generatedIn } = await cachedEvents(events, seed);
if (generatedIn === null) console.log(`Events: ${file} (cached, ${mib(expected.bytes)} MiB)`);
else console.log(`Events: generated ${events} into ${file} (${mib(expected.bytes)} MiB) in ${generatedIn.toFixed(1)} s`);

// -------------------------------------------------------------------- setup

console.log("Starting the stores (left running afterwards)…");
// Workers run apart (below), as when ingest is scaled on its own.
const config = { ...(await benchConfig("bench_ingest")), INGEST_WORKER: false };
const logger = createLogger({ name: "bench-ingest", level: logLevel });
let platform: AllInOnePlatform | undefined;
let worker: ChildProcess | undefined;
let tenantId: string | undefined;
let exitCode = 0;

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "gateway/src/main.ts", "--service", "ingest-worker"], {
    cwd: root,
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(config).map(([k, v]) => [k, String(v)])),
      INGEST_BATCH_SIZE: String(batchSize),
      INGEST_MAX_IN_FLIGHT: String(inFlight),
      LOG_LEVEL: logLevel,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  child.on("exit", (code, signal) => {
    if (code !== 0 && signal !== "SIGTERM" && signal !== "SIGINT") console.error(`ingest worker exited (${code ?? signal})`);
  });
  return child;
}

async function cleanUp() {
  if (worker && worker.exitCode === null) {
    worker.kill("SIGTERM");
    await new Promise((r) => worker!.once("exit", r));
  }
  await platform?.stop();
  if (keep) {
    console.log(`KEEP=1: tenant ${tenantId} and Mongo database ${config.MONGODB_DB} left in place`);
    return;
  }
  await removeBenchData(config, tenantId);
}

interface Sample {
  t: number;
  recordsDone: number;
  rssMiB: number | null;
}

try {
  platform = await createAllInOne({ config, logger, port: 0 });
  const tenant = await benchTenant(platform, "bench-ingest");
  tenantId = tenant.tenantId;
  const token = tenant.token;
  const job = await approvedJob(platform.url, token, BENCH_MAPPING, `events-${events}.ndjson`);

  // The upload streams from disk to GridFS through the gateway; no worker yet, so it is timed alone.
  const uploadStarted = performance.now();
  await uploadFile(platform.url, job.uploadPath, file);
  const uploadSeconds = (performance.now() - uploadStarted) / 1000;
  console.log(`Uploaded ${mib(expected.bytes)} MiB in ${uploadSeconds.toFixed(1)} s; starting the worker`);

  const storePids = await runningStorePids();
  const storesCpu0 = Object.fromEntries(storePids.map(([store, pid]) => [store, cpuSeconds(pid) ?? 0]));
  const selfCpu0 = cpuSeconds("self") ?? 0;
  const loadAverageBefore = machine().loadAverage;
  const started = performance.now();
  worker = startWorker();
  const samples: Sample[] = [];
  let state = "QUEUED";
  let last: Record<string, any> = {};
  let workerCpu = 0;
  let peakRss = 0;
  let lastLog = 0;
  while (!["SUCCEEDED", "FAILED", "CANCELLED"].includes(state)) {
    await new Promise((r) => setTimeout(r, 1000));
    if (worker.exitCode !== null) throw new Error(`the ingest worker exited (${worker.exitCode}) before the job ended`);
    const mem = memory(worker.pid!);
    workerCpu = cpuSeconds(worker.pid!) ?? workerCpu;
    peakRss = Math.max(peakRss, mem?.peak ?? 0);
    const { ingestJob } = await gql<{ ingestJob: Record<string, any> }>(
      platform.url,
      `query($id: ID!) { ingestJob(id: $id) { state error attempts
        totals { recordsRead recordsWritten deadLettered skipped entitiesCreated entitiesMerged relationshipsWritten }
        progress { recordsDone bytesRead bytesTotal fraction ratePerSecond etaSeconds } } }`,
      { id: job.jobId },
      token,
    );
    last = ingestJob;
    state = ingestJob["state"];
    const t = (performance.now() - started) / 1000;
    samples.push({ t: round1(t), recordsDone: ingestJob["progress"]["recordsDone"], rssMiB: mem ? round1(mem.rss) : null });
    if (t - lastLog >= 15) {
      lastLog = t;
      const p = ingestJob["progress"];
      console.log(
        `  ${t.toFixed(0)} s: ${state} ${p.recordsDone} records (${((p.fraction ?? 0) * 100).toFixed(1)} %), ${Math.round(p.ratePerSecond ?? 0)}/s, ETA ${p.etaSeconds === null ? "?" : Math.round(p.etaSeconds)} s, worker RSS ${mem ? Math.round(mem.rss) : "?"} MiB`,
      );
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const finalMem = memory(worker.pid!);
  peakRss = Math.max(peakRss, finalMem?.peak ?? 0);
  workerCpu = cpuSeconds(worker.pid!) ?? workerCpu;
  const storesCpu = Object.fromEntries(storePids.map(([store, pid]) => [store, round1((cpuSeconds(pid) ?? 0) - storesCpu0[store]!)]));
  const selfCpu = (cpuSeconds("self") ?? 0) - selfCpu0;
  if (state !== "SUCCEEDED") throw new Error(`job ended ${state}: ${last["error"]}`);

  // ------------------------------------------------------------ zero-loss check
  const own = await connectStores(config);
  const session = own.driver.session();
  const counted: { entities: Record<string, number>; relationships: Record<string, number>; deadLetters: number } = {
    entities: {},
    relationships: {},
    deadLetters: 0,
  };
  let stored: Record<string, any> | null;
  try {
    for (const label of Object.keys(expected.entities)) {
      const r = await session.run(`MATCH (n:${label} { tenantId: $t }) RETURN count(n) AS c`, { t: tenantId });
      counted.entities[label] = Number(r.records[0]!.get("c"));
    }
    for (const type of Object.keys(expected.relationships)) {
      const r = await session.run(`MATCH (a { tenantId: $t })-[r:${type}]->() RETURN count(r) AS c`, { t: tenantId });
      counted.relationships[type] = Number(r.records[0]!.get("c"));
    }
    counted.deadLetters = await own.mongo.db.collection("ingest_dead_letters").countDocuments({ tenantId, jobId: job.jobId });
    stored = await own.mongo.db.collection("ingest_jobs").findOne({ _id: job.jobId as never });
  } finally {
    await session.close();
    await own.close();
  }
  const totals = last["totals"];
  const checks = [
    ...Object.entries(expected.entities).map(([k, v]) => ({ what: `${k} nodes`, expected: v, actual: counted.entities[k] })),
    ...Object.entries(expected.relationships).map(([k, v]) => ({
      what: `${k} relationships`,
      expected: v,
      actual: counted.relationships[k],
    })),
    { what: "dead letters in the DLQ", expected: expected.badRecords, actual: counted.deadLetters },
    { what: "records read (job totals)", expected: expected.events, actual: totals.recordsRead },
    { what: "records written (job totals)", expected: expected.events - expected.badRecords, actual: totals.recordsWritten },
    { what: "dead-lettered (job totals)", expected: expected.badRecords, actual: totals.deadLettered },
  ].map((c) => ({ ...c, ok: c.expected === c.actual }));
  const zeroLoss = checks.every((c) => c.ok);
  if (!zeroLoss) exitCode = 1;

  const latency = (stored?.["batchLatencyMs"] ?? {}) as { p50?: number; p95?: number; max?: number; batches?: number };
  const result = {
    bench: name,
    at: new Date().toISOString(),
    machine: { ...machine(), loadAverageBefore },
    settings: {
      events,
      seed,
      batchSize,
      maxInFlight: inFlight,
      workerProcess: "gateway/src/main.ts --service ingest-worker",
      NODE_ENV: "production",
    },
    input: { bytes: expected.bytes, sha256: expected.sha256, badRecords: expected.badRecords },
    uploadSeconds: round1(uploadSeconds),
    uploadMiBPerSecond: round1(mib(expected.bytes) / uploadSeconds),
    jobSeconds: round1(seconds),
    eventsPerSecond: Math.round(events / seconds),
    workerPeakRssMiB: round1(peakRss),
    batchLatencyMs: { p50: latency.p50, p95: latency.p95, max: latency.max, batches: latency.batches },
    dlqShare: Math.round((counted.deadLetters / events) * 1e5) / 1e5,
    totals,
    cpuSeconds: { worker: round1(workerCpu), platform: round1(selfCpu), ...storesCpu, wall: round1(seconds) },
    zeroLoss,
    checks,
    samples: samples.filter((_, i) => i % 5 === 0 || i === samples.length - 1),
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.json`), JSON.stringify(result, null, 2) + "\n");
  const rows = checks.map((c) => `| ${c.what} | ${c.expected} | ${c.actual} | ${c.ok ? "yes" : "**NO**"} |`).join("\n");
  const md = `# ${name}

Run ${result.at} on ${machineLine(result.machine)}
(load average ${loadAverageBefore.join(" / ")} before, ${result.machine.loadAverage.join(" / ")} after). Neo4j, FerretDB, the platform
process and the worker process all share these cores: figures are for this machine, compare runs with care.

${events.toLocaleString("en")} events (seed ${seed}, ${mib(expected.bytes)} MiB NDJSON, ${expected.badRecords} bad), batches of ${batchSize}, ${inFlight} in flight,
one ingest worker in its own process.

| measure | value |
| --- | --- |
| ingest rate (worker start → job SUCCEEDED) | **${result.eventsPerSecond.toLocaleString("en")} events/s** (${result.jobSeconds} s) |
| worker peak RSS (VmHWM) | **${result.workerPeakRssMiB} MiB** |
| batch latency p50 / p95 / max | ${latency.p50?.toFixed(0)} / **${latency.p95?.toFixed(0)}** / ${latency.max?.toFixed(0)} ms over ${latency.batches} batches |
| DLQ share | ${(result.dlqShare * 100).toFixed(3)} % (${counted.deadLetters} records) |
| upload (streamed to GridFS through the gateway) | ${result.uploadSeconds} s, ${result.uploadMiBPerSecond} MiB/s |
| entities created / merged | ${totals.entitiesCreated} / ${totals.entitiesMerged} |
| CPU seconds: worker / platform / ${Object.keys(storesCpu).join(" / ")} | ${result.cpuSeconds.worker} / ${result.cpuSeconds.platform} / ${Object.values(storesCpu).join(" / ")} (wall ${result.jobSeconds}) |

## Zero-loss check: ${zeroLoss ? "passed" : "**FAILED**"}

Counted in Neo4j (the tenant's nodes and relationships) and in the dead-letter store, against the generator's exact summary.

| what | expected | counted | equal |
| --- | --- | --- | --- |
${rows}
`;
  writeFileSync(join(resultsDir, `${name}.md`), md);
  console.log(md);
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await cleanUp().catch((error) => console.error("clean-up failed:", error));
}
process.exit(exitCode);
