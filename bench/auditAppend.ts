/**
 * audit-append: what the tamper-evident chain costs on every audited mutation.
 *
 * Appends N events for one tenant to the real Mongo-wire store three ways:
 *   plain    — one insertOne per event, no chain (what the recorder did before);
 *   chained  — kit's recorder (per-tenant queue, head cached, unique position);
 *   3 writers — three independent recorders on the same tenant at once, as
 *               three processes would be (collisions resolved by retry).
 * Each with `CONCURRENCY` appends in flight. Then verifies the chain.
 * Writes bench/results/audit-append.{json,md}.
 */
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  AUDIT_COLLECTION,
  connectMongo,
  createAuditRecorder,
  createInMemoryPubSub,
  createLogger,
  ensureAuditIndexes,
  mongoChainSource,
  verifyChain,
  type AuditEventInput,
} from "@intelgraph/kit";
import { benchConfig, machine, machineLine, percentile, resultsDir, round1 } from "./lib.ts";

const N = Number(process.env["AUDIT_BENCH_EVENTS"] ?? 3000);
const CONCURRENCY = Number(process.env["AUDIT_BENCH_CONCURRENCY"] ?? 16);

async function run(label: string, append: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < N; i = next++) {
        const t = performance.now();
        await append(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    label,
    events: N,
    eventsPerSecond: round1(N / seconds),
    p50Ms: round1(percentile(latencies, 50)),
    p95Ms: round1(percentile(latencies, 95)),
    p99Ms: round1(percentile(latencies, 99)),
  };
}

const event = (tenantId: string, i: number): AuditEventInput => ({
  tenantId,
  actor: { userId: "bench-user", kind: "user" },
  action: "createPeople",
  service: "graph",
  targetType: "Person",
  targetIds: [randomUUID()],
  outcome: "success",
  errorCode: null,
  requestId: `bench-${i}`,
  arguments: { input: [{ name: `Person ${i}`, email: `p${i}@bench.test` }] },
});

async function main() {
  const config = await benchConfig("auditbench");
  const mongo = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
  const logger = createLogger({ name: "audit-bench", level: "warn" });
  try {
    const db = mongo.db;
    await ensureAuditIndexes(db);
    const collection = db.collection(AUDIT_COLLECTION);
    const plainTenant = `plain-${randomUUID()}`;
    const plain = await run("plain insert (no chain)", (i) =>
      collection.insertOne({ _id: randomUUID() as never, ...event(plainTenant, i), at: new Date() }),
    );

    const chainTenant = `chain-${randomUUID()}`;
    const recorder = createAuditRecorder({ db, pubsub: createInMemoryPubSub(), logger });
    const chained = await run("chained, one recorder", (i) => recorder.record(event(chainTenant, i)));

    const threeTenant = `three-${randomUUID()}`;
    const writers = [0, 1, 2].map(() => createAuditRecorder({ db, pubsub: createInMemoryPubSub(), logger }));
    const three = await run("chained, three recorders at once", (i) => writers[i % 3]!.record(event(threeTenant, i)));

    const source = mongoChainSource(db);
    const verifyStarted = performance.now();
    const reports = [await verifyChain(source, chainTenant, ["k".repeat(40)]), await verifyChain(source, threeTenant, ["k".repeat(40)])];
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    const verified = reports.every((r) => r.ok && r.eventsChecked === N);

    const m = machine();
    const results = {
      at: new Date().toISOString(),
      machine: m,
      events: N,
      concurrency: CONCURRENCY,
      runs: [plain, chained, three],
      ratios: {
        chainedVsPlain: round1((chained.eventsPerSecond / plain.eventsPerSecond) * 100) / 100,
        threeVsPlain: round1((three.eventsPerSecond / plain.eventsPerSecond) * 100) / 100,
      },
      verify: { events: 2 * N, seconds: round1(verifySeconds), eventsPerSecond: round1((2 * N) / verifySeconds), ok: verified },
    };
    writeFileSync(join(resultsDir, "audit-append.json"), JSON.stringify(results, null, 2) + "\n");
    const lines = [
      `# Audit append (${results.at})`,
      "",
      `Machine: ${machineLine(m)}. FerretDB (SQLite) on loopback. Noisy shared 2-core machine: compare ratios, not absolutes.`,
      "",
      `${N} events per run for one tenant, ${CONCURRENCY} appends in flight.`,
      "",
      "| run | events/s | p50 ms | p95 ms | p99 ms |",
      "| --- | --- | --- | --- | --- |",
      ...results.runs.map((r) => `| ${r.label} | ${r.eventsPerSecond} | ${r.p50Ms} | ${r.p95Ms} | ${r.p99Ms} |`),
      "",
      `- chained / plain throughput: ${results.ratios.chainedVsPlain}; three writers / plain: ${results.ratios.threeVsPlain}`,
      `- verification: ${results.verify.events} events in ${results.verify.seconds} s (${results.verify.eventsPerSecond}/s), chains ${verified ? "intact" : "BROKEN"}`,
      "",
    ];
    writeFileSync(join(resultsDir, "audit-append.md"), lines.join("\n"));
    console.log(lines.join("\n"));
    if (!verified) process.exitCode = 1;
  } finally {
    await mongo.db.dropDatabase().catch(() => undefined);
    await mongo.close();
  }
}

await main();
