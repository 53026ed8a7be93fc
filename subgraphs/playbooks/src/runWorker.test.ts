import { describe, expect, it } from "vitest";
import type { Db } from "mongodb";
import type { Logger } from "@intelgraph/kit";
import { createRunWorker, type RunWorkerDeps } from "./runWorker.ts";

/** A worker over fakes whose every pass finds nothing, and whose first pass waits until `release()`. */
function idleWorker() {
  let release = () => {};
  const firstPass = new Promise<void>((resolve) => (release = resolve));
  const passes: number[] = [];
  const deps = {
    db: { collection: () => ({}) } as unknown as Db,
    store: { candidates: async () => [], hasWork: async () => false } as unknown as RunWorkerDeps["store"],
    executor: {} as RunWorkerDeps["executor"],
    ticker: {
      async tick(nowMs: number) {
        passes.push(nowMs);
        if (passes.length === 1) await firstPass;
        return 0;
      },
    },
    logger: { error: () => {}, info: () => {}, warn: () => {} } as unknown as Logger,
    now: Date.now,
    pollMs: 1000,
    idlePollMs: 0,
    leaseMs: 30_000,
    tenantConcurrency: 2,
    maxLocalRuns: 4,
  } satisfies RunWorkerDeps;
  return { worker: createRunWorker(deps), passes, release: () => release() };
}

describe("the run worker's wake-ups", () => {
  it("passes again when woken during a pass (that pass may have read the schedules before the change)", async () => {
    const { worker, passes, release } = idleWorker();
    worker.start();
    await expect.poll(() => passes.length).toBe(1);
    worker.wake(); // e.g. a schedule was created while the start-up pass was reading
    await new Promise((r) => setTimeout(r, 20));
    release();
    await expect.poll(() => passes.length, { timeout: 1000 }).toBe(2);
    await worker.stop();
  });

  it("goes quiet when a pass finds nothing and nobody woke it (idlePollMs 0)", async () => {
    const { worker, passes, release } = idleWorker();
    release();
    worker.start();
    await expect.poll(() => passes.length).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(passes).toHaveLength(1);
    await worker.stop();
  });
});
