/**
 * The Markdown and JSON renderings of an export document. Both carry the
 * residency label and policy id, the branding's name and footer, every
 * section and finding with its evidence, annotations and snapshot tables, and
 * the provenance appendix.
 */
import { tlpLabel } from "@intelgraph/kit";
import { localeFormat, resolveCrossReferences, type ExportDocument } from "./exportModel.ts";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const table = (header: string[], rows: string[][]) =>
  [
    `| ${header.map(cell).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ].join("\n");

/** The line every page (PDF) or the head and foot (Markdown) carries. */
/** ` · score 82` for a scored entity, else nothing. */
export const scoreText = (e: { score: number | null }) => (e.score === null ? "" : ` · score ${e.score}`);

export const residencyLine = (d: ExportDocument) => `Residency ${d.residency.label} · policy ${d.residency.policyId}`;

/** `TLP:AMBER`, and how much evidence above the exporter's clearance was left out. */
export const markingLine = (d: ExportDocument) =>
  `${tlpLabel(d.marking)}${d.withheld ? ` · ${d.withheld} piece${d.withheld === 1 ? "" : "s"} of evidence above the exporter's clearance left out` : ""}`;

export function renderMarkdown(d: ExportDocument): string {
  const fmt = localeFormat(d.locale);
  const out: string[] = [
    `<!-- ${residencyLine(d)} -->`,
    `**${markingLine(d)}**`,
    "",
    `# ${d.title}`,
    "",
    `${d.branding.name} · version ${fmt.number(d.version)} · published ${d.publishedAt} · exported ${d.generatedAt}`,
    "",
    `> ${residencyLine(d)}`,
  ];
  if (d.forced) out.push("", `> Published over broken links. Justification: ${d.justification ?? ""}`);
  for (const s of d.sections) out.push("", `## ${s.number}. ${s.title}`, "", resolveCrossReferences(s.body));
  for (const f of d.findings) {
    out.push("", `## Finding ${f.number}: ${f.title}`, "", resolveCrossReferences(f.body), "", "Evidence:", "");
    for (const e of f.evidence) {
      out.push(`- **${e.key}** ${e.label}${scoreText(e)}${e.note ? ` — ${e.note}` : ""}`);
      for (const a of e.annotations) out.push(`  - Annotation: ${a}`);
      if (e.snapshot) {
        out.push(
          "",
          `  Question “${e.snapshot.question}”, captured ${e.snapshot.capturedAt}, result sha256 \`${e.snapshot.resultHash}\`:`,
          "",
        );
        out.push(table(e.snapshot.columns, e.snapshot.rows).replace(/^/gm, "  "));
        if (e.snapshot.truncated) out.push("", "  (more rows matched than the row cap)");
        out.push("");
      }
    }
  }
  out.push("", "## Provenance", "");
  out.push(
    table(
      ["Evidence", "Kind", "Item", "Source", "Ingest jobs", "Record hash", "First seen", "Last seen"],
      d.provenance.map((p) => [
        p.key,
        p.kind,
        p.label,
        p.source ?? "",
        p.ingestJobs.join(", "),
        p.recordHash ?? "",
        p.firstSeen ?? "",
        p.lastSeen ?? "",
      ]),
    ),
  );
  out.push("", "---", "", [d.branding.footer, residencyLine(d)].filter(Boolean).join(" · "), "");
  return out.join("\n");
}

/** The document as JSON: the logo is left out (the PDF carries it), cross-references resolved in bodies. */
export function renderJson(d: ExportDocument): string {
  const { branding, ...rest } = d;
  return JSON.stringify(
    {
      ...rest,
      branding: { name: branding.name, footer: branding.footer, accentColor: branding.accentColor },
      sections: d.sections.map((s) => ({ ...s, body: resolveCrossReferences(s.body) })),
      findings: d.findings.map((f) => ({ ...f, body: resolveCrossReferences(f.body) })),
    },
    null,
    2,
  );
}
