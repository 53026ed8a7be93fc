import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isAppError } from "@intelgraph/kit";
import { canonicalJson } from "./canonicalJson.ts";
import { invoiceFixture } from "./invoiceFixture.ts";
import { amountCents, buildInvoice, formatMoney, receiptOf, type InvoiceInput } from "./invoiceModel.ts";

const onlyPrice = (unitPriceMicros: number, per = 1, included = 0): Partial<InvoiceInput> => ({
  plan: { id: "free", name: "Free", monthlyFeeMicros: 0 },
  prices: [{ metric: "QUERIES", label: "Queries", per, unitPriceMicros, included }],
});

describe("buildInvoice", () => {
  it("prices the hand-worked fixture: plan fee first, then every priced metric in price order", () => {
    const invoice = buildInvoice(invoiceFixture());
    // Plan fee: 49_000_000 micros = 4900 cents.
    // QUERIES: 1_234_567 − 100_000 included = 1_134_567 billable; × 2_500_000 / (1000 × 10_000) = 283_641.75 → 283_642.
    // NL_QUESTIONS: 420 < 500 included → 0 billable → 0.
    // GRAPH_NODES: 12_345_678 × 1_000 / (1000 × 10_000) = 1_234.5678 → 1_235.
    // EXPORTS: no usage → quantity 0 → 0. UNPRICED usage has no price and no line.
    expect(invoice.lines.map((l) => [l.metric, l.quantity, l.included, l.billable, l.amountCents])).toEqual([
      ["PLAN_FEE", 1, 0, 1, 4900],
      ["QUERIES", 1_234_567, 100_000, 1_134_567, 283_642],
      ["NL_QUESTIONS", 420, 500, 0, 0],
      ["GRAPH_NODES", 12_345_678, 0, 12_345_678, 1_235],
      ["EXPORTS", 0, 10, 0, 0],
    ]);
    expect(invoice.subtotalCents).toBe(289_777);
    expect(invoice.totalCents).toBe(289_777);
    expect(invoice.lines.reduce((s, l) => s + l.amountCents, 0)).toBe(invoice.totalCents);
    expect(invoice).toMatchObject({
      id: "inv_2026_02_acme",
      tenantId: "t_acme",
      period: "2026-02",
      periodStart: "2026-02-01",
      periodEnd: "2026-02-28",
      currency: "USD",
      issuedAt: "2026-03-01T00:05:00.000Z",
      plan: { id: "team", name: "Team", monthlyFeeMicros: 49_000_000 },
    });
    expect(invoice.lines[0]).toEqual({
      metric: "PLAN_FEE",
      description: "Team plan, monthly fee",
      quantity: 1,
      included: 0,
      billable: 1,
      per: 1,
      unitPriceMicros: 49_000_000,
      amountCents: 4900,
    });
  });

  it("knows the length of each month, leap years included", () => {
    expect(buildInvoice(invoiceFixture({ period: "2024-02" })).periodEnd).toBe("2024-02-29");
    expect(buildInvoice(invoiceFixture({ period: "2026-12" })).periodEnd).toBe("2026-12-31");
    expect(buildInvoice(invoiceFixture({ period: "2026-04" })).periodEnd).toBe("2026-04-30");
  });

  it("charges nothing for usage within the included units, and only the excess beyond them", () => {
    const at = (q: number) => buildInvoice(invoiceFixture({ ...onlyPrice(10_000, 1, 100), usage: { QUERIES: q } })).lines[1];
    expect(at(100)).toMatchObject({ billable: 0, amountCents: 0 });
    expect(at(101)).toMatchObject({ billable: 1, amountCents: 1 });
    expect(at(250)).toMatchObject({ billable: 150, amountCents: 150 });
  });

  it("shows a zero line for every priced metric when there is no usage", () => {
    const invoice = buildInvoice(invoiceFixture({ usage: {} }));
    expect(invoice.lines.map((l) => [l.metric, l.quantity, l.amountCents])).toEqual([
      ["PLAN_FEE", 1, 4900],
      ["QUERIES", 0, 0],
      ["NL_QUESTIONS", 0, 0],
      ["GRAPH_NODES", 0, 0],
      ["EXPORTS", 0, 0],
    ]);
    expect(invoice.totalCents).toBe(4900);
  });

  it("rounds half up at the cent boundary, per line", () => {
    const cents = (q: number, micros: number, per = 1) =>
      buildInvoice(invoiceFixture({ ...onlyPrice(micros, per), usage: { QUERIES: q } })).lines[1]!.amountCents;
    expect(cents(1, 4_999)).toBe(0); // 0.4999 ¢
    expect(cents(1, 5_000)).toBe(1); // 0.5 ¢
    expect(cents(3, 5_000)).toBe(2); // 1.5 ¢
    expect(cents(1, 14_999)).toBe(1); // 1.4999 ¢
    // 13 / 3 × 15_000 / 10_000 is exactly 6.5 ¢; in floats it is 6.4999… and Math.round gives 6.
    expect(cents(13, 15_000, 3)).toBe(7);
    expect(Math.round(((13 / 3) * 15_000) / 10_000)).toBe(6);
    // The plan fee rounds the same way: 15_000 micros = 1.5 ¢.
    expect(buildInvoice(invoiceFixture({ plan: { id: "p", name: "P", monthlyFeeMicros: 15_000 } })).lines[0]!.amountCents).toBe(2);
  });

  it("prices very large quantities exactly", () => {
    const cents = (q: number, micros: number, per: number) =>
      buildInvoice(invoiceFixture({ ...onlyPrice(micros, per), usage: { QUERIES: q } })).lines[1]!.amountCents;
    // 10^12 queries at 2.50 per 1,000 = 2.5 × 10^9 USD = 250_000_000_000 ¢.
    expect(cents(1_000_000_000_000, 2_500_000, 1000)).toBe(250_000_000_000);
    // 999_999_999_999 × 1_234_567 / 10^7 = 123_456_699_999.8765433 ¢ → 123_456_700_000.
    expect(cents(999_999_999_999, 1_234_567, 1000)).toBe(123_456_700_000);
    // The largest safe integer at 1 micro each: 900_719_925_474.0991 ¢ → 900_719_925_474.
    expect(cents(Number.MAX_SAFE_INTEGER, 1, 1)).toBe(900_719_925_474);
  });

  it("refuses an amount beyond the safe integer range rather than losing cents", () => {
    let error: unknown;
    try {
      amountCents(Number.MAX_SAFE_INTEGER, 1, 1_000_000_000);
    } catch (e) {
      error = e;
    }
    expect(isAppError(error, "BAD_USER_INPUT")).toBe(true);
    expect((error as Error).message).toMatch(/too large to bill/);
  });

  it.each<[string, Partial<InvoiceInput>, RegExp]>([
    ["a negative quantity", { usage: { QUERIES: -1 } }, /usage\.QUERIES must be a non-negative integer \(got -1\)/],
    ["a fractional quantity", { usage: { QUERIES: 1.5 } }, /usage\.QUERIES must be a non-negative integer \(got 1\.5\)/],
    ["a NaN quantity", { usage: { QUERIES: Number.NaN } }, /usage\.QUERIES must be a non-negative integer \(got NaN\)/],
    ["an unsafe quantity", { usage: { QUERIES: 2 ** 53 } }, /usage\.QUERIES must be a non-negative integer/],
    ["a zero price step", onlyPrice(1, 0), /prices\[0\]\.per must be a positive integer \(got 0\)/],
    ["a fractional price", onlyPrice(0.5), /prices\[0\]\.unitPriceMicros must be a non-negative integer/],
    ["a negative included", onlyPrice(1, 1, -5), /prices\[0\]\.included must be a non-negative integer/],
    ["a negative plan fee", { plan: { id: "p", name: "P", monthlyFeeMicros: -1 } }, /plan\.monthlyFeeMicros/],
    ["a bad period", { period: "2026-13" }, /period must be a month such as "2026-01" \(got 2026-13\)/],
    ["a day for a period", { period: "2026-02-01" }, /period must be a month/],
    ["a bad currency", { currency: "usd" }, /currency must be an ISO 4217 code/],
    ["an invalid issuedAt", { issuedAt: new Date("nope") }, /issuedAt must be a valid Date/],
    ["an empty invoice id", { invoiceId: " " }, /invoiceId must be a non-empty string/],
    [
      "a metric priced twice",
      { prices: [...invoiceFixture().prices, invoiceFixture().prices[0]!] },
      /prices\[4\]\.metric QUERIES is listed twice/,
    ],
    [
      "a price for the reserved PLAN_FEE metric",
      { prices: [{ metric: "PLAN_FEE", label: "x", per: 1, unitPriceMicros: 1, included: 0 }] },
      /prices\[0\]\.metric PLAN_FEE is listed twice or is reserved/,
    ],
  ])("rejects %s with BAD_USER_INPUT naming the field", (_name, overrides, message) => {
    let error: unknown;
    try {
      buildInvoice(invoiceFixture(overrides));
    } catch (e) {
      error = e;
    }
    expect(isAppError(error, "BAD_USER_INPUT")).toBe(true);
    expect((error as Error).message).toMatch(/^Cannot build the invoice: /);
    expect((error as Error).message).toMatch(message);
  });

  it("does not read usage from the object prototype", () => {
    const invoice = buildInvoice(
      invoiceFixture({ ...onlyPrice(1), prices: [{ metric: "constructor", label: "c", per: 1, unitPriceMicros: 10_000, included: 0 }] }),
    );
    expect(invoice.lines[1]).toMatchObject({ metric: "constructor", quantity: 0, amountCents: 0 });
  });
});

describe("receipt", () => {
  it("is the sha256 of the canonical JSON without the receipt, and the same across builds", () => {
    const a = buildInvoice(invoiceFixture());
    const b = buildInvoice(invoiceFixture());
    expect(a.receipt).toEqual(b.receipt);
    const { receipt, ...content } = a;
    expect(receipt.sha256).toBe(createHash("sha256").update(canonicalJson(content)).digest("hex"));
    expect(receipt.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(receipt.id).toBe(`rcpt_${receipt.sha256.slice(0, 16)}`);
    expect(receiptOf(a)).toEqual(receipt);
  });

  it("does not depend on the order of usage keys", () => {
    const usage = invoiceFixture().usage;
    const reversed = Object.fromEntries(Object.entries(usage).reverse());
    expect(buildInvoice(invoiceFixture({ usage: reversed })).receipt).toEqual(buildInvoice(invoiceFixture()).receipt);
  });

  it("changes when a quantity changes, even one that does not change the total", () => {
    const base = buildInvoice(invoiceFixture());
    const more = buildInvoice(invoiceFixture({ usage: { ...invoiceFixture().usage, QUERIES: 1_234_568 } }));
    const within = buildInvoice(invoiceFixture({ usage: { ...invoiceFixture().usage, NL_QUESTIONS: 421 } }));
    expect(more.receipt.sha256).not.toBe(base.receipt.sha256);
    expect(within.totalCents).toBe(base.totalCents);
    expect(within.receipt.sha256).not.toBe(base.receipt.sha256);
  });

  it("shows a tampered stored invoice", () => {
    const invoice = buildInvoice(invoiceFixture());
    const tampered = { ...invoice, totalCents: invoice.totalCents - 1 };
    expect(receiptOf(tampered).sha256).not.toBe(invoice.receipt.sha256);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth and leaves out undefined members", () => {
    expect(canonicalJson({ b: 1, a: [{ d: "x", c: null }], e: undefined })).toBe('{"a":[{"c":null,"d":"x"}],"b":1}');
  });
  it("refuses numbers JSON cannot hold", () => {
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow(/no JSON form/);
  });
});

describe("formatMoney", () => {
  it("writes cents and micros as decimal strings", () => {
    expect(formatMoney(1250, "cents")).toBe("12.50");
    expect(formatMoney(5, "cents")).toBe("0.05");
    expect(formatMoney(0, "cents")).toBe("0.00");
    expect(formatMoney(250_000_000_000, "cents")).toBe("2500000000.00");
    expect(formatMoney(2_500_000, "micros")).toBe("2.50");
    expect(formatMoney(1_500, "micros")).toBe("0.0015");
    expect(formatMoney(1, "micros")).toBe("0.000001");
  });
});
