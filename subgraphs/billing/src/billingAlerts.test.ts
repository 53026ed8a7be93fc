import { describe, expect, it } from "vitest";
import { PLANS, type BillingState } from "@intelgraph/kit";
import { crossedThresholds } from "./billingAlerts.ts";

const state = (over: Partial<BillingState>): BillingState => ({
  tenantId: "t1",
  plan: PLANS.FREE,
  period: "2026-12",
  resetsAt: new Date("2027-01-01T00:00:00Z"),
  usage: {},
  quotas: [],
  budget: { limitMicros: null, spentMicros: 0, thresholds: [50, 80, 100], override: null },
  account: null,
  ...over,
});

describe("crossedThresholds", () => {
  it("names each budget threshold the month's spend has reached, with an id per tenant, period and threshold", () => {
    const alerts = crossedThresholds(
      state({ budget: { limitMicros: 10_000_000, spentMicros: 8_000_000, thresholds: [50, 80, 100], override: null } }),
    );
    expect(alerts.map((a) => a._id)).toEqual(["t1|2026-12|BUDGET|50", "t1|2026-12|BUDGET|80"]);
    expect(alerts[1]).toMatchObject({ kind: "BUDGET", used: 8, limit: 10 });
    expect(alerts[1]!.message).toContain("$8.00 of $10.00");
  });

  it("notifies a quota at 80 % and says at 100 % that operations are refused", () => {
    const quota = (used: number) => state({ quotas: [{ metric: "EXPORTS", used, limit: 30, override: null }] });
    expect(crossedThresholds(quota(23))).toEqual([]);
    expect(crossedThresholds(quota(24)).map((a) => a._id)).toEqual(["t1|2026-12|QUOTA|EXPORTS|80"]);
    const full = crossedThresholds(quota(30));
    expect(full.map((a) => a.threshold)).toEqual([80, 100]);
    expect(full[1]!.message).toContain("refused");
  });

  it("raises nothing without a budget or quotas", () => {
    expect(crossedThresholds(state({ budget: { limitMicros: null, spentMicros: 9e12, thresholds: [50], override: null } }))).toEqual([]);
  });
});
