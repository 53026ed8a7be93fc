import { round4 } from "../lib.ts";
import { aggregate, type Layers, type Round } from "./roundStats.ts";

/** The design target: on keeps at least this share of off's throughput. */
export const TARGET_RATIO = 0.9;
/** More failed requests than this on either side fail the bench. */
const MAX_ERROR_RATE = 0.01;

/** Both sides pooled, their ratios (pooled and per ABBA pair), and the same with the machine's speed taken out. */
export function compareSides(results: Round[], rounds: number) {
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
  const tooManyErrors = onAgg.errorRate > MAX_ERROR_RATE || offAgg.errorRate > MAX_ERROR_RATE;
  return { onAgg, offAgg, throughputRatio, pairRatios, speed, nodeRatio, speedCorrected, spread, tooManyErrors };
}

export type Comparison = ReturnType<typeof compareSides>;
