/**
 * The three renderings of an invoice: JSON (the invoice itself, pretty
 * printed), CSV (one row per line and a total row, money as decimal strings)
 * and PDF (pdfkit, standard fonts, so the text can be searched). The PDF's
 * dates come from the invoice's `issuedAt`, so the same invoice renders to the
 * same bytes every time.
 */
import { buffer } from "node:stream/consumers";
import { createHash } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import PDFDocument from "pdfkit";
import { formatMoney, type Invoice, type InvoiceLine } from "./invoiceModel.ts";

export type InvoiceFormat = "JSON" | "CSV" | "PDF";

export interface RenderedInvoice {
  filename: string;
  contentType: string;
  bytes: Buffer;
  /** sha256 hex of `bytes`. */
  sha256: string;
}

export const CSV_HEADER = ["metric", "description", "quantity", "included", "billable", "unit", "unit_price", "amount"] as const;

/** The metric cell of the CSV's last row, which carries the total. */
export const CSV_TOTAL_METRIC = "TOTAL";

export async function renderInvoice(invoice: Invoice, format: InvoiceFormat): Promise<RenderedInvoice> {
  const base = `invoice-${invoiceSlug(invoice)}-${invoice.period}`;
  switch (format) {
    case "JSON":
      return rendered(`${base}.json`, "application/json", Buffer.from(`${JSON.stringify(invoice, null, 2)}\n`, "utf8"));
    case "CSV":
      return rendered(`${base}.csv`, "text/csv; charset=utf-8", Buffer.from(renderCsv(invoice), "utf8"));
    case "PDF":
      return rendered(`${base}.pdf`, "application/pdf", await renderPdf(invoice));
    default:
      throw new TypeError(`Unknown invoice format ${String(format satisfies never)}`);
  }
}

/** The tenant part of the filename: the tenant name as a slug, or the tenant id when the name has no letters or digits. */
export function invoiceSlug(invoice: Pick<Invoice, "tenantName" | "tenantId">): string {
  const slug = (s: string) =>
    s
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/, "");
  return slug(invoice.tenantName) || slug(invoice.tenantId) || "tenant";
}

function rendered(filename: string, contentType: string, bytes: Buffer): RenderedInvoice {
  return { filename, contentType, bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** `unit` is the number of units `unit_price` is for; money cells are decimal strings in the invoice's currency. */
function renderCsv(invoice: Invoice): string {
  const rows = invoice.lines.map((l) => [
    l.metric,
    l.description,
    String(l.quantity),
    String(l.included),
    String(l.billable),
    String(l.per),
    formatMoney(l.unitPriceMicros, "micros"),
    formatMoney(l.amountCents, "cents"),
  ]);
  const total = [CSV_TOTAL_METRIC, `Total ${invoice.currency} (no tax)`, "", "", "", "", "", formatMoney(invoice.totalCents, "cents")];
  return stringify([[...CSV_HEADER], ...rows, total], { record_delimiter: "\n" });
}

const MARGIN = 50;
const GREY = "#555555";
/** Column widths as shares of the text width: description, quantity, included, billable, unit price, amount. */
const COLUMNS = [0.3, 0.13, 0.12, 0.13, 0.18, 0.14] as const;

async function renderPdf(invoice: Invoice): Promise<Buffer> {
  const issuedAt = new Date(invoice.issuedAt);
  const pdf = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN + 20, left: MARGIN, right: MARGIN },
    bufferPages: true,
    // CreationDate also seeds pdfkit's file id: fixed here, the bytes depend on the invoice alone.
    info: {
      Title: `Invoice ${invoice.id}`,
      Author: "Summit IntelGraph",
      Subject: `${invoice.tenantName} ${invoice.period}`,
      CreationDate: issuedAt,
    },
  });
  // pdfkit's document is a Readable: its bytes once it ends (the caller ends it).
  const done = buffer(pdf);
  const width = pdf.page.width - 2 * MARGIN;
  const money = (cents: number) => `${formatMoney(cents, "cents")} ${invoice.currency}`;

  pdf.fillColor("black").font("Helvetica-Bold").fontSize(20).text("Invoice", { width });
  pdf.moveDown(0.3).font("Helvetica").fontSize(10);
  pdf.text(`Invoice ${invoice.id} · issued ${invoice.issuedAt}`, { width });
  pdf.text(`Tenant: ${invoice.tenantName} (${invoice.tenantId})`, { width });
  pdf.text(`Period: ${invoice.period} (${invoice.periodStart} to ${invoice.periodEnd})`, { width });
  pdf.text(`Plan: ${invoice.plan.name} (${invoice.plan.id})`, { width });
  pdf.moveDown();

  const row = (cells: readonly string[], bold: boolean) => {
    if (pdf.y > pdf.page.height - pdf.page.margins.bottom - 30) pdf.addPage();
    const y = pdf.y;
    let x = MARGIN;
    let tallest = 0;
    pdf
      .font(bold ? "Helvetica-Bold" : "Helvetica")
      .fontSize(9)
      .fillColor("black");
    cells.forEach((cell, i) => {
      const w = width * (COLUMNS[i] ?? 0) - 4;
      const align = i === 0 ? "left" : "right";
      tallest = Math.max(tallest, pdf.heightOfString(cell, { width: w }));
      pdf.text(cell, x, y, { width: w, align });
      x += width * (COLUMNS[i] ?? 0);
    });
    pdf.y = y + tallest + 4;
  };
  row(["Description", "Quantity", "Included", "Billable", "Unit price", "Amount"], true);
  pdf
    .moveTo(MARGIN, pdf.y - 2)
    .lineTo(MARGIN + width, pdf.y - 2)
    .strokeColor(GREY)
    .stroke();
  for (const l of invoice.lines) row(lineCells(l, invoice.currency), false);
  pdf
    .moveTo(MARGIN, pdf.y)
    .lineTo(MARGIN + width, pdf.y)
    .strokeColor(GREY)
    .stroke();
  pdf.y += 4;
  row([`Subtotal`, "", "", "", "", money(invoice.subtotalCents)], false);
  row([`Total (no tax)`, "", "", "", "", money(invoice.totalCents)], true);

  pdf.moveDown(1.5).font("Helvetica").fontSize(8).fillColor(GREY);
  pdf.text(`Receipt ${invoice.receipt.id}`, MARGIN, undefined, { width });
  pdf.text(`sha256 ${invoice.receipt.sha256}`, { width });
  pdf.text("The sha256 is of the canonical JSON of this invoice without its receipt.", { width });

  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf
      .font("Helvetica")
      .fontSize(7)
      .fillColor(GREY)
      .text(`Invoice ${invoice.id} · ${invoice.receipt.id} · page ${i + 1} of ${range.count}`, MARGIN, pdf.page.height - MARGIN, {
        width,
        align: "center",
        lineBreak: false,
      });
    pdf.page.margins.bottom = bottom;
  }
  pdf.end();
  return done;
}

function lineCells(l: InvoiceLine, currency: string): string[] {
  const per = l.per === 1 ? "" : ` / ${group(l.per)}`;
  return [
    l.description,
    group(l.quantity),
    group(l.included),
    group(l.billable),
    `${formatMoney(l.unitPriceMicros, "micros")} ${currency}${per}`,
    `${formatMoney(l.amountCents, "cents")} ${currency}`,
  ];
}

/** 1234567 → "1,234,567", independent of the host's locale data. */
function group(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
