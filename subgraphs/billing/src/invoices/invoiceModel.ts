/**
 * Invoice maths: turns a tenant's usage for a month and the plan's prices into
 * an invoice with one line per charge and a receipt hash. Pure: no store, no
 * clock (the caller passes `issuedAt` and `invoiceId`).
 *
 * Money: prices are integer micros (millionths of the currency unit), invoice
 * amounts are integer cents. Every amount is computed with BigInt and rounded
 * half up to the cent once per line, so there is no float drift. There is no
 * tax: the total is the subtotal.
 */
import { createHash } from "node:crypto";
import { appError, ErrorCode } from "@intelgraph/kit";
import { canonicalJson } from "./canonicalJson.ts";

export interface MetricPrice {
  /** The usage metric, e.g. "QUERIES", "NL_QUESTIONS", "GRAPH_NODES". */
  metric: string;
  /** What the invoice line says, e.g. "Queries", "Graph nodes (node-days)". */
  label: string;
  /** Price step in units, e.g. 1000 for a price per 1,000 queries. A positive integer. */
  per: number;
  /** Price of `per` units, in micros. */
  unitPriceMicros: number;
  /** Units included in the plan each month before charging. */
  included: number;
}

export interface InvoicePlan {
  id: string;
  name: string;
  monthlyFeeMicros: number;
}

export interface InvoiceInput {
  tenantId: string;
  tenantName: string;
  /** The billed month, "YYYY-MM". */
  period: string;
  /** ISO 4217 code, e.g. "USD". */
  currency: string;
  plan: InvoicePlan;
  /** Quantity per metric for the period (counters summed; gauges as unit-days). Metrics without a price are not billed. */
  usage: Record<string, number>;
  prices: readonly MetricPrice[];
  issuedAt: Date;
  invoiceId: string;
}

export interface InvoiceLine {
  metric: string;
  description: string;
  quantity: number;
  included: number;
  billable: number;
  per: number;
  unitPriceMicros: number;
  amountCents: number;
}

export interface Invoice {
  id: string;
  tenantId: string;
  tenantName: string;
  period: string;
  /** First day of the period, YYYY-MM-DD. */
  periodStart: string;
  /** Last day of the period, YYYY-MM-DD, inclusive. */
  periodEnd: string;
  currency: string;
  plan: InvoicePlan;
  lines: InvoiceLine[];
  subtotalCents: number;
  /** Equal to `subtotalCents`: no tax is applied. */
  totalCents: number;
  /** ISO 8601 timestamp. */
  issuedAt: string;
  /** `sha256` of the canonical JSON of the invoice without `receipt`; `id` is "rcpt_" + its first 16 hex digits. */
  receipt: { id: string; sha256: string };
}

/** The metric of the plan's monthly fee line, always the first line. */
export const PLAN_FEE_METRIC = "PLAN_FEE";

const MICROS_PER_CENT = 10_000n;

export function buildInvoice(input: InvoiceInput): Invoice {
  const { periodStart, periodEnd } = validateInput(input);
  const { plan } = input;
  const lines: InvoiceLine[] = [
    {
      metric: PLAN_FEE_METRIC,
      description: `${plan.name} plan, monthly fee`,
      quantity: 1,
      included: 0,
      billable: 1,
      per: 1,
      unitPriceMicros: plan.monthlyFeeMicros,
      amountCents: amountCents(1, 1, plan.monthlyFeeMicros),
    },
  ];
  for (const price of input.prices) {
    const quantity = Object.hasOwn(input.usage, price.metric) ? (input.usage[price.metric] ?? 0) : 0;
    const billable = Math.max(0, quantity - price.included);
    lines.push({
      metric: price.metric,
      description: price.label,
      quantity,
      included: price.included,
      billable,
      per: price.per,
      unitPriceMicros: price.unitPriceMicros,
      amountCents: amountCents(billable, price.per, price.unitPriceMicros),
    });
  }
  const subtotal = lines.reduce((sum, l) => sum + BigInt(l.amountCents), 0n);
  const subtotalCents = toSafeNumber(subtotal, "the invoice total");
  const unsigned: Omit<Invoice, "receipt"> = {
    id: input.invoiceId,
    tenantId: input.tenantId,
    tenantName: input.tenantName,
    period: input.period,
    periodStart,
    periodEnd,
    currency: input.currency,
    plan: { id: plan.id, name: plan.name, monthlyFeeMicros: plan.monthlyFeeMicros },
    lines,
    subtotalCents,
    totalCents: subtotalCents,
    issuedAt: input.issuedAt.toISOString(),
  };
  return { ...unsigned, receipt: receiptOf(unsigned) };
}

/** The receipt of an invoice: recomputing it from a stored invoice shows whether the invoice was changed. */
export function receiptOf(invoice: Omit<Invoice, "receipt"> | Invoice): Invoice["receipt"] {
  const { receipt: _ignored, ...content } = invoice as Invoice;
  const sha256 = createHash("sha256").update(canonicalJson(content)).digest("hex");
  return { id: `rcpt_${sha256.slice(0, 16)}`, sha256 };
}

/** `billable / per × unitPriceMicros`, in cents, rounded half up. */
export function amountCents(billable: number, per: number, unitPriceMicros: number): number {
  const numerator = BigInt(billable) * BigInt(unitPriceMicros);
  const denominator = BigInt(per) * MICROS_PER_CENT;
  // Non-negative operands: floor((2n + d) / 2d) is n/d rounded half up.
  const cents = (2n * numerator + denominator) / (2n * denominator);
  return toSafeNumber(cents, "a line amount");
}

/** A money amount in minor units as a decimal string: 1250 cents → "12.50"; micros keep up to 6 decimals ("0.0015"). */
export function formatMoney(amount: number, unit: "cents" | "micros"): string {
  const digits = unit === "cents" ? 2 : 6;
  const scale = 10n ** BigInt(digits);
  const value = BigInt(amount);
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  let fraction = (abs % scale).toString().padStart(digits, "0");
  while (fraction.length > 2 && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  return `${sign}${abs / scale}.${fraction}`;
}

function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw appError(ErrorCode.BAD_USER_INPUT, `${what} is too large to bill (${value} cents); check the usage and prices.`);
  return Number(value);
}

function validateInput(input: InvoiceInput): { periodStart: string; periodEnd: string } {
  const problems: string[] = [];
  const count = (path: string, value: unknown, positive = false) => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < (positive ? 1 : 0))
      problems.push(`${path} must be a ${positive ? "positive" : "non-negative"} integer (got ${String(value)})`);
  };
  const text = (path: string, value: unknown) => {
    if (typeof value !== "string" || value.trim() === "") problems.push(`${path} must be a non-empty string`);
  };
  text("invoiceId", input.invoiceId);
  text("tenantId", input.tenantId);
  text("plan.id", input.plan.id);
  text("plan.name", input.plan.name);
  if (!/^[A-Z]{3}$/.test(input.currency)) problems.push(`currency must be an ISO 4217 code such as "USD" (got ${input.currency})`);
  count("plan.monthlyFeeMicros", input.plan.monthlyFeeMicros);
  if (!(input.issuedAt instanceof Date) || Number.isNaN(input.issuedAt.getTime())) problems.push("issuedAt must be a valid Date");
  const seen = new Set<string>([PLAN_FEE_METRIC]);
  input.prices.forEach((p, i) => {
    text(`prices[${i}].metric`, p.metric);
    if (seen.has(p.metric)) problems.push(`prices[${i}].metric ${p.metric} is listed twice or is reserved`);
    seen.add(p.metric);
    count(`prices[${i}].per`, p.per, true);
    count(`prices[${i}].unitPriceMicros`, p.unitPriceMicros);
    count(`prices[${i}].included`, p.included);
  });
  for (const [metric, quantity] of Object.entries(input.usage)) count(`usage.${metric}`, quantity);

  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(input.period);
  if (!match) problems.push(`period must be a month such as "2026-01" (got ${input.period})`);
  if (problems.length > 0) throw appError(ErrorCode.BAD_USER_INPUT, `Cannot build the invoice: ${problems.join("; ")}.`, { problems });
  const [year, month] = [Number(match![1]), Number(match![2])];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { periodStart: `${input.period}-01`, periodEnd: `${input.period}-${String(lastDay).padStart(2, "0")}` };
}
