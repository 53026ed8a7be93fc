/**
 * When rules are re-applied besides rule changes: after an ingest job of a
 * tenant with enabled rules ends, or indicators are created or updated
 * through the API (the tenant's audit events on pub/sub, so a job finished
 * by a worker in another process counts too), and by a scheduled sweep
 * (`intel.suppression`, every 5 minutes, once across processes) that finds
 * the tenants with indicators and re-applies the rules of those that have
 * rules — which also catches events missed while this process was down.
 */
import type { Driver } from "neo4j-driver";
import { auditTopic, type AuditEvent, type Logger, type PubSub, type Scheduler } from "@intelgraph/kit";
import type { RuleStore } from "./suppressionRules.ts";

/** Audit actions after which a tenant's indicators may have changed. */
export const REAPPLY_AFTER = new Set([
  "ingestJobSucceeded",
  "ingestJobFailed",
  "ingestJobCancelled",
  "createIndicators",
  "updateIndicators",
]);

export interface SuppressionTriggerOptions {
  driver: Driver;
  database: string;
  rules: RuleStore;
  pubsub: PubSub;
  scheduler: Scheduler;
  logger: Logger;
  apply(tenantId: string): Promise<unknown>;
  /** Wait after an event before applying, so a burst of events is one run. @default 500 */
  debounceMs?: number;
  /** The sweep's cron pattern. @default every 5 minutes */
  sweepCron?: string;
}

export function createSuppressionTriggers(options: SuppressionTriggerOptions) {
  const { driver, database, rules, pubsub, logger, apply, debounceMs = 500 } = options;
  const watched = new Map<string, AsyncIterableIterator<AuditEvent>>();
  const pending = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  function schedule(tenantId: string) {
    if (stopped || pending.has(tenantId)) return;
    const timer = setTimeout(() => {
      pending.delete(tenantId);
      apply(tenantId).catch((error) => logger.warn({ err: error, tenantId }, "re-applying suppression rules failed"));
    }, debounceMs);
    timer.unref();
    pending.set(tenantId, timer);
  }

  /** Listens to the tenant's audit events (once per tenant and process). */
  function watch(tenantId: string) {
    if (stopped || watched.has(tenantId)) return;
    const events = pubsub.subscribe<AuditEvent>(auditTopic(tenantId));
    watched.set(tenantId, events);
    void (async () => {
      for await (const event of events)
        if (event.tenantId === tenantId && event.outcome === "success" && REAPPLY_AFTER.has(event.action)) schedule(tenantId);
    })().catch((error) => logger.warn({ err: error, tenantId }, "suppression trigger stopped"));
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

  async function sweep() {
    for (const tenantId of await tenantsWithRules()) {
      watch(tenantId);
      await apply(tenantId);
    }
  }

  options.scheduler.add({ name: "intel.suppression", cron: options.sweepCron ?? "*/5 * * * *", run: () => sweep() });

  return {
    watch,
    sweep,
    /** Starts watching the tenants that already have rules (in the background: startup does not wait for it). */
    start() {
      void tenantsWithRules()
        .then((tenants) => tenants.forEach(watch))
        .catch((error) => logger.warn({ err: error }, "finding the tenants with suppression rules failed"));
    },
    async stop() {
      stopped = true;
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      for (const events of watched.values()) await events.return?.();
      watched.clear();
    },
  };
}
