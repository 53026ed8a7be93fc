/**
 * connector-delivery: outbound ServiceNow deliveries under the connector's
 * rate limit, and how long the dead-letter queue takes to drain after a 5xx
 * outage.
 *
 *   throughput — DELIVERIES pushes, CONCURRENCY at once, through the real
 *                delivery path (token bucket, correlation_id lookup, create,
 *                delivery and link records in the Mongo-wire store) against the
 *                local Table API double; achieved vs configured request rate
 *                (from the double's request log) and p50/p95 delivery latency.
 *   drain      — OUTAGE_DELIVERIES pushes during a 503 outage (dead-lettered),
 *                then recovery and the auto-replay job (replayDue) run until the
 *                queue is empty: the drain time, and a check that nothing was
 *                created twice.
 *
 * The graph read of each incident is answered from memory (a PeerCaller over a
 * map): what is measured is the connector, not the graph. Writes
 * bench/results/connector-delivery.{json,md}.
 */
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectMongo, createAuditRecorder, createInMemoryPubSub, createLogger, type PeerCaller, type Principal } from "@intelgraph/kit";
// The root package has no @intelgraph/subgraph-connectors dependency.
// eslint-disable-next-line no-restricted-imports
import { createConnectorServices } from "../subgraphs/connectors/src/index.ts";
import { startServiceNowDouble } from "../test/support/servicenowDouble.ts";
import { benchConfig, benchSettings, machine, machineLine, percentile, resultsDir, round1 } from "./lib.ts";

const S = benchSettings({ DELIVERIES: 200, CONCURRENCY: 16, RATE: 20, BURST: 5, OUTAGE_DELIVERIES: 50 });

async function main() {
  const config = await benchConfig("bench_connectors");
  const mongo = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
  const double = await startServiceNowDouble();
  const logger = createLogger({ name: "bench-connectors", level: "warn" });
  const incidents = new Map<string, { id: string; title: string; description: null; severity: string; status: null; indicators: [] }>();
  const peers: PeerCaller = {
    async call<T>(_subgraph: string, _principal: Principal, request: { variables?: Record<string, unknown> }) {
      const found = incidents.get(String(request.variables?.["id"]));
      return { incidents: found ? [found] : [] } as T;
    },
  };
  const services = createConnectorServices({
    db: mongo.db,
    now: Date.now,
    peers,
    pubsub: createInMemoryPubSub(),
    audit: createAuditRecorder({ db: mongo.db, pubsub: createInMemoryPubSub(), logger }),
    logger,
    connectorSecretKey: randomUUID() + randomUUID(),
  });
  await services.ensureIndexes();
  const principal: Principal = { kind: "user", tenantId: `bench-${randomUUID()}`, userId: "bench-user", roles: ["ADMIN"], scopes: [] };
  const hints = () => ({});
  const register = async (name: string, replay: Record<string, number>) =>
    (
      await services.connectors.register(
        principal,
        {
          input: {
            kind: "SERVICENOW",
            name,
            baseUrl: double.url,
            username: "intelgraph",
            secret: "s3cret-pw",
            rateLimit: { ratePerSecond: S.RATE, burst: S.BURST },
            replay,
          },
        },
        hints(),
      )
    )._id;
  const newIncident = () => {
    const id = randomUUID();
    incidents.set(id, { id, title: `bench ${id.slice(0, 8)}`, description: null, severity: "high", status: null, indicators: [] });
    return id;
  };

  try {
    // Throughput under the rate limit.
    const connectorId = await register("throughput", { inlineAttempts: 3 });
    const ids = Array.from({ length: S.DELIVERIES }, newIncident);
    const latencies: number[] = [];
    const firstRequest = double.log.length;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: S.CONCURRENCY }, async () => {
        for (let i = next++; i < ids.length; i = next++) {
          const t = performance.now();
          const delivery = await services.outbound.push(principal, { input: { connectorId, incidentId: ids[i] } }, hints());
          if (delivery.status !== "DELIVERED") throw new Error(`delivery ${delivery._id} ${delivery.status}: ${delivery.lastError}`);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const requests = double.log.slice(firstRequest);
    const span = (requests.at(-1)!.at - requests[0]!.at) / 1000;
    latencies.sort((a, b) => a - b);
    const throughput = {
      deliveries: S.DELIVERIES,
      concurrency: S.CONCURRENCY,
      configuredRequestsPerSecond: S.RATE,
      burst: S.BURST,
      requests: requests.length,
      achievedRequestsPerSecond: round1((requests.length - S.BURST) / span),
      deliveriesPerSecond: round1(S.DELIVERIES / seconds),
      p50Ms: round1(percentile(latencies, 50)),
      p95Ms: round1(percentile(latencies, 95)),
    };

    // DLQ drain after a 5xx outage.
    const outageId = await register("outage", { inlineAttempts: 1, backoffSeconds: 0, maxAttempts: 8, alertThreshold: 100_000 });
    const outageIds = Array.from({ length: S.OUTAGE_DELIVERIES }, newIncident);
    double.outage(503);
    for (const incidentId of outageIds) await services.outbound.push(principal, { input: { connectorId: outageId, incidentId } }, hints());
    const dead = await services.store.pendingDepth(principal.tenantId!, outageId);
    double.recover();
    const drainStarted = performance.now();
    let rounds = 0;
    while ((await services.store.pendingDepth(principal.tenantId!, outageId)) > 0 && rounds < 100) {
      await services.outbound.replayDue(500);
      rounds++;
    }
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const created = new Map<string, number>();
    for (const r of double.records.values()) created.set(r["correlation_id"]!, (created.get(r["correlation_id"]!) ?? 0) + 1);
    const doubled = [...created.values()].filter((n) => n > 1).length;
    const drain = { deadLettered: dead, drainSeconds: round1(drainSeconds), replayRounds: rounds, incidentsCreatedTwice: doubled };

    const m = machine();
    const results = { at: new Date().toISOString(), machine: m, throughput, drain };
    writeFileSync(join(resultsDir, "connector-delivery.json"), JSON.stringify(results, null, 2) + "\n");
    const lines = [
      `# Connector delivery (${results.at})`,
      "",
      `Machine: ${machineLine(m)}. FerretDB on loopback, the ServiceNow double in process. Noisy shared 2-core machine.`,
      "",
      `| run | value |`,
      `| --- | --- |`,
      `| deliveries (concurrency) | ${throughput.deliveries} (${throughput.concurrency}) |`,
      `| configured rate / burst | ${throughput.configuredRequestsPerSecond} req/s / ${throughput.burst} |`,
      `| achieved rate (after the burst) | ${throughput.achievedRequestsPerSecond} req/s (${throughput.requests} requests) |`,
      `| deliveries/s | ${throughput.deliveriesPerSecond} |`,
      `| delivery latency p50 / p95 | ${throughput.p50Ms} ms / ${throughput.p95Ms} ms |`,
      `| dead-lettered in the outage | ${drain.deadLettered} |`,
      `| DLQ drain after recovery | ${drain.drainSeconds} s in ${drain.replayRounds} replay round(s) |`,
      `| incidents created twice | ${drain.incidentsCreatedTwice} |`,
      "",
    ];
    writeFileSync(join(resultsDir, "connector-delivery.md"), lines.join("\n"));
    console.log(lines.join("\n"));
    if (doubled > 0 || dead !== S.OUTAGE_DELIVERIES) process.exitCode = 1;
  } finally {
    await double.close();
    await mongo.db.dropDatabase().catch(() => undefined);
    await mongo.close();
  }
}

await main();
