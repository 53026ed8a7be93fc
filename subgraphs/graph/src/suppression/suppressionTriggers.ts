/**
 * When rules are re-applied besides rule changes: after an ingest job ends
 * (the worker's job-finished event, whichever process ran the job), when a
 * service asks for it on `SUPPRESSION_REAPPLY_TOPIC` (e.g. after rescoring,
 * which moves `scoreBelow` verdicts), and by a scheduled sweep
 * (`intel.suppression`, every 5 minutes, once across processes) over the
 * tenants that have indicators and rules — which also catches scores that
 * changed (hourly decay, feedback) and events missed while a process was down.
 */
import type { Driver } from "neo4j-driver";
import type { Logger, PubSub, Scheduler } from "@intelgraph/kit";
import { JOB_FINISHED_TOPIC } from "../ingest/progressTopic.ts";
import type { RuleStore } from "./suppressionRules.ts";

/** Publish `{ tenantId }` here to have that tenant's rules re-applied (debounced). */
export const SUPPRESSION_REAPPLY_TOPIC = "suppressionReapply";

/** The sweep job's name and cron pattern (every 5 minutes, UTC). */
export const SUPPRESSION_JOB = { name: "intel.suppression", cron: "*/5 * * * *" } as const;

export interface SuppressionTriggerOptions {
  driver: Driver;
  database: string;
  rules: RuleStore;
  pubsub: PubSub;
  scheduler: Scheduler;
  logger: Logger;
  apply(tenantId: string): Promise<unknown>;
  /** Stores `suppressed = false` where it is missing (one tenant's, or every tenant's for null). */
  markUnset(tenantId: string | null): Promise<number>;
  /** Wait after an event before applying, so a burst of events is one run. @default 1_000 */
  debounceMs?: number;
}

export function createSuppressionTriggers(options: SuppressionTriggerOptions) {
  const { driver, database, rules, pubsub, logger, apply, markUnset, debounceMs = 1_000 } = options;
  const pending = new Map<string, NodeJS.Timeout>();
  const runs = new Set<Promise<unknown>>();
  let stopped = false;

  /** Applies the tenant's rules soon (if it has none, just marks its new indicators as not suppressed). */
  function schedule(tenantId: string) {
    if (stopped || pending.has(tenantId)) return;
    const timer = setTimeout(() => {
      pending.delete(tenantId);
      const run = rules
        .forTenant(tenantId)
        .countDocuments()
        .then((n) => (n > 0 ? apply(tenantId) : markUnset(tenantId)))
        .catch((error) => logger.warn({ err: error, tenantId }, "re-applying suppression rules failed"))
        .finally(() => runs.delete(run));
      runs.add(run);
    }, debounceMs);
    timer.unref();
    pending.set(tenantId, timer);
  }

  function listen(topic: string) {
    const events = pubsub.subscribe<{ tenantId?: string }>(topic);
    const done = (async () => {
      for await (const event of events) if (typeof event?.tenantId === "string" && event.tenantId) schedule(event.tenantId);
    })().catch((error) => logger.warn({ err: error, topic }, "suppression stopped listening"));
    return { events, done };
  }

  /** Tenants that have indicators (every tenant's, like the storage sampler) and rules in this platform's store. */
  async function tenantsWithRules(): Promise<string[]> {
    const { records } = await driver.executeQuery(
      "MATCH (i:Indicator) WHERE i.tenantId IS NOT NULL RETURN DISTINCT i.tenantId AS tenantId",
      {},
      { database, routing: "READ" },
    );
    const found: string[] = [];
    for (const record of records) {
      const tenantId = String(record.get("tenantId"));
      if ((await rules.forTenant(tenantId).countDocuments()) > 0) found.push(tenantId);
    }
    return found;
  }

  options.scheduler.add({
    ...SUPPRESSION_JOB,
    run: async ({ signal }) => {
      await markUnset(null);
      for (const tenantId of await tenantsWithRules()) if (!signal.aborted) await apply(tenantId);
    },
  });
  const listeners = [listen(JOB_FINISHED_TOPIC), listen(SUPPRESSION_REAPPLY_TOPIC)];

  return {
    async stop() {
      stopped = true;
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      for (const { events, done } of listeners) {
        await events.return?.();
        await done;
      }
      await Promise.all([...runs]);
    },
  };
}
