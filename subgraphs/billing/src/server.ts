import { print } from "graphql";
import {
  createServiceSubgraph,
  ensureBillingIndexes,
  ensureUsageIndexes,
  type SecretBox,
  type ServiceDeps,
  type SubgraphServer,
} from "@intelgraph/kit";
import { createAccountService } from "./accounts.ts";
import { createAlertDelivery } from "./alerts/alertDelivery.ts";
import { createBillingAlerts } from "./billingAlerts.ts";
import { createUsageService } from "./billingService.ts";
import { createFunnel } from "./funnel.ts";
import { createInvoiceService } from "./invoiceService.ts";
import { createReconciliationService, type CostRates } from "./reconciliationService.ts";
import { resolvers, type BillingContext, type BillingServices } from "./resolvers.ts";
import { createRollups } from "./rollups.ts";
import { typeDefs } from "./typeDefs.ts";

export const name = "billing";

export async function sdl(): Promise<string> {
  return print(typeDefs);
}

export interface BillingServerDeps extends ServiceDeps {
  /** Seals webhook signing secrets at rest (the platform's CONNECTOR_SECRET_KEY). */
  secretBox: SecretBox;
  /** SMTP for alert e-mails; without it e-mail deliveries are recorded as failed with the reason. */
  smtp?: { url: string; from: string };
  /** Infrastructure prices for cost reconciliation. */
  costRates?: CostRates;
}

export type BillingServer = SubgraphServer & { billing: BillingServices };

/** Builds the billing services and adds their jobs to the process's scheduler. */
export function createBillingServices(deps: BillingServerDeps): BillingServices {
  const { db, now, logger } = deps;
  const delivery = createAlertDelivery({
    db,
    logger: logger.child({ component: "billing-alerts" }),
    now,
    smtp: deps.smtp,
    secretBox: deps.secretBox,
  });
  return {
    usage: createUsageService({ db, now }),
    accounts: createAccountService({ db, guard: deps.billing, secretBox: deps.secretBox, now }),
    alerts: createBillingAlerts({ db, guard: deps.billing, pubsub: deps.pubsub, sender: delivery, secretBox: deps.secretBox, logger, now }),
    delivery,
    rollups: createRollups({ db, logger, now }),
    funnel: createFunnel(db),
    invoices: createInvoiceService({ db, guard: deps.billing, now }),
    reconciliation: createReconciliationService({ db, now, ...(deps.costRates ? { rates: deps.costRates } : {}) }),
  };
}

export async function createServer(deps: BillingServerDeps): Promise<BillingServer> {
  const billing = createBillingServices(deps);
  await ensureUsageIndexes(deps.db);
  await ensureBillingIndexes(deps.db);
  await Promise.all([billing.alerts.ensureIndexes(), billing.delivery.ensureIndexes(), billing.invoices.ensureIndexes()]);
  // Each runs once across processes (kit's scheduler claims every slot); all are idempotent.
  deps.scheduler.add({ name: "billing.rollup", cron: "5 0 * * *", run: async () => void (await billing.rollups.run()) });
  deps.scheduler.add({
    name: "billing.alerts",
    cron: "* * * * *",
    missed: "skip",
    run: async () => void (await billing.alerts.evaluateActive()),
  });
  deps.scheduler.add({
    name: "billing.deliveries",
    cron: "*/15 * * * * *",
    missed: "skip",
    run: async () => void (await billing.delivery.sweep()),
  });
  deps.scheduler.add({ name: "billing.storage", cron: "10 0 * * *", run: () => billing.reconciliation.sampleMongoStorage(deps.usage) });
  deps.scheduler.add({ name: "billing.reconcile", cron: "20 0 * * *", run: async () => void (await billing.reconciliation.runDaily()) });
  const server = await createServiceSubgraph<BillingContext>({
    name,
    typeDefs,
    resolvers,
    deps,
    extendContext: (base) => ({ ...base, billing }),
  });
  return Object.assign(server, { billing });
}
