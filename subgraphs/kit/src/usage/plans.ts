import type { UsageMetric } from "./usageMetrics.ts";

export type PlanId = "FREE" | "TEAM" | "ENTERPRISE";
export const PLAN_IDS: readonly PlanId[] = ["FREE", "TEAM", "ENTERPRISE"];

/** Money is integer micros (millionths of the currency unit) until an invoice rounds a line to cents. */
export const MICROS = 1_000_000;

/** The price of a metric on a plan: `unitPriceMicros` buys `per` units beyond the `included` ones each month. */
export interface MetricPrice {
  metric: UsageMetric;
  label: string;
  per: number;
  unitPriceMicros: number;
  included: number;
}

export interface PlanDefinition {
  id: PlanId;
  name: string;
  currency: "USD";
  monthlyFeeMicros: number;
  /** Monthly caps; a metric without one is unlimited. At 80 % a notice goes out, at 100 % the operation is refused (QUOTA_EXCEEDED). */
  quotas: Partial<Record<UsageMetric, number>>;
  prices: readonly MetricPrice[];
  /** What the plan includes, for the compare table. */
  features: readonly string[];
}

const usd = (dollars: number) => Math.round(dollars * MICROS);

/** The price book, one list for every plan; a plan changes what is included and what a unit costs. */
function priceBook(scale: number, included: Partial<Record<UsageMetric, number>>): MetricPrice[] {
  const line = (metric: UsageMetric, label: string, per: number, dollars: number): MetricPrice => ({
    metric,
    label,
    per,
    unitPriceMicros: usd(dollars * scale),
    included: included[metric] ?? 0,
  });
  return [
    line("QUERIES", "Queries", 1000, 0.4),
    line("MUTATIONS", "Mutations", 1000, 1),
    line("ROWS_RETURNED", "Rows returned", 100_000, 0.05),
    line("INGEST_RECORDS", "Ingested records", 1000, 0.5),
    line("NL_QUESTIONS", "Questions in plain language", 1, 0.02),
    line("MODEL_TOKENS", "Model tokens", 1000, 0.002),
    line("EXPORTS", "Report exports", 1, 0.1),
    line("GRAPH_NODES", "Graph nodes (node-days)", 100_000, 0.1),
    line("GRAPH_RELATIONSHIPS", "Graph relationships (relationship-days)", 100_000, 0.05),
    line("MONGO_BYTES", "Document storage (GB-days)", 1_000_000_000, 0.25),
  ];
}

const FREE_QUOTAS = {
  QUERIES: 50_000,
  MUTATIONS: 10_000,
  INGEST_RECORDS: 100_000,
  NL_QUESTIONS: 300,
  REPORTS: 50,
  EXPORTS: 30,
} satisfies Partial<Record<UsageMetric, number>>;

const TEAM_QUOTAS = {
  QUERIES: 2_000_000,
  MUTATIONS: 400_000,
  INGEST_RECORDS: 5_000_000,
  NL_QUESTIONS: 10_000,
  REPORTS: 2_000,
  EXPORTS: 1_000,
} satisfies Partial<Record<UsageMetric, number>>;

const STORAGE_INCLUDED = { GRAPH_NODES: 3_000_000, GRAPH_RELATIONSHIPS: 6_000_000, MONGO_BYTES: 30_000_000_000 };

export const PLANS: Readonly<Record<PlanId, PlanDefinition>> = {
  FREE: {
    id: "FREE",
    name: "Free",
    currency: "USD",
    monthlyFeeMicros: 0,
    quotas: FREE_QUOTAS,
    // Everything a free tenant can use is included: its quotas stop it first.
    prices: priceBook(1, { ...FREE_QUOTAS, ROWS_RETURNED: 50_000_000, MODEL_TOKENS: 1_000_000, ...STORAGE_INCLUDED }),
    features: ["Ask in plain language", "Reports with evidence", "PDF, Markdown and JSON exports", "Audit chain"],
  },
  TEAM: {
    id: "TEAM",
    name: "Team",
    currency: "USD",
    monthlyFeeMicros: usd(49),
    quotas: TEAM_QUOTAS,
    prices: priceBook(1, {
      QUERIES: 250_000,
      MUTATIONS: 50_000,
      ROWS_RETURNED: 50_000_000,
      INGEST_RECORDS: 500_000,
      NL_QUESTIONS: 1000,
      EXPORTS: 100,
      ...STORAGE_INCLUDED,
    }),
    features: [
      "Ask in plain language",
      "Reports with evidence",
      "PDF, Markdown and JSON exports",
      "Audit chain",
      "Budgets with alerts",
      "API tokens",
      "Export branding",
    ],
  },
  ENTERPRISE: {
    id: "ENTERPRISE",
    name: "Enterprise",
    currency: "USD",
    monthlyFeeMicros: usd(990),
    quotas: {},
    prices: priceBook(0.5, {
      QUERIES: 5_000_000,
      MUTATIONS: 1_000_000,
      ROWS_RETURNED: 1_000_000_000,
      INGEST_RECORDS: 20_000_000,
      NL_QUESTIONS: 20_000,
      EXPORTS: 5_000,
      GRAPH_NODES: 30_000_000,
      GRAPH_RELATIONSHIPS: 60_000_000,
      MONGO_BYTES: 300_000_000_000,
    }),
    features: [
      "Ask in plain language",
      "Reports with evidence",
      "PDF, Markdown and JSON exports",
      "Audit chain",
      "Budgets with alerts",
      "API tokens",
      "Export branding",
      "No monthly quotas",
      "Residency controls",
    ],
  },
};

export const planOf = (id: string | null | undefined): PlanDefinition => PLANS[(id ?? "FREE") as PlanId] ?? PLANS.FREE;

/**
 * What a month's usage costs beyond what the plan includes, in micros, per
 * metric and in total (the plan's fee is not part of it: budgets cap what
 * usage adds to the bill). The invoice rounds the same figures to cents.
 */
export function usageCharges(plan: PlanDefinition, usage: Partial<Record<UsageMetric, number>>) {
  const lines = plan.prices.map((price) => {
    const billable = Math.max(0, (usage[price.metric] ?? 0) - price.included);
    return { metric: price.metric, billable, micros: Math.round((billable / price.per) * price.unitPriceMicros) };
  });
  return { lines, totalMicros: lines.reduce((sum, l) => sum + l.micros, 0) };
}
