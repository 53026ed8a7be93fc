import { performance } from "node:perf_hooks";
import type { Clock } from "../config/serviceDeps.ts";

/** CPU used between two drains, in integer microseconds (user + system). */
export interface ResourceDrain {
  /** When the drained interval began (the previous drain, or creation), ms since epoch. */
  fromMs: number;
  /** When it ended (this drain), ms since epoch. */
  toMs: number;
  totalCpuMicros: number;
  /** CPU in windows with no active span: idle work, GC, timers, background jobs. */
  unattributedCpuMicros: number;
  /** CPU credited to each tenant. With `unattributedCpuMicros` it sums to `totalCpuMicros` exactly. */
  tenants: Map<string, number>;
}

export interface ResourceLedger {
  /** Starts a span for a tenant; call the returned function once when the work ends (idempotent). */
  begin(tenantId: string): () => void;
  /** Runs `work` inside a span of `tenantId`, ending the span however `work` settles. */
  run<T>(tenantId: string, work: () => Promise<T>): Promise<T>;
  /** CPU since the last drain: total, per tenant, unattributed (µs); resets the counters. Samples first. */
  drain(): ResourceDrain;
  /** Takes one sample now (the timer calls it; tests call it directly). */
  sample(): void;
  /** Samples every `sampleMs` on an unref'd timer. Idempotent. */
  start(): void;
  stop(): void;
}

export interface ResourceLedgerOptions {
  /** @default 100 */
  sampleMs?: number;
  /** Cumulative process CPU in µs. @default process.cpuUsage */
  cpuUsage?: () => { user: number; system: number };
  /**
   * Milliseconds since epoch; fractions welcome, so sub-millisecond requests
   * still get a weight. @default performance.timeOrigin + performance.now()
   */
  now?: Clock;
}

interface Span {
  tenantId: string;
  startMs: number;
}

const preciseClock: Clock = () => performance.timeOrigin + performance.now();

/**
 * Attributes the CPU of one Node process to tenants while their requests
 * overlap (async work interleaves on one thread, so no request can be timed
 * alone).
 *
 * Every `sampleMs` the process CPU delta (user + system) of the window since
 * the last sample is split among the spans that were active in that window,
 * each weighted by how long it overlapped the window, and credited to the
 * span's tenant. A window with no span is unattributed. If the only spans in
 * a window began in it and took no measurable time (a coarse clock), they
 * share it equally. Shares are integer µs by largest remainder, ties by
 * tenant id, so tenants plus unattributed equal the total exactly.
 *
 * This is an estimate: a span waiting on I/O weighs as much as one burning
 * CPU, and GC or a background timer inside a busy window lands on the
 * tenants in it. Per request the cost is a `Set` add and delete and one
 * `Map` update; the per-window work is proportional to the spans open.
 */
export function createResourceLedger({
  sampleMs = 100,
  cpuUsage = () => process.cpuUsage(),
  now = preciseClock,
}: ResourceLedgerOptions = {}): ResourceLedger {
  const readCpu = () => {
    const usage = cpuUsage();
    return usage.user + usage.system;
  };
  const open = new Set<Span>();
  /** Overlap (ms) of spans that ended in the current window, per tenant. */
  let endedWeights = new Map<string, number>();
  /** Tenants of spans that ended in the current window and overlapped or began in it. */
  let endedTenants = new Set<string>();
  let windowStartMs = now();
  let lastCpu = readCpu();
  let drainedFromMs = windowStartMs;
  let tenants = new Map<string, number>();
  let totalCpuMicros = 0;
  let unattributedCpuMicros = 0;
  let timer: ReturnType<typeof setInterval> | null = null;

  const overlap = (span: Span, endMs: number) => Math.max(0, endMs - Math.max(span.startMs, windowStartMs));

  function begin(tenantId: string): () => void {
    const span: Span = { tenantId, startMs: now() };
    open.add(span);
    return () => {
      if (!open.delete(span)) return;
      const weight = overlap(span, now());
      endedWeights.set(tenantId, (endedWeights.get(tenantId) ?? 0) + weight);
      // A span that ends right where the window starts did its work in the last one.
      if (weight > 0 || span.startMs >= windowStartMs) endedTenants.add(tenantId);
    };
  }

  async function run<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const end = begin(tenantId);
    try {
      return await work();
    } finally {
      end();
    }
  }

  function sample(): void {
    const at = now();
    const cpu = readCpu();
    const delta = Math.max(0, Math.round(cpu - lastCpu));
    lastCpu = cpu;

    const weights = endedWeights;
    const touched = endedTenants;
    for (const span of open) {
      weights.set(span.tenantId, (weights.get(span.tenantId) ?? 0) + overlap(span, at));
      touched.add(span.tenantId);
    }
    endedWeights = new Map();
    endedTenants = new Set();
    windowStartMs = at;

    totalCpuMicros += delta;
    if (touched.size === 0) {
      unattributedCpuMicros += delta;
      return;
    }
    let totalWeight = 0;
    for (const weight of weights.values()) totalWeight += weight;
    const shares =
      totalWeight > 0
        ? new Map([...weights].filter(([, weight]) => weight > 0))
        : new Map([...touched].map((tenantId) => [tenantId, 1] as const));
    for (const [tenantId, micros] of splitByWeight(delta, shares)) {
      if (micros > 0) tenants.set(tenantId, (tenants.get(tenantId) ?? 0) + micros);
    }
  }

  function drain(): ResourceDrain {
    sample();
    const result: ResourceDrain = {
      fromMs: drainedFromMs,
      toMs: windowStartMs,
      totalCpuMicros,
      unattributedCpuMicros,
      tenants,
    };
    drainedFromMs = windowStartMs;
    tenants = new Map();
    totalCpuMicros = 0;
    unattributedCpuMicros = 0;
    return result;
  }

  return {
    begin,
    run,
    drain,
    sample,
    start() {
      if (timer) return;
      timer = setInterval(sample, sampleMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

/**
 * Splits `total` integer units by positive weights (at least one) so the parts
 * sum to `total`: each gets the floor of its exact share, and the units left over
 * go to the largest fractional remainders, ties by key.
 */
function splitByWeight(total: number, weights: ReadonlyMap<string, number>): Map<string, number> {
  let weightSum = 0;
  for (const weight of weights.values()) weightSum += weight;
  const parts = [...weights].map(([key, weight]) => {
    const exact = weightSum > 0 ? (total * weight) / weightSum : 0;
    return { key, units: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = total - parts.reduce((sum, part) => sum + part.units, 0);
  const byRemainder = [...parts].sort((a, b) => b.remainder - a.remainder || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const part of byRemainder) {
    if (left <= 0) break;
    part.units += 1;
    left -= 1;
  }
  return new Map(parts.map((part) => [part.key, part.units]));
}
