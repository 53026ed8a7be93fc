import { appError, ErrorCode, validateInput } from "@intelgraph/kit";
import { z } from "zod";

/** Measured infrastructure use on one UTC day. */
export interface InfraDay {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** CPU seconds the service processes used (user + system). */
  cpuSeconds: number;
  /** Bytes stored (a daily snapshot). */
  storageBytes: number;
  /** CPU the resource ledger could not give to a tenant (idle, GC, background). Informational. */
  unattributedCpuSeconds?: number;
}

/** What one tenant used on the day, as attributed by the resource ledger, and what it was metered. */
export interface TenantDay {
  tenantId: string;
  cpuSeconds: number;
  storageBytes: number;
  meteredRevenueMicros: number;
}

/** Infrastructure prices, in micro-units of the billing currency. */
export interface CostRates {
  cpuSecondMicros: number;
  storageGbDayMicros: number;
}

export interface AnomalyOptions {
  /** Days of history in the 7 days before `day` needed for a baseline. @default 3 */
  minBaselineDays?: number;
  /** A day at least this many times the baseline, or at most its 1/ratio, is anomalous. Above 1. @default 3 */
  ratio?: number;
  /** Noise floor: a day is flagged only if it or its baseline costs at least this. @default 10_000 (a cent) */
  minCostMicros?: number;
}

export interface ReconcileInput {
  day: string;
  infra: InfraDay;
  tenants: readonly TenantDay[];
  /** Earlier tenant-day costs (e.g. past reconciliations); a repeated tenant-day counts its last entry. */
  history: readonly { tenantId: string; day: string; costMicros: number }[];
  rates: CostRates;
  anomaly?: AnomalyOptions;
}

export interface TenantReconciliation {
  tenantId: string;
  costMicros: number;
  cpuSeconds: number;
  storageBytes: number;
  meteredRevenueMicros: number;
  /** Metered revenue minus attributed cost; negative when the tenant costs more than it pays. */
  marginMicros: number;
  /** Mean daily cost over the baseline days, rounded; null with too little history. */
  baselineMicros: number | null;
  /** `costMicros / baselineMicros`; null without a baseline or when it is 0. */
  deviationRatio: number | null;
  anomaly: boolean;
  /** Why the day is anomalous, e.g. "3.4× the 7-day baseline"; null when it is not. */
  reason: string | null;
}

export interface Reconciliation {
  day: string;
  infraCostMicros: number;
  /** Sum of the tenants' costs, as measured (may exceed `infraCostMicros`). */
  attributedCostMicros: number;
  /** Infrastructure cost no tenant accounts for; never below 0. */
  unattributedCostMicros: number;
  /** 0..1, attributed / infra; 1 when infra is 0. */
  confidence: number;
  /** By cost, highest first, then by tenant id. */
  tenants: TenantReconciliation[];
  /** The anomalous entries of `tenants`, in the same order. */
  anomalies: TenantReconciliation[];
}

const BASELINE_WINDOW_DAYS = 7;
const BYTES_PER_GB = 1e9;

const amount = z.number().finite().nonnegative();
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a UTC day, YYYY-MM-DD")
  .refine((day) => {
    const ms = Date.parse(`${day}T00:00:00Z`);
    return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(day);
  }, "is not a calendar day");

const inputSchema = z.object({
  day: isoDay,
  infra: z.object({ day: isoDay, cpuSeconds: amount, storageBytes: amount, unattributedCpuSeconds: amount.optional() }),
  tenants: z.array(
    z.object({ tenantId: z.string().min(1), cpuSeconds: amount, storageBytes: amount, meteredRevenueMicros: z.number().finite() }),
  ),
  history: z.array(z.object({ tenantId: z.string(), day: z.string(), costMicros: z.number().finite() })),
  rates: z.object({ cpuSecondMicros: amount, storageGbDayMicros: amount }),
  anomaly: z
    .object({
      minBaselineDays: z.number().int().min(1).max(BASELINE_WINDOW_DAYS).optional(),
      ratio: z.number().finite().gt(1).optional(),
      minCostMicros: amount.optional(),
    })
    .optional(),
});

/**
 * Reconciles one day's metered usage with measured infrastructure cost.
 *
 * Model: the infrastructure's cost for the day is its CPU seconds and stored
 * gigabyte-days at list `rates` (each term rounded once to integer micros).
 * A tenant's cost is the CPU seconds and bytes the resource ledger
 * attributed to it, priced the same way. What the tenants' costs do not add
 * up to is unattributed (idle CPU, GC, background jobs, shared indexes), and
 * `confidence` is the attributed share of the measured cost: how much of the
 * bill the per-tenant margins explain (the goal is ≥ 0.95). Measurement
 * error can attribute more than was measured; confidence is then capped at 1
 * while `attributedCostMicros` shows the excess.
 *
 * Anomalies: a tenant's baseline is its mean daily cost over the days it has
 * history for in the 7 days before `day` (days without a record are not
 * counted as zero), given at least `minBaselineDays` of them. The day is
 * anomalous when it is `ratio` times the baseline or more, or a `ratio`-th
 * or less, and the larger of the two reaches `minCostMicros`, so tiny
 * tenants' noise is not flagged. A tenant absent from `tenants` is not
 * reported: the caller lists every tenant it wants checked, zeros included.
 */
export function reconcile(input: ReconcileInput): Reconciliation {
  const { day, infra, tenants, history, rates, anomaly = {} } = validateInput(inputSchema, input);
  const { minBaselineDays = 3, ratio = 3, minCostMicros = 10_000 } = anomaly;
  if (infra.day !== day) {
    throw appError(ErrorCode.BAD_USER_INPUT, `Infrastructure usage is for ${infra.day}, not ${day}; reconcile one day at a time.`, {
      problems: [{ path: "infra.day", message: `must be ${day}` }],
    });
  }
  const seen = new Set<string>();
  for (const tenant of tenants) {
    if (seen.has(tenant.tenantId)) {
      throw appError(ErrorCode.BAD_USER_INPUT, `Tenant ${tenant.tenantId} is listed twice; give one row per tenant and day.`, {
        problems: [{ path: "tenants", message: `duplicate tenant ${tenant.tenantId}` }],
      });
    }
    seen.add(tenant.tenantId);
  }

  const price = (usage: { cpuSeconds: number; storageBytes: number }) =>
    Math.round(usage.cpuSeconds * rates.cpuSecondMicros) + Math.round((usage.storageBytes * rates.storageGbDayMicros) / BYTES_PER_GB);

  const baselineDays = new Set(previousDays(day, BASELINE_WINDOW_DAYS));
  const pastCosts = new Map<string, Map<string, number>>();
  for (const entry of history) {
    if (!baselineDays.has(entry.day) || !seen.has(entry.tenantId)) continue;
    const byDay = pastCosts.get(entry.tenantId) ?? new Map<string, number>();
    byDay.set(entry.day, entry.costMicros);
    pastCosts.set(entry.tenantId, byDay);
  }

  const rows = tenants.map((tenant): TenantReconciliation => {
    const costMicros = price(tenant);
    const past = [...(pastCosts.get(tenant.tenantId)?.values() ?? [])];
    const baselineMicros = past.length >= minBaselineDays ? Math.round(past.reduce((a, b) => a + b, 0) / past.length) : null;
    const verdict = judge(costMicros, baselineMicros, { ratio, minCostMicros });
    return {
      tenantId: tenant.tenantId,
      costMicros,
      cpuSeconds: tenant.cpuSeconds,
      storageBytes: tenant.storageBytes,
      meteredRevenueMicros: tenant.meteredRevenueMicros,
      marginMicros: tenant.meteredRevenueMicros - costMicros,
      baselineMicros,
      ...verdict,
    };
  });
  rows.sort((a, b) => b.costMicros - a.costMicros || (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0));

  const infraCostMicros = price(infra);
  const attributedCostMicros = rows.reduce((sum, row) => sum + row.costMicros, 0);
  return {
    day,
    infraCostMicros,
    attributedCostMicros,
    unattributedCostMicros: Math.max(0, infraCostMicros - attributedCostMicros),
    confidence: infraCostMicros === 0 ? 1 : Math.min(1, attributedCostMicros / infraCostMicros),
    tenants: rows,
    anomalies: rows.filter((row) => row.anomaly),
  };
}

function judge(
  costMicros: number,
  baselineMicros: number | null,
  { ratio, minCostMicros }: { ratio: number; minCostMicros: number },
): Pick<TenantReconciliation, "deviationRatio" | "anomaly" | "reason"> {
  if (baselineMicros === null) return { deviationRatio: null, anomaly: false, reason: null };
  const aboveFloor = Math.max(costMicros, baselineMicros) >= minCostMicros;
  if (baselineMicros === 0) {
    const anomaly = costMicros > 0 && aboveFloor;
    return { deviationRatio: null, anomaly, reason: anomaly ? "cost where the 7-day baseline is 0" : null };
  }
  const deviationRatio = costMicros / baselineMicros;
  const anomaly = aboveFloor && (costMicros >= ratio * baselineMicros || costMicros <= baselineMicros / ratio);
  return { deviationRatio, anomaly, reason: anomaly ? `${formatRatio(deviationRatio)}× the 7-day baseline` : null };
}

/** Two significant digits below 10 ("3.4", "0.29"), whole numbers above. */
function formatRatio(value: number): string {
  return value >= 10 ? String(Math.round(value)) : String(Number(value.toPrecision(2)));
}

/** The `count` UTC days before `day`, nearest first. */
function previousDays(day: string, count: number): string[] {
  const start = Date.parse(`${day}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start - (i + 1) * 86_400_000).toISOString().slice(0, 10));
}
