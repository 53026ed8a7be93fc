import { loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { runK6, runningStorePids } from "../lib.ts";
import { cpuSnapshot } from "./cpuSnapshot.ts";
import { roundOf, type Layers, type Round } from "./roundStats.ts";

export interface AbRoundsOptions {
  k6: { bin: string };
  k6Script: string;
  /** Where k6 writes its summaries. */
  tmp: string;
  rounds: number;
  warmup: string;
  duration: string;
  vus: number;
  /** What the two sides are ("security layers", "metering"): for the log lines. */
  label: string;
  /** k6's environment for one side and run. */
  vars(side: Layers, summary: string, duration: string): Record<string, string>;
  interrupted(): boolean;
  /** Around each measured round (e.g. to read counters of the side under test); not timed. */
  before?(side: Layers, round: number): Promise<void>;
  after?(side: Layers, round: number, measured: Round): Promise<void>;
}

/**
 * The gateway benches' measurement: two alternating warm-up passes (a single
 * one left the first measured round ~25 % slower), then ABBA rounds (on off,
 * off on, …: a drift in the machine's speed falls on both sides alike), each
 * with the CPU of this process, k6 and the stores and the event loop's use.
 */
export async function runAbRounds(o: AbRoundsOptions): Promise<{ results: Round[]; k6Failed: boolean; load: [number, number] }> {
  for (const pass of [1, 2]) {
    for (const side of ["on", "off"] as const) {
      console.log(`Warm-up ${pass}/2 ${o.label} ${side} (${o.warmup})`);
      await runK6(o.k6.bin, o.k6Script, o.vars(side, join(o.tmp, `warmup-${side}.json`), o.warmup), `warm-up ${side}`);
    }
  }
  const order: Array<{ round: number; side: Layers }> = [];
  for (let r = 1; r <= o.rounds; r++)
    for (const side of (r % 2 ? ["on", "off"] : ["off", "on"]) as Layers[]) order.push({ round: r, side });
  const results: Round[] = [];
  let k6Failed = false;
  const storePids = (await runningStorePids()).map(([, pid]) => pid);
  const loadBefore = loadavg()[0]!;
  for (const { round, side } of order) {
    if (o.interrupted()) throw new Error("interrupted");
    console.log(`Round ${round}, ${o.label} ${side} (${o.vus} VUs, ${o.duration})`);
    await o.before?.(side, round);
    const cpu0 = cpuSnapshot(storePids);
    const elu0 = performance.eventLoopUtilization();
    const file = join(o.tmp, `round-${round}-${side}.json`);
    const { code, summary } = await runK6(o.k6.bin, o.k6Script, o.vars(side, file, o.duration), `${side} #${round}`);
    const cpu1 = cpuSnapshot(storePids);
    const elu = performance.eventLoopUtilization(elu0);
    if (!summary) throw new Error(`k6 exited with ${code} and wrote no summary (round ${round}, ${side})`);
    const measured = roundOf(round, side, code, summary, [cpu0, cpu1], elu);
    results.push(measured);
    await o.after?.(side, round, measured);
    if (code !== 0) {
      console.error(`k6 exited with ${code} (round ${round}, ${o.label} ${side}): thresholds crossed or checks failed`);
      k6Failed = true;
    }
  }
  return { results, k6Failed, load: [loadBefore, loadavg()[0]!] };
}
