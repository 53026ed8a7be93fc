/**
 * The PDF rendering of an export document (pdfkit): a branded title block
 * (logo, name, accent colour), sections, findings with their evidence,
 * annotations and snapshot tables, and the provenance appendix; every page
 * carries the residency label, the policy id, the branding's footer and its
 * page number. Text is real text (standard PDF fonts), so it can be searched
 * and extracted.
 */
import { buffer } from "node:stream/consumers";
import PDFDocument from "pdfkit";
import { tlpLabel } from "@intelgraph/kit";
import { resolveCrossReferences, type ExportDocument } from "./exportModel.ts";
import { markingLine, residencyLine, scoreText } from "./renderText.ts";

const MARGIN = 50;
const GREY = "#555555";

export async function renderPdf(d: ExportDocument, generatedAt: Date): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN + 20, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: d.title, Author: d.branding.name, Subject: residencyLine(d), CreationDate: generatedAt },
  });
  // pdfkit's document is a Readable: its bytes once it ends (the caller ends it).
  const done = buffer(pdf);
  const width = pdf.page.width - 2 * MARGIN;
  const accent = d.branding.accentColor;

  if (d.branding.logo) {
    try {
      pdf.image(d.branding.logo, MARGIN, MARGIN, { fit: [120, 48] });
      pdf.moveDown(3.5);
    } catch {
      // A logo pdfkit cannot read is left out rather than failing the export; setReportBranding checks the format.
    }
  }
  pdf.fillColor("#000000").font("Helvetica-Bold").fontSize(11).text(markingLine(d), { width }).moveDown(0.3);
  pdf.fillColor(accent).font("Helvetica-Bold").fontSize(20).text(d.title, { width });
  pdf.moveDown(0.3).fillColor(GREY).font("Helvetica").fontSize(9);
  pdf.text(`${d.branding.name} · version ${d.version} · published ${d.publishedAt} · exported ${d.generatedAt}`, { width });
  pdf.text(residencyLine(d), { width });
  if (d.forced) pdf.fillColor("#a00000").text(`Published over broken links. Justification: ${d.justification ?? ""}`, { width });
  pdf.moveDown();

  const heading = (text: string) =>
    pdf.moveDown(0.6).fillColor(accent).font("Helvetica-Bold").fontSize(13).text(text, { width }).moveDown(0.2);
  const body = (text: string) => pdf.fillColor("black").font("Helvetica").fontSize(10).text(resolveCrossReferences(text), { width });

  for (const s of d.sections) {
    heading(`${s.number}. ${s.title}`);
    body(s.body);
  }
  for (const f of d.findings) {
    heading(`Finding ${f.number}: ${f.title}`);
    if (f.body) body(f.body);
    pdf.moveDown(0.3).font("Helvetica-Bold").fontSize(10).fillColor("black").text("Evidence", { width });
    for (const e of f.evidence) {
      pdf
        .font("Helvetica")
        .fontSize(10)
        .fillColor("black")
        .text(`${e.key}  ${e.label}${scoreText(e)}${e.note ? ` — ${e.note}` : ""}`, MARGIN + 10, undefined, { width: width - 10 });
      for (const a of e.annotations)
        pdf
          .fillColor(GREY)
          .fontSize(9)
          .text(`Annotation: ${a}`, MARGIN + 20, undefined, { width: width - 20 });
      if (e.snapshot) snapshotTable(pdf, e.snapshot, width);
    }
    pdf.x = MARGIN;
  }

  heading("Provenance");
  pdf.font("Helvetica").fontSize(8).fillColor("black");
  for (const p of d.provenance) {
    pdf.font("Helvetica-Bold").text(`${p.key} ${p.kind}: ${p.label}`, MARGIN, undefined, { width });
    pdf
      .font("Helvetica")
      .fillColor(GREY)
      .text(
        [
          `source ${p.source ?? "—"}`,
          `ingest jobs ${p.ingestJobs.join(", ") || "—"}`,
          `record hash ${p.recordHash ?? "—"}`,
          `first seen ${p.firstSeen ?? "—"}`,
          `last seen ${p.lastSeen ?? "—"}`,
        ].join(" · "),
        { width },
      )
      .fillColor("black")
      .moveDown(0.3);
  }

  // The label, policy id, footer and page number on every page.
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    const footer = [tlpLabel(d.marking), d.branding.footer, residencyLine(d), `page ${i + 1} of ${range.count}`]
      .filter(Boolean)
      .join(" · ");
    pdf
      .font("Helvetica")
      .fontSize(7)
      .fillColor(GREY)
      .text(footer, MARGIN, pdf.page.height - MARGIN, { width, align: "center", lineBreak: false });
    pdf.page.margins.bottom = bottom;
  }
  pdf.end();
  return done;
}

function snapshotTable(
  pdf: PDFKit.PDFDocument,
  s: NonNullable<ExportDocument["findings"][number]["evidence"][number]["snapshot"]>,
  width: number,
) {
  const left = MARGIN + 20;
  const inner = width - 20;
  pdf
    .fillColor(GREY)
    .fontSize(8)
    .text(`Question “${s.question}”, captured ${s.capturedAt}; result sha256 ${s.resultHash}`, left, undefined, { width: inner });
  const columns = s.columns.length || 1;
  const colWidth = inner / columns;
  const row = (cells: string[], bold: boolean) => {
    const y = pdf.y;
    let tallest = 0;
    cells.forEach((c, i) => {
      pdf
        .font(bold ? "Helvetica-Bold" : "Helvetica")
        .fontSize(8)
        .fillColor("black");
      const h = pdf.heightOfString(c, { width: colWidth - 4 });
      pdf.text(c, left + i * colWidth, y, { width: colWidth - 4 });
      tallest = Math.max(tallest, h);
    });
    pdf.y = y + tallest + 2;
    if (pdf.y > pdf.page.height - pdf.page.margins.bottom - 20) pdf.addPage();
  };
  row(s.columns, true);
  for (const r of s.rows.slice(0, 200)) row(r, false);
  if (s.rows.length > 200 || s.truncated)
    pdf
      .fillColor(GREY)
      .fontSize(8)
      .text(`(${s.rows.length > 200 ? `first 200 of ${s.rows.length} rows` : "more rows matched than the row cap"})`, left, undefined, {
        width: inner,
      });
  pdf.moveDown(0.4);
}
