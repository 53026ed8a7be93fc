/**
 * What an export is, stored, and the format-neutral document every renderer
 * (PDF, Markdown, JSON) draws from: the published version's sections and
 * findings with their evidence, annotations and snapshot tables, the
 * provenance appendix, the branding and the residency label. Redaction works
 * on this document, so every format carries the same redactions.
 */
import type { Binary } from "mongodb";
import type { Residency, TlpMarking } from "@intelgraph/kit";
import type { EvidenceKind } from "../reports/reportModel.ts";

export const REPORT_EXPORTS_COLLECTION = "graph_report_exports";
export const FORMATS = ["PDF", "MARKDOWN", "JSON"] as const;
export type ExportFormat = (typeof FORMATS)[number];
export const LOCALES = ["en-US", "en-GB", "de-DE"] as const;
export type ExportLocale = (typeof LOCALES)[number];

export interface RedactionEntry {
  rule: string;
  count: number;
  valueSha256: string;
}

export interface StoredFile {
  name: string;
  contentType: string;
  bytes: number;
  sha256: string;
  content: Binary;
}

export interface ReportExportDoc {
  _id: string;
  tenantId: string;
  reportId: string;
  version: number;
  format: ExportFormat;
  locale: ExportLocale;
  residency: Residency;
  /** The highest marking of its content (missing on exports from before markings: the default marking). */
  marking?: TlpMarking;
  files: StoredFile[];
  /** The file a link downloads unless it names another. */
  mainFile: string;
  manifestSha256: string;
  redactions: RedactionEntry[];
  requestedBy: string;
  createdAt: Date;
}

export interface Branding {
  name: string;
  footer: string | null;
  accentColor: string;
  logo: Buffer | null;
}

export interface DocSnapshot {
  question: string;
  cypher: string;
  columns: string[];
  rows: string[][];
  truncated: boolean;
  resultHash: string;
  capturedAt: string;
}

export interface DocEvidence {
  /** "E1.2": finding 1, evidence 2 — the provenance appendix uses the same key. */
  key: string;
  kind: EvidenceKind;
  label: string;
  note: string | null;
  /** A cited entity's confidence score (0–100, docs/threat-intel.md) when it has one. */
  score: number | null;
  annotations: string[];
  snapshot: DocSnapshot | null;
}

export interface ProvenanceRow {
  key: string;
  kind: EvidenceKind;
  label: string;
  source: string | null;
  ingestJobs: string[];
  recordHash: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface ExportDocument {
  title: string;
  reportId: string;
  version: number;
  publishedAt: string;
  publishedBy: string;
  forced: boolean;
  justification: string | null;
  generatedAt: string;
  locale: ExportLocale;
  residency: Residency;
  /** The highest marking of what it shows; printed as `TLP:…` at its top. */
  marking: TlpMarking;
  /** Pieces of evidence left out because they are above the exporter's clearance. */
  withheld: number;
  branding: Branding;
  sections: Array<{ number: number; title: string; body: string }>;
  findings: Array<{ number: number; title: string; body: string; evidence: DocEvidence[] }>;
  provenance: ProvenanceRow[];
}

/** `[[Finding 2]]` → `Finding 2` in every rendered text. */
export const resolveCrossReferences = (text: string) =>
  text.replace(
    /\[\[\s*(finding|section)\s+(\d{1,3})\s*\]\]/gi,
    (_, kind: string, n: string) => `${kind[0]!.toUpperCase()}${kind.slice(1).toLowerCase()} ${n}`,
  );

/** Dates and numbers as the export's locale writes them (UTC, so a file reads the same wherever it is opened). */
export function localeFormat(locale: ExportLocale) {
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  return {
    date: (iso: string | null | undefined) => (iso && !Number.isNaN(Date.parse(iso)) ? `${date.format(new Date(iso))} UTC` : (iso ?? "")),
    number: (n: number) => number.format(n),
    /** A cell of a snapshot table: numbers and dates localised, the rest as text. */
    cell: (v: unknown): string => {
      if (v === null || v === undefined) return "";
      if (typeof v === "number") return number.format(v);
      if (typeof v === "string" && /^\d{4}-\d\d-\d\dT/.test(v)) return `${date.format(new Date(v))} UTC`;
      return typeof v === "object" ? JSON.stringify(v) : String(v);
    },
  };
}
