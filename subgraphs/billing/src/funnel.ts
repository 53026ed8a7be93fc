import type { Db } from "mongodb";
import { requireUser, USAGE_FIRSTS, type Principal, type UsageMetric } from "@intelgraph/kit";

/** The onboarding funnel's steps after CREATED, each reached by a tenant's first event of a metric. */
const STEPS = [
  ["FIRST_INGEST", "INGEST_RECORDS"],
  ["FIRST_QUESTION", "NL_QUESTIONS"],
  ["FIRST_REPORT", "REPORTS"],
  ["FIRST_EXPORT", "EXPORTS"],
] as const satisfies readonly (readonly [string, UsageMetric])[];

/**
 * Created → first ingest → first question → first report → first export.
 * The usage recorder keeps each tenant's first event of these metrics
 * (`billing_usage_firsts`, `$min` per flush), so the funnel is one read and
 * survives the events' retention. The first export is the first success: the
 * golden path's end.
 */
export function createFunnel(db: Db) {
  const firsts = db.collection<{ _id: string; firsts?: Partial<Record<UsageMetric, Date>> }>(USAGE_FIRSTS);
  const tenants = db.collection<{ _id: string; createdAt: Date }>("governance_tenants");

  return {
    async funnel(principal: Principal) {
      const { tenantId } = requireUser(principal);
      const [tenant, stored] = await Promise.all([
        tenants.findOne({ _id: tenantId }, { projection: { createdAt: 1 } }),
        firsts.findOne({ _id: tenantId }),
      ]);
      const created = tenant?.createdAt ?? null;
      const since = (at: Date | null | undefined) => (at && created ? Math.max(0, (at.getTime() - created.getTime()) / 1000) : null);
      const step = (name: string, at: Date | null | undefined) => ({
        step: name,
        at: at?.toISOString() ?? null,
        sinceCreatedSeconds: since(at),
      });
      return {
        steps: [step("CREATED", created), ...STEPS.map(([name, metric]) => step(name, stored?.firsts?.[metric]))],
        timeToFirstSuccessSeconds: since(stored?.firsts?.EXPORTS),
      };
    },
  };
}
