/**
 * The upgrade gate: any screen whose action fails with QUOTA_EXCEEDED or
 * BUDGET_EXCEEDED hands the error and a retry to `offerUpgrade`; the one
 * UpgradeModal (mounted in App) explains the limit and offers a bigger plan.
 * After the plan changed the modal closes and the blocked action runs again,
 * once, with the screen's input as it was (the screen never unmounted).
 */
import type { ErrorSource } from "../api/consoleError.ts";

export type LimitCode = "QUOTA_EXCEEDED" | "BUDGET_EXCEEDED";

/** What the API said about the limit (`extensions` of the error, see kit's billingGuard). */
export interface LimitDetails {
  code: LimitCode;
  message: string;
  metric: string | null;
  /** QUOTA_EXCEEDED: units used and the cap. */
  used: number | null;
  limit: number | null;
  /** BUDGET_EXCEEDED: money spent and the budget, in `currency`. */
  spent: number | null;
  budget: number | null;
  currency: string;
  resetsAt: string | null;
  /** The plan the quota belongs to (QUOTA_EXCEEDED). */
  plan: string | null;
  /** Who can grant an override (BUDGET_EXCEEDED). */
  overrideBy: string | null;
}

const LIMIT_CODES: ReadonlySet<string> = new Set<LimitCode>(["QUOTA_EXCEEDED", "BUDGET_EXCEEDED"]);

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown) => (typeof v === "string" ? v : null);

/** The limit an error reports, or null when it is any other failure. */
export function limitOf(error: unknown): LimitDetails | null {
  if (typeof error !== "object" || error === null) return null;
  const found = ((error as ErrorSource).graphQLErrors ?? []).find((e) => LIMIT_CODES.has(String(e.extensions?.["code"])));
  if (!found) return null;
  const x = found.extensions ?? {};
  return {
    code: x["code"] as LimitCode,
    message: found.message,
    metric: str(x["metric"]),
    used: num(x["used"]),
    limit: num(x["limit"]),
    spent: num(x["spent"]),
    budget: num(x["budget"]),
    currency: str(x["currency"]) ?? "USD",
    resetsAt: str(x["resetsAt"]),
    plan: str(x["plan"]),
    overrideBy: str(x["overrideBy"]),
  };
}

export interface BlockedAction {
  limit: LimitDetails;
  /** Runs the blocked action again. */
  retry: () => void;
}

export interface UpgradeGate {
  /** The action waiting for an upgrade, or null when the modal is closed. */
  current(): BlockedAction | null;
  /** Called with the new state on every change; returns the unsubscribe. */
  subscribe(listener: (blocked: BlockedAction | null) => void): () => void;
  /** Opens the gate when `error` is a limit (true); any other error is left to the screen (false). */
  offer(error: unknown, retry: () => void): boolean;
  /** The plan changed: closes the gate and retries the blocked action once. */
  upgraded(): void;
  /** Closes the gate without retrying (Cancel, Escape). */
  dismiss(): void;
}

export function createUpgradeGate(): UpgradeGate {
  let blocked: BlockedAction | null = null;
  const listeners = new Set<(blocked: BlockedAction | null) => void>();
  const set = (next: BlockedAction | null) => {
    blocked = next;
    for (const listener of listeners) listener(next);
  };
  return {
    current: () => blocked,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    offer(error, retry) {
      const limit = limitOf(error);
      if (!limit) return false;
      set({ limit, retry });
      return true;
    },
    upgraded() {
      const was = blocked;
      set(null);
      was?.retry();
    },
    dismiss: () => set(null),
  };
}

/** The console's one gate (UpgradeModal shows it). */
export const upgradeGate = createUpgradeGate();

/** For screens: `offerUpgrade(result.error, () => runAgain())`; true when the modal took over. */
export const offerUpgrade = (error: unknown, retry: () => void) => upgradeGate.offer(error, retry);

/** Plans ordered by fee (cheapest first), for picking the next one up. */
interface PlanLike {
  id: string;
  monthlyFee: number;
  quotas: ReadonlyArray<{ metric: string; limit: number }>;
}

/** The plans above `currentId` (by fee), cheapest first. */
export function plansAbove<P extends PlanLike>(plans: readonly P[], currentId: string | null): P[] {
  const sorted = [...plans].sort((a, b) => a.monthlyFee - b.monthlyFee);
  const current = sorted.find((p) => p.id === currentId);
  return current ? sorted.filter((p) => p.monthlyFee > current.monthlyFee) : sorted;
}

/**
 * The plan to suggest for a limit: the cheapest one above the current plan
 * that lifts it (a higher or no cap on the metric, for quotas); for budgets the
 * next plan up. Null when no plan lifts it.
 */
export function suggestedPlan<P extends PlanLike>(plans: readonly P[], currentId: string | null, limit: LimitDetails): P | null {
  const above = plansAbove(plans, currentId);
  if (limit.code !== "QUOTA_EXCEEDED" || !limit.metric) return above[0] ?? null;
  const used = limit.used ?? limit.limit ?? 0;
  return above.find((p) => (p.quotas.find((q) => q.metric === limit.metric)?.limit ?? Infinity) > used) ?? null;
}
