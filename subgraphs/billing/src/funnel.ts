import type { Db } from "mongodb";
import { requireUser, USAGE_EVENTS, type Principal, type UsageEvent, type UsageMetric } from "@intelgraph/kit";

const FUNNEL = "billing_funnel";

/** The onboarding funnel's steps after CREATED, each reached by a tenant's first event of a metric. */
const STEPS = [
  ["FIRST_INGEST", "INGEST_RECORDS"],
  ["FIRST_QUESTION", "NL_QUESTIONS"],
  ["FIRST_REPORT", "REPORTS"],
  ["FIRST_EXPORT", "EXPORTS"],
] as const satisfies readonly (readonly [string, UsageMetric])[];

type StepName = "CREATED" | (typeof STEPS)[number][0];

interface FunnelRecord {
  _id: string;
  firsts: Partial<Record<StepName, Date>>;
}

/**
 * Created → first ingest → first question → first report → first export.
 * A first is found once in the events and kept in `billing_funnel` (the
 * tenant's id is the document's), so it survives the events' retention.
 * The first export is the first success: the golden path's end.
 */
export function createFunnel(db: Db) {
  const events = db.collection<UsageEvent>(USAGE_EVENTS);
  const funnel = db.collection<FunnelRecord>(FUNNEL);
  const tenants = db.collection<{ _id: string; createdAt: Date }>("governance_tenants");

  return {
    ensureIndexes: () => events.createIndex({ tenantId: 1, metric: 1, at: 1 }, { name: "tenant_metric_at" }),

    async funnel(principal: Principal) {
      const { tenantId } = requireUser(principal);
      const [tenant, stored] = await Promise.all([
        tenants.findOne({ _id: tenantId }, { projection: { createdAt: 1 } }),
        funnel.findOne({ _id: tenantId }),
      ]);
      const firsts: Partial<Record<StepName, Date>> = { ...stored?.firsts };
      if (tenant?.createdAt) firsts.CREATED = tenant.createdAt;
      const found: Partial<Record<StepName, Date>> = {};
      for (const [step, metric] of STEPS) {
        if (firsts[step]) continue;
        const first = await events.find({ tenantId, metric }, { sort: { at: 1 }, limit: 1, projection: { at: 1 } }).next();
        if (first) found[step] = firsts[step] = first.at;
      }
      if (Object.keys(found).length) {
        const set = Object.fromEntries(Object.entries(found).map(([step, at]) => [`firsts.${step}`, at]));
        await funnel.updateOne({ _id: tenantId }, { $set: set }, { upsert: true });
      }
      const created = firsts.CREATED?.getTime() ?? null;
      const since = (at: Date | undefined) => (at && created !== null ? Math.max(0, (at.getTime() - created) / 1000) : null);
      return {
        steps: (["CREATED", ...STEPS.map(([step]) => step)] as StepName[]).map((step) => ({
          step,
          at: firsts[step]?.toISOString() ?? null,
          sinceCreatedSeconds: since(firsts[step]),
        })),
        timeToFirstSuccessSeconds: since(firsts.FIRST_EXPORT),
      };
    },
  };
}
