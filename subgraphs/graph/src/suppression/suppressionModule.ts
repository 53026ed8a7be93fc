/**
 * Suppression rules per tenant (docs/threat-intel.md § Suppression): the
 * rules store, the engine that applies them to Indicator nodes and dry-runs
 * them, the API, and the triggers that re-apply them after ingest.
 */
import type { IntelModule, IntelModuleDeps } from "../intel/intelModule.ts";
import { auditApply } from "./auditApply.ts";
import { createSuppressedReads } from "./suppressedReads.ts";
import { createSuppressionEngine } from "./suppressionEngine.ts";
import { suppressionResolvers } from "./suppressionResolvers.ts";
import { createRuleStore } from "./suppressionRules.ts";
import { createSuppressionService } from "./suppressionService.ts";
import { createSuppressionTriggers } from "./suppressionTriggers.ts";

export { suppressionTypeDefs } from "./suppressionTypeDefs.ts";

export async function createSuppressionModule(deps: IntelModuleDeps): Promise<IntelModule> {
  const rules = createRuleStore(deps.db);
  await rules.ensureIndexes();
  const engine = createSuppressionEngine({ driver: deps.driver, database: deps.database, now: deps.now });
  const reads = createSuppressedReads({ driver: deps.driver, database: deps.database });
  const logger = deps.logger.child({ feature: "suppression" });
  const service = createSuppressionService({
    rules,
    engine,
    reads,
    now: deps.now,
    onApplied: (tenantId, outcome, all) =>
      auditApply(deps, tenantId, outcome, all).catch((error) => logger.warn({ err: error }, "audit of a suppression run failed")),
  });
  const triggers = createSuppressionTriggers({
    driver: deps.driver,
    database: deps.database,
    rules,
    pubsub: deps.pubsub,
    scheduler: deps.scheduler,
    logger,
    apply: (tenantId) => service.applyTenant(tenantId),
    markUnset: (tenantId) => engine.markUnset(tenantId),
  });
  const resolvers = suppressionResolvers(service);
  return { resolvers, stop: () => triggers.stop() };
}
