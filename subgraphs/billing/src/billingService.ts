import type { Db } from "mongodb";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import {
  createUsageReader,
  requireUser,
  systemClock,
  USAGE_METRICS,
  utcDay,
  validateInput,
  type Clock,
  type Principal,
  type UsageMetric,
} from "@intelgraph/kit";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date such as 2026-01-31");
const rangeInput = z
  .object({ from: day.nullish(), to: day.nullish(), metrics: z.array(z.enum(USAGE_METRICS)).max(USAGE_METRICS.length).nullish() })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: "`from` must not be after `to`", path: ["from"] })
  .refine((r) => !r.from || !r.to || Date.parse(r.to) - Date.parse(r.from) <= 366 * 86_400_000, {
    message: "at most 366 days at once",
    path: ["to"],
  });

export interface UsageSummary {
  day: string;
  queries: number;
  mutations: number;
  subscriptions: number;
  values: { metric: UsageMetric; quantity: number }[];
  source: "ROLLUP" | "LIVE";
}

export interface UsageArgs {
  from?: string | null;
  to?: string | null;
  metrics?: UsageMetric[] | null;
}

export interface BillingServiceDeps {
  db: Db;
  /**
   * The clock, in ms since the epoch: "today" for the default range.
   * @default systemClock
   */
  now?: Clock;
}

/** Usage per day (rollups plus today's live totals) and its CSV. */
export function createUsageService({ db, now = systemClock }: BillingServiceDeps) {
  const reader = createUsageReader(db);

  async function usage(principal: Principal, args: UsageArgs): Promise<UsageSummary[]> {
    const caller = requireUser(principal);
    const range = validateInput(rangeInput, args);
    const to = range.to ?? utcDay(now());
    const from = range.from ?? utcDay(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000);
    const metrics = range.metrics?.length ? range.metrics : USAGE_METRICS;
    const days = await reader.days(caller.tenantId, from, to);
    return days.map(({ day, source, figures }) => ({
      day,
      source,
      queries: figures.QUERIES ?? 0,
      mutations: figures.MUTATIONS ?? 0,
      subscriptions: figures.SUBSCRIPTIONS ?? 0,
      values: metrics.map((metric) => ({ metric, quantity: figures[metric] ?? 0 })),
    }));
  }

  return {
    usage,
    async usageCsv(principal: Principal, args: UsageArgs) {
      const days = await usage(principal, args);
      const metrics = days[0]?.values.map((v) => v.metric) ?? [];
      const content = stringify([
        ["day", "source", ...metrics.map((m) => m.toLowerCase())],
        ...days.map((d) => [d.day, d.source, ...d.values.map((v) => String(v.quantity))]),
      ]);
      const first = days[0]?.day ?? "";
      const last = days.at(-1)?.day ?? "";
      return { filename: `usage-${first}-to-${last}.csv`, contentType: "text/csv", content };
    },
  };
}

export type UsageService = ReturnType<typeof createUsageService>;
