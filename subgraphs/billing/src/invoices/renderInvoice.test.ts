import { createHash } from "node:crypto";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { invoiceFixture } from "./invoiceFixture.ts";
import { buildInvoice, type Invoice } from "./invoiceModel.ts";
import { CSV_HEADER, invoiceSlug, renderInvoice } from "./renderInvoice.ts";

const invoice = buildInvoice(invoiceFixture());

/** RFC 4180 rows (quoted cells, doubled quotes, commas and newlines inside quotes); csv-parse is not a billing dependency. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((cell += '"'), i++);
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") (row.push(cell), (cell = ""));
    else if (c === "\n") (row.push(cell), rows.push(row), (row = []), (cell = ""));
    else cell += c;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** Decimal string → integer cents, without going through floats. */
const cents = (s: string) => {
  const m = /^(\d+)\.(\d{2})$/.exec(s);
  if (!m) throw new Error(`not a 2-decimal money string: ${s}`);
  return BigInt(m[1]!) * 100n + BigInt(m[2]!);
};

/** The text a PDF shows: inflates its content streams and joins the hex strings of each TJ/Tj (pdfkit's encoding of standard fonts). */
function pdfText(bytes: Buffer): string {
  const raw = bytes.toString("latin1");
  const out: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(m[1]!, "latin1")).toString("latin1");
    } catch {
      continue; // not a deflated stream (e.g. font data)
    }
    for (const t of content.matchAll(/\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const hex = t[1] !== undefined ? [...t[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join("") : t[2]!;
      out.push(Buffer.from(hex, "hex").toString("latin1"));
    }
  }
  return out.join("\n");
}

describe("renderInvoice", () => {
  it("renders JSON as the pretty-printed invoice, with the sha256 of its bytes", async () => {
    const r = await renderInvoice(invoice, "JSON");
    expect(r.filename).toBe("invoice-acme-analytics-inc-2026-02.json");
    expect(r.contentType).toBe("application/json");
    expect(JSON.parse(r.bytes.toString("utf8"))).toEqual(invoice);
    expect(r.bytes.toString("utf8")).toContain('\n  "totalCents": 289777,');
    expect(r.sha256).toBe(createHash("sha256").update(r.bytes).digest("hex"));
  });

  it("renders CSV that parses back to the same lines and total", async () => {
    const r = await renderInvoice(invoice, "CSV");
    expect(r.filename).toBe("invoice-acme-analytics-inc-2026-02.csv");
    expect(r.contentType).toBe("text/csv; charset=utf-8");
    const rows = parseCsv(r.bytes.toString("utf8"));
    expect(rows[0]).toEqual([...CSV_HEADER]);
    expect(rows.slice(1)).toEqual([
      ["PLAN_FEE", "Team plan, monthly fee", "1", "0", "1", "1", "49.00", "49.00"],
      ["QUERIES", "Queries", "1234567", "100000", "1134567", "1000", "2.50", "2836.42"],
      ["NL_QUESTIONS", "Natural-language questions", "420", "500", "0", "1", "0.02", "0.00"],
      ["GRAPH_NODES", 'Graph nodes (node-days), "gauge"', "12345678", "0", "12345678", "1000", "0.001", "12.35"],
      ["EXPORTS", "Exports", "0", "10", "0", "1", "0.15", "0.00"],
      ["TOTAL", "Total USD (no tax)", "", "", "", "", "", "2897.77"],
    ]);
    const lineSum = rows.slice(1, -1).reduce((s, row) => s + cents(row[7]!), 0n);
    expect(lineSum).toBe(cents(rows.at(-1)![7]!));
    expect(lineSum).toBe(BigInt(invoice.totalCents));
  });

  it("keeps huge amounts exact in CSV", async () => {
    const big = buildInvoice(
      invoiceFixture({
        usage: { QUERIES: 1_000_000_000_000 },
        prices: [{ metric: "QUERIES", label: "Queries", per: 1000, unitPriceMicros: 2_500_000, included: 0 }],
      }),
    );
    const rows = parseCsv((await renderInvoice(big, "CSV")).bytes.toString("utf8"));
    expect(rows[2]).toEqual(["QUERIES", "Queries", "1000000000000", "0", "1000000000000", "1000", "2.50", "2500000000.00"]);
    expect(rows.at(-1)![7]).toBe("2500000049.00");
  });

  it("renders a PDF with the tenant, period, lines, total and receipt, the same bytes every time", async () => {
    const a = await renderInvoice(invoice, "PDF");
    const b = await renderInvoice(invoice, "PDF");
    expect(a.filename).toBe("invoice-acme-analytics-inc-2026-02.pdf");
    expect(a.contentType).toBe("application/pdf");
    expect(a.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.sha256).toBe(b.sha256);
    const text = pdfText(a.bytes);
    for (const expected of [
      "Invoice",
      "Acme Analytics, Inc.",
      "2026-02-01 to 2026-02-28",
      "Queries",
      "1,234,567",
      "2836.42 USD",
      "2897.77 USD",
      invoice.receipt.id,
      invoice.receipt.sha256,
    ])
      expect(text.replace(/\n/g, "")).toContain(expected);
  });

  it("renders a different PDF for a different invoice", async () => {
    const other = buildInvoice(invoiceFixture({ usage: { QUERIES: 1 } }));
    expect((await renderInvoice(other, "PDF")).sha256).not.toBe((await renderInvoice(invoice, "PDF")).sha256);
  });

  it("breaks a long invoice onto more pages", async () => {
    const prices = Array.from({ length: 80 }, (_, i) => ({
      metric: `M${i}`,
      label: `Metric ${i}`,
      per: 1,
      unitPriceMicros: 10_000,
      included: 0,
    }));
    const long = buildInvoice(invoiceFixture({ prices, usage: {} }));
    const text = pdfText((await renderInvoice(long, "PDF")).bytes);
    expect(text).toContain("Metric 79");
    expect(text).toMatch(/page 2 of [2-9]/);
  });

  it("rejects an unknown format", async () => {
    await expect(renderInvoice(invoice, "XLSX" as never)).rejects.toThrow(/Unknown invoice format XLSX/);
  });
});

describe("invoiceSlug", () => {
  const slug = (tenantName: string, tenantId = "t_42") =>
    invoiceSlug({ tenantName, tenantId } satisfies Pick<Invoice, "tenantName" | "tenantId">);
  it("keeps letters and digits, folds accents and drops path characters", () => {
    expect(slug("Crème Brûlée GmbH")).toBe("creme-brulee-gmbh");
    expect(slug("../../etc/passwd")).toBe("etc-passwd");
  });
  it("falls back to the tenant id when the name has no letters or digits", () => {
    expect(slug("株式会社", "T_42")).toBe("t-42");
    expect(slug("!!!", "")).toBe("tenant");
  });
});
