import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { procTicks, round4, ticksPerSecond } from "../lib.ts";

/** CPU time (ms) so far of this process, of its reaped children (k6), of the stores and of the whole machine (Linux /proc). */
export interface CpuSnapshot {
  at: number;
  node: number;
  k6: number | null;
  stores: number | null;
  machine: number | null;
}

const ticksToMs = 1000 / ticksPerSecond;

/** Busy CPU time of the whole machine: all but idle, iowait and steal; null without /proc. */
function machineBusyMs(): number | null {
  try {
    // cpu  user nice system idle iowait irq softirq steal …
    const [user, nice, system, , , irq, softirq] = readFileSync("/proc/stat", "utf8")
      .split("\n")[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return (user! + nice! + system! + irq! + softirq!) * ticksToMs;
  } catch {
    return null;
  }
}

export function cpuSnapshot(storePids: number[]): CpuSnapshot {
  const usage = process.cpuUsage();
  const self = procTicks("self");
  const stores = storePids.map((pid) => procTicks(pid));
  const machine = machineBusyMs();
  return {
    at: performance.now(),
    node: (usage.user + usage.system) / 1000,
    k6: self ? self[2] * ticksToMs + self[3] * ticksToMs : null,
    stores: stores.length && stores.every(Boolean) ? stores.reduce((a, t) => a + t![0] * ticksToMs + t![1] * ticksToMs, 0) : null,
    machine,
  };
}

/** CPU ms per request between two snapshots, by whom; "other" is the rest of the machine. */
export function cpuPerRequest(a: CpuSnapshot, b: CpuSnapshot, requests: number) {
  const per = (x: number | null, y: number | null) => (x === null || y === null || !requests ? null : round4((y - x) / requests));
  const node = per(a.node, b.node)!;
  const k6 = per(a.k6, b.k6);
  const stores = per(a.stores, b.stores);
  const machine = per(a.machine, b.machine);
  const other = machine !== null && k6 !== null && stores !== null ? round4(machine - node - k6 - stores) : null;
  return { node, k6, stores, machine, other };
}
