import { afterEach, describe, expect, it, vi } from "vitest";
import { createResourceLedger } from "./resourceLedger.ts";

/** A ledger on a hand-driven clock and CPU counter. */
function setup() {
  let clock = 1_000;
  let cpu = 0;
  const ledger = createResourceLedger({
    sampleMs: 100,
    now: () => clock,
    cpuUsage: () => ({ user: cpu, system: 0 }),
  });
  return {
    ledger,
    /** Advances the clock by `ms` while the process burns `micros` of CPU. */
    tick(ms: number, micros = 0) {
      clock += ms;
      cpu += micros;
    },
    get clock() {
      return clock;
    },
  };
}

const sumOf = (drain: { unattributedCpuMicros: number; tenants: Map<string, number> }) =>
  [...drain.tenants.values()].reduce((a, b) => a + b, drain.unattributedCpuMicros);

afterEach(() => {
  vi.useRealTimers();
});

describe("createResourceLedger", () => {
  it("splits a window between overlapping spans of two tenants by their overlap", () => {
    const t = setup();
    const endA = t.ledger.begin("a"); // a: 0..100 ms of the window
    t.tick(50);
    const endB = t.ledger.begin("b"); // b: 50..100 ms
    t.tick(50, 3_000);
    t.ledger.sample();
    endB(); // ends right at the sample: no overlap with window 2
    t.tick(100, 1_000); // a alone for the whole second window
    t.ledger.sample();
    endA();

    const drain = t.ledger.drain();
    // Window 1: weights 100 and 50 → 2,000 and 1,000. Window 2: a alone (b touched it for 0 ms).
    expect(drain.tenants).toEqual(
      new Map([
        ["a", 3_000],
        ["b", 1_000],
      ]),
    );
    expect(drain.totalCpuMicros).toBe(4_000);
    expect(drain.unattributedCpuMicros).toBe(0);
  });

  it("credits a span ended inside a window by the part of the window it covered", () => {
    const t = setup();
    const endA = t.ledger.begin("a");
    const endB = t.ledger.begin("b");
    t.tick(25);
    endA(); // a covered 25 ms, b the whole 100 ms
    t.tick(75, 1_000);
    t.ledger.sample();
    endB();
    expect(t.ledger.drain().tenants).toEqual(
      new Map([
        ["a", 200],
        ["b", 800],
      ]),
    );
  });

  it("leaves CPU in a window with no active span unattributed", () => {
    const t = setup();
    t.tick(100, 700);
    t.ledger.sample();
    const drain = t.ledger.drain();
    expect(drain).toEqual({ fromMs: 1_000, toMs: 1_100, totalCpuMicros: 700, unattributedCpuMicros: 700, tenants: new Map() });
  });

  it("sums tenants and unattributed to the total exactly, giving remainders by largest fraction then tenant id", () => {
    const t = setup();
    const ends = ["c", "a", "b"].map((tenant) => t.ledger.begin(tenant));
    t.tick(100, 100); // 100 µs over three equal weights: 33.3 each
    t.ledger.sample();
    for (const end of ends) end();
    t.tick(100, 11); // no span: unattributed
    const drain = t.ledger.drain();
    expect(drain.tenants).toEqual(
      new Map([
        ["a", 34],
        ["b", 33],
        ["c", 33],
      ]),
    );
    expect(drain.unattributedCpuMicros).toBe(11);
    expect(drain.totalCpuMicros).toBe(111);
    expect(sumOf(drain)).toBe(drain.totalCpuMicros);
  });

  it("keeps the sum exact over many windows of awkward weights", () => {
    const t = setup();
    let open: (() => void)[] = [];
    for (let window = 0; window < 200; window++) {
      if (window % 3 === 0) open.push(t.ledger.begin(`t${window % 7}`));
      if (window % 5 === 0) open = open.filter((end, i) => (i % 2 === 0 ? (end(), false) : true));
      t.tick(7 + (window % 11), 1 + ((window * 7919) % 1_013));
      t.ledger.sample();
    }
    const drain = t.ledger.drain();
    expect(drain.totalCpuMicros).toBeGreaterThan(0);
    expect(Object.values(Object.fromEntries(drain.tenants)).every(Number.isInteger)).toBe(true);
    expect(sumOf(drain)).toBe(drain.totalCpuMicros);
  });

  it("counts a span's end once however often it is called", () => {
    const t = setup();
    const endA = t.ledger.begin("a");
    const endB = t.ledger.begin("b");
    t.tick(50);
    endA();
    endA();
    t.tick(50);
    endA();
    t.tick(0, 1_500);
    t.ledger.sample();
    endB();
    // a weighs 50 (once), b 100.
    expect(t.ledger.drain().tenants).toEqual(
      new Map([
        ["a", 500],
        ["b", 1_000],
      ]),
    );
  });

  it("resets its counters on drain and starts the next interval where the last one ended", () => {
    const t = setup();
    const end = t.ledger.begin("a");
    t.tick(100, 900);
    const first = t.ledger.drain();
    expect(first).toMatchObject({ fromMs: 1_000, toMs: 1_100, totalCpuMicros: 900, tenants: new Map([["a", 900]]) });
    end();
    const second = t.ledger.drain();
    expect(second).toEqual({ fromMs: 1_100, toMs: 1_100, totalCpuMicros: 0, unattributedCpuMicros: 0, tenants: new Map() });
    expect(first.tenants.get("a")).toBe(900); // a drained map is not reused
  });

  it("credits a span that outlasts many windows in each of them", () => {
    const t = setup();
    const end = t.ledger.begin("long");
    const perWindow: number[] = [];
    for (let window = 0; window < 10; window++) {
      const other = window % 2 === 0 ? t.ledger.begin("short") : null;
      t.tick(100, 1_000);
      t.ledger.sample();
      other?.();
      perWindow.push(t.ledger.drain().tenants.get("long") ?? 0);
    }
    end();
    // Alone in odd windows (all of it); sharing equally with "short" in even ones.
    expect(perWindow).toEqual([500, 1_000, 500, 1_000, 500, 1_000, 500, 1_000, 500, 1_000]);
  });

  it("shares a window equally among spans that touched it for no measurable time", () => {
    const t = setup();
    const long = t.ledger.begin("long");
    t.tick(100, 100);
    t.ledger.sample();
    long(); // began in the last window, ends at this one's start: not in it
    t.ledger.begin("a")();
    t.ledger.begin("b")();
    t.tick(0, 10);
    t.ledger.sample();
    expect(t.ledger.drain().tenants).toEqual(
      new Map([
        ["long", 100],
        ["a", 5],
        ["b", 5],
      ]),
    );
  });

  it("ends the span of run() when the work resolves or rejects", async () => {
    const t = setup();
    await expect(t.ledger.run("a", async () => "done")).resolves.toBe("done");
    await expect(
      t.ledger.run("b", async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    t.tick(100, 400);
    // Both spans ended before the window's CPU: nothing open, both touched it with zero overlap.
    expect(t.ledger.drain().tenants).toEqual(
      new Map([
        ["a", 200],
        ["b", 200],
      ]),
    );
    t.tick(100, 400);
    expect(t.ledger.drain().unattributedCpuMicros).toBe(400); // no span left open
  });

  it("samples on its timer between start and stop", () => {
    vi.useFakeTimers();
    let cpu = 0;
    const ledger = createResourceLedger({ sampleMs: 100, cpuUsage: () => ({ user: cpu, system: 0 }), now: () => Date.now() });
    const end = ledger.begin("a");
    ledger.start();
    ledger.start(); // idempotent: one timer
    cpu = 300;
    vi.advanceTimersByTime(100);
    end();
    cpu = 500;
    ledger.stop();
    vi.advanceTimersByTime(1_000);
    // The timer's sample credited 300 to a; a ended right at it, so the 200 after it, taken by
    // the drain's own sample, are nobody's.
    const drain = ledger.drain();
    expect(drain.tenants).toEqual(new Map([["a", 300]]));
    expect(drain.unattributedCpuMicros).toBe(200);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reads the real process CPU by default", () => {
    const ledger = createResourceLedger();
    const end = ledger.begin("a");
    let x = 0;
    for (let i = 0; i < 2_000_000; i++) x += Math.sqrt(i);
    end();
    const drain = ledger.drain();
    expect(x).toBeGreaterThan(0);
    expect(drain.totalCpuMicros).toBeGreaterThan(0);
    expect(drain.tenants.get("a")).toBe(drain.totalCpuMicros);
    expect(drain.toMs).toBeGreaterThanOrEqual(drain.fromMs);
  });
});
