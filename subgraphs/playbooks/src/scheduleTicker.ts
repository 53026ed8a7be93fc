import type { Db } from "mongodb";
import { latestSlot, parseCron, type Logger } from "@intelgraph/kit";
import { scheduleActive, type PlaybookRecord } from "./model.ts";
import { idFor, pendingSteps, type RunRecord } from "./runRecords.ts";
import type { RunStore } from "./runStore.ts";

type Cron = ReturnType<typeof parseCron>;

export interface ScheduleTickerDeps {
  db: Db;
  store: RunStore;
  logger: Logger;
  /**
   * How old a slot may be and still count as due rather than missed (a
   * worker's poll or a short restart). A missed slot runs only with RUN_ONCE.
   */
  graceMs: number;
}

/**
 * Queues the due slot of every active schedule, across tenants. Each slot's
 * run has the id `idFor(<playbook>@<slot>)`, so however many workers see the
 * slot, one insert wins and the slot runs once. Only the latest slot is ever
 * queued, so a long outage gives one run (RUN_ONCE) or none (SKIP).
 */
export function createScheduleTicker(deps: ScheduleTickerDeps) {
  const playbooks = deps.db.collection<PlaybookRecord>("playbooks");
  const crons = new Map<string, Cron>();
  /** The slot this process last queued or saw queued per playbook, to spare the database an insert each poll. */
  const seen = new Map<string, number>();

  function cronOf(p: PlaybookRecord): Cron {
    const key = `${p.schedule!.cron}\u0000${p.schedule!.timeZone}`;
    let cron = crons.get(key);
    if (!cron) crons.set(key, (cron = parseCron(p.schedule!.cron, p.schedule!.timeZone)));
    return cron;
  }

  return {
    /** Queues due slots; returns how many schedules are active (0: nothing to poll for). */
    async tick(nowMs: number): Promise<number> {
      const scheduled = await playbooks.find({ schedule: { $ne: null }, "schedule.paused": false }).toArray();
      let active = 0;
      for (const p of scheduled) {
        if (!scheduleActive(p)) continue;
        active++;
        const slot = latestSlot(cronOf(p), new Date(nowMs));
        if (!slot || slot.getTime() < new Date(p.schedule!.activeSince).getTime() - 999) continue;
        if (seen.get(p._id) === slot.getTime()) continue;
        const missed = nowMs - slot.getTime() > deps.graceMs;
        if (missed && p.schedule!.missedRunPolicy === "SKIP") {
          seen.set(p._id, slot.getTime());
          continue;
        }
        const at = new Date(nowMs);
        const run: RunRecord = {
          _id: idFor(`${p._id}@${slot.toISOString()}`),
          tenantId: p.tenantId,
          playbookId: p._id,
          version: p.version,
          steps: p.steps,
          parameterDefinitions: p.parameters,
          parameters: Object.fromEntries(p.parameters.map((d) => [d.name, d.default ?? null])),
          status: "QUEUED",
          trigger: "SCHEDULE",
          requestedBy: p.schedule!.setBy,
          runAs: { kind: "user", userId: p.schedule!.setBy, scopes: [] },
          shareLinkId: null,
          scheduledFor: slot,
          queuedAt: at,
          startedAt: null,
          finishedAt: null,
          error: null,
          errorCode: null,
          reportId: null,
          stepRuns: pendingSteps(p.steps),
          attempt: 0,
          owner: null,
          leaseUntil: null,
          alerts: [],
        };
        if (await deps.store.insert(run))
          deps.logger.info({ playbookId: p._id, slot, runId: run._id, missed }, "queued a scheduled playbook run");
        seen.set(p._id, slot.getTime());
      }
      return active;
    },
  };
}
