import type { EventLoopUtilization } from "node:perf_hooks";
import { median, round2, round4, type K6Summary } from "../lib.ts";
import { cpuPerRequest, type CpuSnapshot } from "./cpuSnapshot.ts";

export type Layers = "on" | "off";

export interface Round {
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

/** One measured round from k6's summary and the CPU snapshots taken around it. */
export function roundOf(
  n: number,
  layers: Layers,
  code: number,
  s: K6Summary,
  cpu: [CpuSnapshot, CpuSnapshot],
  elu: EventLoopUtilization,
): Round {
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

/** One side's rounds pooled. */
export function aggregate(rs: Round[]) {
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

export type SideAggregate = ReturnType<typeof aggregate>;
