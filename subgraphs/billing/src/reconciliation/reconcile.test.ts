import { ErrorCode, isAppError } from "@intelgraph/kit";
import { describe, expect, it } from "vitest";
import { reconcile, type ReconcileInput, type TenantDay } from "./reconcile.ts";

const GB = 1e9;
const DAY = "2025-05-01";
/** 200 µ per CPU second, 10,000 µ per GB-day: 100 CPU s + 10 GB = 120,000 µ. */
const rates = { cpuSecondMicros: 200, storageGbDayMicros: 10_000 };

function input(overrides: Partial<ReconcileInput> = {}): ReconcileInput {
  return {
    day: DAY,
    infra: { day: DAY, cpuSeconds: 100, storageBytes: 10 * GB, unattributedCpuSeconds: 5 },
    tenants: [
      { tenantId: "acme", cpuSeconds: 60, storageBytes: 6 * GB, meteredRevenueMicros: 100_000 },
      { tenantId: "globex", cpuSeconds: 35, storageBytes: 3.5 * GB, meteredRevenueMicros: 30_000 },
    ],
    history: [],
    rates,
    ...overrides,
  };
}

const tenant = (tenantId: string, cpuSeconds: number, storageBytes = 0): TenantDay => ({
  tenantId,
  cpuSeconds,
  storageBytes,
  meteredRevenueMicros: 0,
});
const days = (tenantId: string, costs: Record<string, number>) =>
  Object.entries(costs).map(([day, costMicros]) => ({ tenantId, day, costMicros }));

function badInput(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected reconcile to throw");
}

describe("reconcile", () => {
  it("prices infra and tenants at the same rates and reports the attributed share as confidence", () => {
    const result = reconcile(input());
    expect(result).toMatchObject({
      day: DAY,
      infraCostMicros: 120_000,
      attributedCostMicros: 114_000,
      unattributedCostMicros: 6_000,
      confidence: 0.95,
      anomalies: [],
    });
    expect(result.tenants).toEqual([
      {
        tenantId: "acme",
        costMicros: 72_000,
        cpuSeconds: 60,
        storageBytes: 6 * GB,
        meteredRevenueMicros: 100_000,
        marginMicros: 28_000,
        baselineMicros: null,
        deviationRatio: null,
        anomaly: false,
        reason: null,
      },
      {
        tenantId: "globex",
        costMicros: 42_000,
        cpuSeconds: 35,
        storageBytes: 3.5 * GB,
        meteredRevenueMicros: 30_000,
        marginMicros: -12_000,
        baselineMicros: null,
        deviationRatio: null,
        anomaly: false,
        reason: null,
      },
    ]);
  });

  it("rounds each cost term once, to integer micros", () => {
    const result = reconcile(
      input({
        infra: { day: DAY, cpuSeconds: 1.5, storageBytes: 1.5 * GB },
        tenants: [tenant("acme", 0.0001, 1)],
        rates: { cpuSecondMicros: 3, storageGbDayMicros: 3 },
      }),
    );
    // 4.5 → 5 and 4.5 → 5, not round(9) = 9; the tenant's 0.0003 + 0.000000003 round to 0.
    expect(result.infraCostMicros).toBe(10);
    expect(result.tenants[0]?.costMicros).toBe(0);
    expect(result.confidence).toBe(0);
  });

  it("flags a day far above the tenant's 7-day baseline, with its ratio", () => {
    const history = [
      ...days("globex", { "2025-04-24": 11_000, "2025-04-27": 99_999, "2025-04-30": 13_000 }),
      ...days("globex", { "2025-04-27": 12_000 }), // a re-run of 04-27: the last entry counts
      ...days("globex", { "2025-04-23": 1_000_000, [DAY]: 1_000_000 }), // 8 days before, and the day itself
      ...days("initech", { "2025-04-28": 1, "2025-04-29": 1, "2025-04-30": 1 }), // another tenant
    ];
    const result = reconcile(input({ history }));
    const globex = result.tenants.find((row) => row.tenantId === "globex");
    expect(globex).toMatchObject({ costMicros: 42_000, baselineMicros: 12_000, deviationRatio: 3.5, anomaly: true });
    expect(globex?.reason).toBe("3.5× the 7-day baseline");
    expect(result.anomalies).toEqual([globex]);
  });

  it("does not judge a tenant with fewer than minBaselineDays of history", () => {
    const history = days("acme", { "2025-04-29": 1_000, "2025-04-30": 1_000 });
    const acme = reconcile(input({ history })).tenants.find((row) => row.tenantId === "acme");
    expect(acme).toMatchObject({ baselineMicros: null, deviationRatio: null, anomaly: false, reason: null });

    const judged = reconcile(input({ history, anomaly: { minBaselineDays: 2 } }));
    expect(judged.anomalies.map((row) => [row.tenantId, row.reason])).toEqual([["acme", "72× the 7-day baseline"]]);
  });

  it("flags a day far below the baseline, unless both are under the noise floor", () => {
    const history = [
      ...days("drop", { "2025-04-28": 30_000, "2025-04-29": 30_000, "2025-04-30": 30_000 }),
      ...days("tiny", { "2025-04-28": 9_000, "2025-04-29": 9_000, "2025-04-30": 9_000 }),
    ];
    const result = reconcile(input({ tenants: [tenant("drop", 10), tenant("tiny", 10)], history }));
    expect(result.tenants.map((row) => [row.tenantId, row.costMicros, row.deviationRatio, row.anomaly, row.reason])).toEqual([
      ["drop", 2_000, 2_000 / 30_000, true, "0.067× the 7-day baseline"],
      ["tiny", 2_000, 2_000 / 9_000, false, null],
    ]);
    const noFloor = reconcile(input({ tenants: [tenant("tiny", 10)], history, anomaly: { minCostMicros: 0 } }));
    expect(noFloor.anomalies.map((row) => row.reason)).toEqual(["0.22× the 7-day baseline"]);
  });

  it("flags at exactly ratio × baseline and not just under it", () => {
    const history = days("acme", { "2025-04-28": 10_000, "2025-04-29": 10_000, "2025-04-30": 10_000 });
    const at = reconcile(input({ tenants: [tenant("acme", 150)], history })); // 30,000 µ
    expect(at.anomalies.map((row) => row.reason)).toEqual(["3× the 7-day baseline"]);
    const under = reconcile(input({ tenants: [tenant("acme", 149.99)], history })); // 29,998 µ
    expect(under.tenants[0]).toMatchObject({ costMicros: 29_998, deviationRatio: 2.9998, anomaly: false, reason: null });
    const looser = reconcile(input({ tenants: [tenant("acme", 149.99)], history, anomaly: { ratio: 2 } }));
    expect(looser.anomalies).toHaveLength(1);
  });

  it("flags a cost where the baseline is zero, and not a zero after zeros", () => {
    const history = [
      ...days("woke", { "2025-04-28": 0, "2025-04-29": 0, "2025-04-30": 0 }),
      ...days("asleep", { "2025-04-28": 0, "2025-04-29": 0, "2025-04-30": 0 }),
    ];
    const result = reconcile(input({ tenants: [tenant("woke", 100), tenant("asleep", 0)], history, anomaly: { minCostMicros: 0 } }));
    expect(result.tenants.map((row) => [row.tenantId, row.baselineMicros, row.deviationRatio, row.anomaly, row.reason])).toEqual([
      ["woke", 0, null, true, "cost where the 7-day baseline is 0"],
      ["asleep", 0, null, false, null],
    ]);
  });

  it("reports confidence 1 when no infrastructure cost was measured", () => {
    const empty = reconcile(input({ infra: { day: DAY, cpuSeconds: 0, storageBytes: 0 }, tenants: [] }));
    expect(empty).toEqual({
      day: DAY,
      infraCostMicros: 0,
      attributedCostMicros: 0,
      unattributedCostMicros: 0,
      confidence: 1,
      tenants: [],
      anomalies: [],
    });
    const free = reconcile(input({ rates: { cpuSecondMicros: 0, storageGbDayMicros: 0 } }));
    expect(free).toMatchObject({ infraCostMicros: 0, attributedCostMicros: 0, confidence: 1 });
  });

  it("clamps confidence to 1 when tenants are attributed more than was measured, and shows the excess", () => {
    const result = reconcile(input({ tenants: [tenant("acme", 80, 6 * GB), tenant("globex", 40, 5 * GB)] }));
    expect(result).toMatchObject({ infraCostMicros: 120_000, attributedCostMicros: 134_000, unattributedCostMicros: 0, confidence: 1 });
  });

  it("orders tenants by cost, then by id", () => {
    const result = reconcile(input({ tenants: [tenant("b", 1), tenant("c", 5), tenant("a", 1)] }));
    expect(result.tenants.map((row) => row.tenantId)).toEqual(["c", "a", "b"]);
  });

  it("refuses malformed input with BAD_USER_INPUT naming the problem", () => {
    const cases: [Partial<ReconcileInput>, string][] = [
      [{ day: "2025-02-30", infra: { day: "2025-02-30", cpuSeconds: 1, storageBytes: 0 } }, "day"],
      [{ infra: { day: "2025-04-30", cpuSeconds: 1, storageBytes: 0 } }, "infra.day"],
      [{ tenants: [tenant("acme", 1), tenant("acme", 2)] }, "tenants"],
      [{ tenants: [tenant("acme", -1)] }, "tenants.0.cpuSeconds"],
      [{ infra: { day: DAY, cpuSeconds: Number.NaN, storageBytes: 0 } }, "infra.cpuSeconds"],
      [{ anomaly: { ratio: 1 } }, "anomaly.ratio"],
    ];
    for (const [overrides, path] of cases) {
      const error = badInput(() => reconcile(input(overrides)));
      expect(isAppError(error, ErrorCode.BAD_USER_INPUT), path).toBe(true);
      const problems = (error as { extensions: { problems: { path: string }[] } }).extensions.problems;
      expect(problems.map((problem) => problem.path)).toContain(path);
    }
  });
});
