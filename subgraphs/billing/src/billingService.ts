import type { Db } from "mongodb";
import { z } from "zod";
import {
  createTenantRepository,
  ensureUsageIndexes,
  requireUser,
  systemClock,
  USAGE_COLLECTION,
  validateInput,
  type Clock,
  type Principal,
  type UsageDay,
} from "@intelgraph/kit";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date such as 2026-01-31");
const rangeInput = z
  .object({ from: day.nullish(), to: day.nullish() })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: "`from` must not be after `to`", path: ["from"] });

export interface UsageSummary {
  day: string;
  queries: number;
  mutations: number;
  subscriptions: number;
}

export interface BillingServiceDeps {
  db: Db;
  /**
   * The clock, in ms since the epoch: "today" for the default range.
   * @default systemClock
   */
  now?: Clock;
}

export function createBillingService({ db, now = systemClock }: BillingServiceDeps) {
  const usage = createTenantRepository<UsageDay>(db, USAGE_COLLECTION);
  return {
    ensureIndexes: () => ensureUsageIndexes(db),

    async usage(principal: Principal, args: { from?: string | null; to?: string | null }): Promise<UsageSummary[]> {
      const caller = requireUser(principal);
      const range = validateInput(rangeInput, args);
      const to = range.to ?? new Date(now()).toISOString().slice(0, 10);
      const from = range.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
      const rows = await usage.forTenant(caller.tenantId).find({ day: { $gte: from, $lte: to } }, { sort: { day: 1 } });
      const byDay = new Map<string, UsageSummary>();
      for (const row of rows) {
        const entry = byDay.get(row.day) ?? { day: row.day, queries: 0, mutations: 0, subscriptions: 0 };
        if (row.kind === "query") entry.queries += row.count;
        else if (row.kind === "mutation") entry.mutations += row.count;
        else entry.subscriptions += row.count;
        byDay.set(row.day, entry);
      }
      return [...byDay.values()];
    },
  };
}

export type BillingService = ReturnType<typeof createBillingService>;
