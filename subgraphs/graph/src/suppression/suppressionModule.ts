/**
 * Suppression rules per tenant (docs/threat-intel.md § Suppression): the
 * rules store, the engine that applies them to Indicator nodes and dry-runs
 * them, the API, and the triggers that re-apply them after ingest.
 */
import type { IntelModule, IntelModuleDeps } from "../intel/intelModule.ts";
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
  const service = createSuppressionService({ rules, engine, now: deps.now });
  const triggers = createSuppressionTriggers({
    driver: deps.driver,
    database: deps.database,
    rules,
    pubsub: deps.pubsub,
    scheduler: deps.scheduler,
    logger: deps.logger.child({ feature: "suppression" }),
    apply: (tenantId) => service.applyTenant(tenantId),
  });
  triggers.start();
  const resolvers = suppressionResolvers({
    ...service,
    // A tenant that gets a rule here is watched from now on.
    create: async (principal, args, hints) => {
      const doc = await service.create(principal, args, hints);
      triggers.watch(doc.tenantId);
      return doc;
    },
  });
  return { resolvers, stop: () => triggers.stop() };
}
