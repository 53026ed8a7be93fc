import type { Db } from "mongodb";
import { z } from "zod";
import {
  createUsageReader,
  periodBounds,
  planOf,
  RESOURCE_SAMPLES,
  setStorageSample,
  readStorageSample,
  systemClock,
  usageCharges,
  utcDay,
  validateInput,
  type Clock,
  type ResourceSample,
  type UsageRecorder,
} from "@intelgraph/kit";
import { reconcile, type CostRates, type Reconciliation, type TenantDay } from "./reconciliation/reconcile.ts";

export type { CostRates } from "./reconciliation/reconcile.ts";

const RECONCILIATIONS = "billing_reconciliations";

/** Bytes a graph node or relationship takes in Neo4j's store, on average (record + a few properties); an estimate, see docs/billing.md. */
export const GRAPH_NODE_BYTES = 300;
export const GRAPH_RELATIONSHIP_BYTES = 150;

/** Default infrastructure prices: a 2-vCPU VM at about $70/month (≈ $0.0000135 per CPU-second) and block storage at $0.10 per GB-month. */
export const DEFAULT_COST_RATES: CostRates = { cpuSecondMicros: 13.5, storageGbDayMicros: 3300 };

const dayInput = z.object({
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "a date such as 2026-01-31")
    .nullish(),
});

/**
 * Daily cost reconciliation: the platform's measured resource use (every
 * process's CPU from its resource ledger, the stores' storage) priced at
 * infrastructure rates, against what the ledgers and storage samples
 * attribute to each tenant, and against each tenant's metered revenue.
 */
export function createReconciliationService({
  db,
  now = systemClock,
  rates = DEFAULT_COST_RATES,
}: {
  db: Db;
  now?: Clock;
  rates?: CostRates;
}) {
  const samples = db.collection<ResourceSample>(RESOURCE_SAMPLES);
  const stored = db.collection<Reconciliation & { _id: string }>(RECONCILIATIONS);
  const tenants = db.collection<{ _id: string; plan: string }>("governance_tenants");
  const reader = createUsageReader(db);

  async function compute(day: string): Promise<Reconciliation> {
    const [daySamples, infraStorage, tenantRecords] = await Promise.all([
      samples.find({ day }).toArray(),
      readStorageSample(db, day),
      tenants.find({}, { projection: { plan: 1 } }).toArray(),
    ]);
    const cpu = new Map<string, number>();
    let totalCpu = 0;
    let unattributedCpu = 0;
    for (const s of daySamples) {
      totalCpu += s.totalCpuMicros;
      unattributedCpu += s.unattributedCpuMicros;
      for (const t of s.tenants) cpu.set(t.tenantId, (cpu.get(t.tenantId) ?? 0) + t.cpuMicros);
    }
    const daysInMonth = Number(periodBounds(day.slice(0, 7)).lastDay.slice(8));
    const tenantDays: TenantDay[] = [];
    for (const tenant of tenantRecords) {
      const [usage] = await reader.days(tenant._id, day, day);
      const f = usage?.figures ?? {};
      const storageBytes =
        (f.MONGO_BYTES ?? 0) + (f.GRAPH_NODES ?? 0) * GRAPH_NODE_BYTES + (f.GRAPH_RELATIONSHIPS ?? 0) * GRAPH_RELATIONSHIP_BYTES;
      const tenantCpu = cpu.get(tenant._id) ?? 0;
      if (!tenantCpu && !storageBytes && !Object.keys(f).length) continue;
      const plan = planOf(tenant.plan);
      // A day's revenue: its usage charges at the plan's prices (included units ignored: a day has no allowance of its own) plus a day's share of the fee.
      const charges = usageCharges({ ...plan, prices: plan.prices.map((p) => ({ ...p, included: 0 })) }, f).totalMicros;
      tenantDays.push({
        tenantId: tenant._id,
        cpuSeconds: tenantCpu / 1e6,
        storageBytes,
        meteredRevenueMicros: Math.round(charges + plan.monthlyFeeMicros / daysInMonth),
      });
    }
    const infraStorageBytes =
      (infraStorage?.mongoBytes ?? 0) +
      (infraStorage?.graphNodes ?? 0) * GRAPH_NODE_BYTES +
      (infraStorage?.graphRelationships ?? 0) * GRAPH_RELATIONSHIP_BYTES;
    const from = utcDay(Date.parse(`${day}T00:00:00Z`) - 7 * 86_400_000);
    const history = (await stored.find({ _id: { $gte: from, $lt: day } }).toArray()).flatMap((r) =>
      r.tenants.map((t) => ({ tenantId: t.tenantId, day: r.day, costMicros: t.costMicros })),
    );
    return reconcile({
      day,
      infra: { day, cpuSeconds: totalCpu / 1e6, storageBytes: infraStorageBytes, unattributedCpuSeconds: unattributedCpu / 1e6 },
      tenants: tenantDays,
      history,
      rates,
    });
  }

  return {
    compute,
    /** The job: yesterday's reconciliation, stored (recomputing replaces it). */
    async runDaily(): Promise<Reconciliation> {
      const day = utcDay(now() - 86_400_000);
      const result = await compute(day);
      await stored.replaceOne({ _id: day }, result, { upsert: true });
      return result;
    },
    /** A stored day, or computed now for a day the job has not stored (today, or before the job existed). */
    async get(args: unknown): Promise<Reconciliation> {
      const { day } = validateInput(dayInput, args);
      const which = day ?? utcDay(now() - 86_400_000);
      const hit = await stored.findOne({ _id: which });
      if (hit) {
        const { _id: _, ...result } = hit;
        return result;
      }
      return compute(which);
    },
    /**
     * Samples the Mongo-wire store: the whole database's size, and per tenant
     * its documents × each collection's average document size, metered as the
     * MONGO_BYTES gauge (idempotent per day).
     */
    async sampleMongoStorage(usage: UsageRecorder): Promise<void> {
      const at = now();
      const day = utcDay(at);
      const perTenant = new Map<string, number>();
      let total = 0;
      for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
        const stats = (await db.command({ collStats: name })) as { size?: number; count?: number };
        total += stats.size ?? 0;
        if (!stats.count) continue;
        const avg = (stats.size ?? 0) / stats.count;
        const counts = await db
          .collection(name)
          .aggregate<{ _id: string | null; n: number }>([{ $group: { _id: "$tenantId", n: { $sum: 1 } } }])
          .toArray();
        for (const { _id, n } of counts)
          if (typeof _id === "string" && _id && !_id.startsWith("_")) perTenant.set(_id, (perTenant.get(_id) ?? 0) + Math.round(n * avg));
      }
      for (const [tenantId, bytes] of perTenant)
        usage.record({ tenantId, quantities: { MONGO_BYTES: bytes }, key: `storage-mongo:${day}`, at: new Date(at) });
      await setStorageSample(db, day, "mongo", { mongoBytes: total }, new Date(at));
    },
  };
}

export type ReconciliationService = ReturnType<typeof createReconciliationService>;
