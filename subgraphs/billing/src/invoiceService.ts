import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import { z } from "zod";
import {
  appError,
  createTenantRepository,
  createUsageReader,
  ErrorCode,
  periodBounds,
  periodOf,
  requireUser,
  systemClock,
  totalOf,
  utcDay,
  validateInput,
  type BillingGuard,
  type Clock,
  type Principal,
  type RequestContext,
} from "@intelgraph/kit";
import { buildInvoice, type Invoice } from "./invoices/invoiceModel.ts";
import { renderInvoice, type InvoiceFormat } from "./invoices/renderInvoice.ts";

export const INVOICES = "billing_invoices";

interface InvoiceRecord {
  _id: string;
  tenantId: string;
  period: string;
  invoice: Invoice;
  createdAt: Date;
}

const periodInput = z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month such as 2026-11") });

const cents = (n: number) => n / 100;

/** An invoice as the API shows it: money in currency units; the document renders on request from the stored invoice. */
export function invoiceView(invoice: Invoice) {
  return {
    id: invoice.id,
    period: invoice.period,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    currency: invoice.currency,
    planId: invoice.plan.id,
    lines: invoice.lines.map((l) => ({ ...l, unitPrice: l.unitPriceMicros / 1_000_000, amount: cents(l.amountCents) })),
    subtotal: cents(invoice.subtotalCents),
    total: cents(invoice.totalCents),
    issuedAt: invoice.issuedAt,
    receipt: invoice.receipt,
    stored: invoice,
  };
}

export type InvoiceView = ReturnType<typeof invoiceView>;

/**
 * Invoice-ready exports: a tenant's usage of a month (rollups plus live
 * totals, the same figures `usage` shows) priced by its plan's price book.
 * One stored invoice per tenant and period, rebuilt (same id) on request while
 * the month is open; the receipt's sha256 covers the whole invoice.
 */
export function createInvoiceService({ db, guard, now = systemClock }: { db: Db; guard: BillingGuard; now?: Clock }) {
  const invoices = createTenantRepository<InvoiceRecord>(db, INVOICES, {
    indexes: [{ key: { tenantId: 1, period: 1 }, unique: true, name: "tenant_period" }],
  });
  const reader = createUsageReader(db);
  const tenants = db.collection<{ _id: string; name: string }>("governance_tenants");

  return {
    ensureIndexes: () => invoices.ensureIndexes(),

    async create(ctx: RequestContext, args: unknown) {
      const { tenantId } = requireUser(ctx.principal);
      const { period } = validateInput(periodInput, args);
      const at = now();
      if (period > periodOf(at))
        throw appError(ErrorCode.BAD_USER_INPUT, `${period} has not started yet.`, {
          problems: [{ path: "period", message: "not started yet" }],
        });
      const { firstDay, lastDay } = periodBounds(period);
      const today = utcDay(at);
      const usage = totalOf(await reader.days(tenantId, firstDay, lastDay < today ? lastDay : today));
      const [state, tenant, existing] = await Promise.all([
        guard.state(tenantId),
        tenants.findOne({ _id: tenantId }, { projection: { name: 1 } }),
        invoices.forTenant(tenantId).findOne({ period }),
      ]);
      const id = existing?._id ?? `inv_${randomUUID()}`;
      const invoice = buildInvoice({
        tenantId,
        tenantName: tenant?.name ?? tenantId,
        period,
        currency: state.plan.currency,
        plan: { id: state.plan.id, name: state.plan.name, monthlyFeeMicros: state.plan.monthlyFeeMicros },
        usage: Object.fromEntries(Object.entries(usage).map(([metric, q]) => [metric, Math.round(q)])),
        prices: state.plan.prices,
        issuedAt: new Date(at),
        invoiceId: id,
      });
      if (existing) await invoices.forTenant(tenantId).updateOne({ _id: id }, { $set: { invoice, createdAt: new Date(at) } });
      else await invoices.forTenant(tenantId).insertOne({ _id: id, period, invoice, createdAt: new Date(at) });
      ctx.auditHints = { targetType: "Invoice", targetIds: [id] };
      return invoiceView(invoice);
    },

    async list(principal: Principal) {
      const { tenantId } = requireUser(principal);
      return (await invoices.forTenant(tenantId).find({}, { sort: { period: -1 }, limit: 120 })).map((r) => invoiceView(r.invoice));
    },

    async get(principal: Principal, id: string) {
      const { tenantId } = requireUser(principal);
      const record = await invoices.forTenant(tenantId).findOne({ _id: id });
      return record ? invoiceView(record.invoice) : null;
    },

    async document(invoice: Invoice, format: InvoiceFormat) {
      const rendered = await renderInvoice(invoice, format);
      return {
        filename: rendered.filename,
        contentType: rendered.contentType,
        base64: rendered.bytes.toString("base64"),
        sha256: rendered.sha256,
      };
    },
  };
}

export type InvoiceService = ReturnType<typeof createInvoiceService>;
