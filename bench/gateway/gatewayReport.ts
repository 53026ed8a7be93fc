import { machine, round2, round4 } from "../lib.ts";
import { TARGET_RATIO, type Comparison } from "./compareSides.ts";
import type { Round, SideAggregate } from "./roundStats.ts";

export interface GatewayBenchSettings {
  rounds: number;
  duration: string;
  warmup: string;
  vus: number;
  people: number;
  logLevel: string;
  nodeEnv: string | null;
  k6Version: string;
}

export interface GatewayRun {
  settings: GatewayBenchSettings;
  results: Round[];
  comparison: Comparison;
  /** 1-minute load average before and after the measured rounds. */
  load: [number, number];
  passed: boolean;
}

/** What bench/results/gateway-throughput.json holds. */
export function gatewayResult({ settings, results, comparison, load, passed }: GatewayRun) {
  const { onAgg, offAgg, throughputRatio, pairRatios, nodeRatio, speedCorrected, spread } = comparison;
  const { cpus, cpuModel, memoryGiB, kernel, node } = machine();
  return {
    when: new Date().toISOString(),
    machine: {
      cpus,
      cpuModel,
      memoryGiB,
      kernel,
      node,
      k6: settings.k6Version,
      loadAverage1mBeforeAfter: [round2(load[0]), round2(load[1])],
    },
    setup: {
      process: "one Node process: both platforms (gateway + six subgraphs each, in-process transports), same stores and database",
      nodeEnv: settings.nodeEnv,
      logLevel: settings.logLevel,
      vus: settings.vus,
      durationPerRound: settings.duration,
      warmupPerSide: `2 × ${settings.warmup}, alternating`,
      roundsPerSide: settings.rounds,
      order: "ABBA: on off, off on, on off, …",
      people: settings.people,
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
    passed,
  };
}

export type GatewayResult = ReturnType<typeof gatewayResult>;

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const ms = (x: number | null) => (x === null ? "n/a" : x.toFixed(2));
const cpuRow = (name: string, a: SideAggregate) => {
  const c = a.cpuMsPerRequest;
  return `| ${name} | ${ms(c.node)} | ${ms(c.k6)} | ${ms(c.stores)} | ${ms(c.other)} | ${ms(c.machine)} |`;
};
const row = (name: string, a: SideAggregate) =>
  `| ${name} | ${a.requestsPerSecond.toFixed(1)} | ${a.latencyMs.p50.toFixed(1)} | ${a.latencyMs.p95.toFixed(1)} | ${a.latencyMs.p99.toFixed(1)} | ${pct(a.errorRate)} | ${a.nodeCpuMsPerRequest.toFixed(2)} | ${a.eventLoopUtilization.toFixed(2)} | ${a.requests} |`;
const roundRow = (r: Round) =>
  `| ${r.round} | ${r.layers} | ${r.requestsPerSecond.toFixed(1)} | ${r.latencyMs.p50.toFixed(1)} | ${r.latencyMs.p95.toFixed(1)} | ${r.latencyMs.p99.toFixed(1)} | ${pct(r.errorRate)} | ${r.nodeCpuMsPerRequest.toFixed(2)} |`;

/** The machine-speed line: how much slower the shared VM ran during one side, and the ratios with that taken out. */
function speedLine({ speed, speedCorrected }: Comparison): string {
  if (!speedCorrected) return "- machine speed: not measured (no /proc).";
  return `- machine speed: k6, doing the same work per request on both sides, used ${speedCorrected.slowdownDuringOn.toFixed(3)}× the CPU per request during "on" rounds, i.e. the shared VM ran ${speed! >= 1 ? `${pct(speed! - 1)} slower during "on"` : `${pct(1 / speed! - 1)} slower during "off"`}. Taking that out (diagnostic, not the target): throughput on/off ${speedCorrected.throughputOnOverOff.toFixed(3)} (per round: ${speedCorrected.throughputOnOverOffPerRound.map((r) => r.toFixed(3)).join(", ")}), this process's CPU per request on/off ${speedCorrected.nodeCpuPerRequestOnOverOff.toFixed(3)}, i.e. the layers cost about ${pct(speedCorrected.nodeCpuPerRequestOnOverOff - 1)} of the gateway process's CPU per request.`;
}

/** What bench/results/gateway-throughput.md says. */
export function gatewayMarkdown(result: GatewayResult, { settings, results, comparison }: GatewayRun): string {
  const { vus, rounds, duration, warmup, people, k6Version } = settings;
  const { onAgg, offAgg, throughputRatio, pairRatios, nodeRatio, spread } = comparison;
  return `# Gateway throughput, security layers on vs off (${result.when})

Machine: ${result.machine.cpus} cores (${result.machine.cpuModel}), ${result.machine.memoryGiB} GiB, Node ${result.machine.node}, ${k6Version}; load average ${result.machine.loadAverage1mBeforeAfter.join(" → ")}. Noisy shared 2-core machine: compare ratios within this run, not absolutes across runs. k6, both platforms, Neo4j and FerretDB all share the 2 cores.

Same supergraph, stores, database, tenant and session token; ${vus} VUs, no think time, ${rounds} rounds of ${duration} per side in ABBA order after a warm-up of 2 × ${warmup} per side, alternating. Mix: 50 % \`people(limit: 20, offset, sort)\`, 25 % \`me { email tenant { name } }\`, 25 % \`people(where: { name: { eq } })\`, over ${people} people. Every response is checked for HTTP 200, no \`errors\` and the expected data.

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
${speedLine(comparison)}
- requests/s pooled over rounds; percentiles are the median of the rounds' percentiles; CPU from /proc (10 ms ticks, so "else" can read slightly negative).

| round | layers | requests/s | p50 ms | p95 ms | p99 ms | errors | Node CPU ms/request |
| ----: | ------ | ---------: | -----: | -----: | -----: | -----: | ------------------: |
${results.map(roundRow).join("\n")}
`;
}
