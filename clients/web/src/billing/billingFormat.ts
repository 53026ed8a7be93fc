/** Formatting for the billing screens: money, metric names, progress and periods (UTC, like the API). */
import type { FunnelStepName, UsageMetric } from "../api/generated/graphql.ts";

/** 49 → "$49.00"; money fields are decimals in the plan's currency. */
export function formatMoney(amount: number | null | undefined, currency = "USD"): string {
  if (amount == null || !Number.isFinite(amount)) return "—";
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount);
}

/** A unit price, with more digits than cents when it needs them: 0.002 → "$0.002". */
export function formatUnitPrice(amount: number, currency = "USD"): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 6 }).format(amount);
}

export const METRIC_LABELS: Record<UsageMetric, string> = {
  QUERIES: "Queries",
  MUTATIONS: "Mutations",
  SUBSCRIPTIONS: "Subscriptions",
  ROWS_RETURNED: "Rows returned",
  FAILED_OPERATIONS: "Failed operations",
  INGEST_RECORDS: "Ingest records",
  NL_QUESTIONS: "Questions",
  MODEL_TOKENS: "Model tokens",
  REPORTS: "Reports",
  EXPORTS: "Exports",
  GRAPH_NODES: "Graph nodes",
  GRAPH_RELATIONSHIPS: "Graph relationships",
  MONGO_BYTES: "Document storage (bytes)",
};

/** The metric's name for people; an unknown one (a newer API) as it came, spaced. */
export const metricLabel = (metric: string) =>
  (METRIC_LABELS as Record<string, string>)[metric] ?? metric.replaceAll("_", " ").toLowerCase();

export const FUNNEL_LABELS: Record<FunnelStepName, string> = {
  CREATED: "Tenant created",
  FIRST_INGEST: "First ingest",
  FIRST_QUESTION: "First question",
  FIRST_REPORT: "First report",
  FIRST_EXPORT: "First export",
};

/** used / limit as a whole percentage for a progress bar, 0…100 (a zero limit with any use is full). */
export function progressPercent(used: number, limit: number | null | undefined): number {
  if (limit == null || !Number.isFinite(limit)) return 0;
  if (limit <= 0) return used > 0 ? 100 : 0;
  return Math.min(100, Math.max(0, Math.floor((used / limit) * 100)));
}

export type ProgressLevel = "ok" | "warn" | "over";

/** Colour of a bar: warn from 80 %, over at 100 % (where the API refuses). */
export const progressLevel = (percent: number): ProgressLevel => (percent >= 100 ? "over" : percent >= 80 ? "warn" : "ok");

const pad = (n: number) => String(n).padStart(2, "0");
const isoDay = (at: Date) => at.toISOString().slice(0, 10);

/** "YYYY-MM" of a time, in UTC (the API's billing periods). */
export const periodOf = (at: Date) => `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}`;

export const isPeriod = (value: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

/** This month so far: the first of the month to today (UTC days, inclusive). */
export function monthToDate(now: Date): { from: string; to: string } {
  return { from: `${periodOf(now)}-01`, to: isoDay(now) };
}

/** The last `days` UTC days up to today, inclusive. */
export function lastDays(now: Date, days: number): { from: string; to: string } {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  return { from: isoDay(from), to: isoDay(now) };
}

/** A quota's or budget's reset: "resets 2025-02-01". */
export const formatResets = (iso: string) => `resets ${iso.slice(0, 10)}`;

/** "50, 80,100" → [50, 80, 100] (sorted, unique); null when a part is not a percentage 1…100. */
export function parseThresholds(text: string): number[] | null {
  const parts = text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return [];
  const values = parts.map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 1 || v > 100)) return null;
  return [...new Set(values)].sort((a, b) => a - b);
}

/** E-mails typed one per line or comma-separated, trimmed and without duplicates. */
export function parseEmails(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((e) => e.trim())
        .filter(Boolean),
    ),
  ];
}
