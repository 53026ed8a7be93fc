import { describe, expect, it, vi } from "vitest";
import { createUpgradeGate, limitOf, plansAbove, suggestedPlan, type LimitDetails } from "./upgradeGate.ts";

const quotaError = {
  message: "[GraphQL] quota",
  graphQLErrors: [
    {
      message: "Your Free plan's monthly quota of 300 nl questions is used up; it resets on 2025-04-01.",
      extensions: {
        code: "QUOTA_EXCEEDED",
        metric: "NL_QUESTIONS",
        used: 300,
        limit: 300,
        resetsAt: "2025-04-01T00:00:00.000Z",
        plan: "FREE",
      },
    },
  ],
};
const budgetError = {
  graphQLErrors: [
    {
      message: "This month's budget of $10.00 is spent ($10.50).",
      extensions: {
        code: "BUDGET_EXCEEDED",
        metric: "EXPORTS",
        spent: 10.5,
        budget: 10,
        currency: "USD",
        resetsAt: "2025-04-01T00:00:00.000Z",
        overrideBy: "an admin",
      },
    },
  ],
};
const PLANS = [
  { id: "TEAM", monthlyFee: 49, quotas: [{ metric: "NL_QUESTIONS", limit: 10_000 }] },
  { id: "ENTERPRISE", monthlyFee: 990, quotas: [] },
  {
    id: "FREE",
    monthlyFee: 0,
    quotas: [
      { metric: "NL_QUESTIONS", limit: 300 },
      { metric: "EXPORTS", limit: 30 },
    ],
  },
];

describe("limitOf", () => {
  it("reads a quota's metric, use, cap, reset and plan from extensions", () => {
    expect(limitOf(quotaError)).toMatchObject({
      code: "QUOTA_EXCEEDED",
      metric: "NL_QUESTIONS",
      used: 300,
      limit: 300,
      resetsAt: "2025-04-01T00:00:00.000Z",
      plan: "FREE",
      spent: null,
    });
  });

  it("reads a budget's spend, cap, currency and who can override", () => {
    expect(limitOf(budgetError)).toMatchObject({
      code: "BUDGET_EXCEEDED",
      spent: 10.5,
      budget: 10,
      currency: "USD",
      overrideBy: "an admin",
    });
  });

  it("is null for any other error, a network error or no error", () => {
    expect(limitOf({ graphQLErrors: [{ message: "no", extensions: { code: "FORBIDDEN" } }] })).toBeNull();
    expect(limitOf({ networkError: new Error("down") })).toBeNull();
    expect(limitOf(null)).toBeNull();
    expect(limitOf("QUOTA_EXCEEDED")).toBeNull();
  });
});

describe("the upgrade gate", () => {
  it("opens on a limit, and after the upgrade closes and retries once", () => {
    const gate = createUpgradeGate();
    const seen: Array<string | null> = [];
    gate.subscribe((b) => seen.push(b?.limit.code ?? null));
    const retry = vi.fn();
    expect(gate.offer(quotaError, retry)).toBe(true);
    expect(gate.current()?.limit.metric).toBe("NL_QUESTIONS");
    gate.upgraded();
    expect(gate.current()).toBeNull();
    expect(retry).toHaveBeenCalledTimes(1);
    gate.upgraded(); // nothing is blocked any more: no second retry
    expect(retry).toHaveBeenCalledTimes(1);
    expect(seen).toEqual(["QUOTA_EXCEEDED", null, null]);
  });

  it("leaves other errors to the screen and never retries on dismiss", () => {
    const gate = createUpgradeGate();
    const retry = vi.fn();
    expect(gate.offer({ graphQLErrors: [{ message: "x", extensions: { code: "RATE_LIMITED" } }] }, retry)).toBe(false);
    expect(gate.current()).toBeNull();
    gate.offer(budgetError, retry);
    gate.dismiss();
    expect(gate.current()).toBeNull();
    expect(retry).not.toHaveBeenCalled();
  });

  it("stops telling a listener after it unsubscribes", () => {
    const gate = createUpgradeGate();
    const listener = vi.fn();
    const off = gate.subscribe(listener);
    off();
    gate.offer(quotaError, () => {});
    expect(listener).not.toHaveBeenCalled();
  });
});

describe("plan suggestions", () => {
  const quota = limitOf(quotaError)!;
  it("orders the plans above the current one by fee", () => {
    expect(plansAbove(PLANS, "FREE").map((p) => p.id)).toEqual(["TEAM", "ENTERPRISE"]);
    expect(plansAbove(PLANS, "ENTERPRISE")).toEqual([]);
    expect(plansAbove(PLANS, null).map((p) => p.id)).toEqual(["FREE", "TEAM", "ENTERPRISE"]);
  });

  it("suggests the cheapest plan whose cap is above the use", () => {
    expect(suggestedPlan(PLANS, "FREE", quota)?.id).toBe("TEAM");
    const huge: LimitDetails = { ...quota, used: 50_000, limit: 10_000 };
    expect(suggestedPlan(PLANS, "TEAM", huge)?.id).toBe("ENTERPRISE");
    expect(suggestedPlan(PLANS, "ENTERPRISE", quota)).toBeNull();
  });

  it("suggests the next plan up for a budget", () => {
    expect(suggestedPlan(PLANS, "FREE", limitOf(budgetError)!)?.id).toBe("TEAM");
  });
});
