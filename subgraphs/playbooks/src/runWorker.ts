import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "mongodb";
import { createJobSlots, type Clock, type Logger } from "@intelgraph/kit";
import type { PlaybookRecord } from "./model.ts";
import type { RunExecutor } from "./runExecutor.ts";
import type { RunRecord } from "./runRecords.ts";
import type { RunStore } from "./runStore.ts";
import type { createScheduleTicker } from "./scheduleTicker.ts";

export interface RunWorkerOptions {
  /** How often a busy worker looks for queued runs and due schedules. @default 1000 */
  pollMs?: number;
  /**
   * How often a worker with nothing to do (no queued or running run, no active
   * schedule anywhere) looks again; 0: only when woken by a run or schedule
   * change in this process, or at start. A busy worker polls every pollMs.
   * @default 0
   */
  idlePollMs?: number;
  /** How long a taken run is this worker's without renewal; a dead worker's run is taken over after it. @default 30000 */
  leaseMs?: number;
  /** Runs of one tenant running at once, across processes. @default 2 */
  tenantConcurrency?: number;
  /** Runs this process runs at once. @default 4 */
  maxLocalRuns?: number;
}

export interface RunWorkerDeps extends Required<RunWorkerOptions> {
  db: Db;
  store: RunStore;
  executor: RunExecutor;
  ticker: ReturnType<typeof createScheduleTicker>;
  logger: Logger;
  now: Clock;
}

/**
 * The runner inside every process that serves playbooks: it takes queued runs
 * (once, by claim), runs at most `tenantConcurrency` per tenant across
 * processes (kit's job slots, namespaced `<tenant>/playbooks`), renews its
 * lease while running and takes over runs whose worker's lease ran out. It
 * goes quiet when there is nothing to do and wakes on a local change.
 */
export function createRunWorker(deps: RunWorkerDeps) {
  const { store, logger, now } = deps;
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const slots = createJobSlots(deps.db, { leaseMs: deps.leaseMs, now });
  const playbooks = deps.db.collection<PlaybookRecord>("playbooks");
  const running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  /** A wake-up came while a pass was running. */
  let again = false;
  let started = false;
  let stopped = false;

  function schedule(ms: number) {
    clearTimeout(timer);
    if (!started || stopped) return;
    timer = setTimeout(() => void tick(), ms);
    timer.unref();
  }

  /** Takes the run if its tenant has a free slot and no other worker claims it first; false when the tenant is at its limit. */
  async function take(run: RunRecord): Promise<boolean> {
    let lease;
    try {
      lease = await slots.acquire(`${run.tenantId}/playbooks`, "playbook-run", deps.tenantConcurrency);
    } catch {
      return false; // The tenant's runs are at the limit: the run stays queued.
    }
    const attempt = run.attempt + 1;
    const at = new Date(now());
    if (!(await store.claim(run._id, attempt, owner, at))) {
      await lease.release();
      return true;
    }
    if (run.attempt > 0)
      logger.warn({ runId: run._id, previousOwner: run.owner, attempt }, "took over a playbook run whose worker's lease ran out");
    const leaseUntil = new Date(at.getTime() + deps.leaseMs);
    const taken: RunRecord = { ...run, status: "RUNNING", attempt, owner, leaseUntil, startedAt: run.startedAt ?? at };
    await store.save({ ...taken, owner: run.owner }, { status: "RUNNING", attempt, owner, leaseUntil, startedAt: taken.startedAt });
    const playbook = await playbooks.findOne({ _id: run.playbookId, tenantId: run.tenantId });
    const abort = new AbortController();
    const renew = setInterval(
      () => {
        void store.save(taken, { leaseUntil: new Date(now() + deps.leaseMs) }).then(
          (mine) => {
            if (!mine) abort.abort(new Error("lease lost"));
          },
          () => undefined,
        );
        void lease.renew().catch(() => undefined);
      },
      Math.max(200, deps.leaseMs / 3),
    );
    renew.unref();
    const done = deps.executor
      .execute(taken, playbook, abort.signal)
      .catch((error: unknown) => logger.error({ err: error, runId: run._id }, "a playbook run failed unexpectedly"))
      .finally(async () => {
        clearInterval(renew);
        running.delete(run._id);
        await lease.release().catch(() => undefined);
        schedule(0);
      });
    running.set(run._id, { abort, done });
    return true;
  }

  async function pass(): Promise<boolean> {
    const nowMs = now();
    const activeSchedules = await deps.ticker.tick(nowMs);
    const free = deps.maxLocalRuns - running.size;
    if (free > 0) {
      // Tenants found at their limit are skipped for the rest of the pass, so one tenant's queue cannot hold up the others'.
      const full = new Set<string>();
      for (const run of await store.candidates(new Date(nowMs), 50)) {
        if (running.size >= deps.maxLocalRuns) break;
        if (running.has(run._id) || full.has(run.tenantId)) continue;
        if (!(await take(run))) full.add(run.tenantId);
      }
    }
    return activeSchedules > 0 || running.size > 0 || (await store.hasWork());
  }

  async function tick(): Promise<void> {
    if (stopped) return ticking;
    if (ticking) {
      // Woken during a pass that may have read the runs and schedules before the change: pass again after it.
      again = true;
      return ticking;
    }
    again = false;
    ticking = pass()
      .then(
        (busy) => {
          if (again) schedule(0);
          else if (busy) schedule(deps.pollMs);
          else if (deps.idlePollMs > 0) schedule(deps.idlePollMs);
        },
        (error: unknown) => {
          logger.error({ err: error }, "the playbook worker's poll failed");
          schedule(deps.pollMs);
        },
      )
      .finally(() => (ticking = undefined));
    return ticking;
  }

  return {
    owner,
    start() {
      if (started || stopped) return;
      started = true;
      schedule(0);
    },
    /** Looks for work now (a run was queued or a schedule changed in this process). */
    wake() {
      if (started && !stopped) schedule(0);
    },
    /** One pass now; resolves when the runs it started have finished (tests). */
    async tick() {
      await tick();
      await Promise.all([...running.values()].map((r) => r.done));
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await ticking;
      for (const r of running.values()) r.abort.abort(new Error("The playbook worker is stopping."));
      await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}

export type RunWorker = ReturnType<typeof createRunWorker>;
