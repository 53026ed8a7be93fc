/**
 * What billing meters, per tenant. Counters add up over a day (queries, rows,
 * questions …); gauges are sampled once a day (storage) and a day's figure is
 * its largest sample. The names are the GraphQL `UsageMetric` values.
 */
export const USAGE_METRICS = [
  "QUERIES",
  "MUTATIONS",
  "SUBSCRIPTIONS",
  "ROWS_RETURNED",
  "FAILED_OPERATIONS",
  "INGEST_RECORDS",
  "NL_QUESTIONS",
  "MODEL_TOKENS",
  "REPORTS",
  "EXPORTS",
  "GRAPH_NODES",
  "GRAPH_RELATIONSHIPS",
  "MONGO_BYTES",
] as const;

export type UsageMetric = (typeof USAGE_METRICS)[number];

export const GAUGE_METRICS: ReadonlySet<UsageMetric> = new Set(["GRAPH_NODES", "GRAPH_RELATIONSHIPS", "MONGO_BYTES"]);

export const isGauge = (metric: UsageMetric) => GAUGE_METRICS.has(metric);

/** A UTC day, `YYYY-MM-DD`. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The billing period (a UTC calendar month, `YYYY-MM`) of an instant. */
export const periodOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/** First and last day (inclusive) of a period, and when the next one starts. */
export function periodBounds(period: string): { firstDay: string; lastDay: string; resetsAt: Date } {
  const [year, month] = period.split("-").map(Number) as [number, number];
  const resetsAt = new Date(Date.UTC(year, month, 1));
  return { firstDay: `${period}-01`, lastDay: utcDay(resetsAt.getTime() - 86_400_000), resetsAt };
}

/** Combines two figures of one metric for one day: counters add, gauges keep the larger sample. */
export const combine = (metric: UsageMetric, a: number, b: number) => (isGauge(metric) ? Math.max(a, b) : a + b);
