/** The export form's choices and how an export's link and redactions read. */
import type { ExportReportInput, ReportExportFormat } from "../api/generated/graphql.ts";

export const EXPORT_FORMATS: Array<{ value: ReportExportFormat; label: string }> = [
  { value: "PDF", label: "PDF" },
  { value: "MARKDOWN", label: "Markdown" },
  { value: "JSON", label: "JSON" },
];

export const EXPORT_LOCALES = [
  { value: "en-US", label: "English (US)" },
  { value: "en-GB", label: "English (UK)" },
  { value: "de-DE", label: "Deutsch" },
] as const;

export interface ExportChoices {
  format: ReportExportFormat;
  destinationRegion: string;
  locale: string;
  redactEmails: boolean;
  redactNames: boolean;
  /** Property names, separated by commas or spaces. */
  redactProperties: string;
}

/** "address, pattern  ip" → ["address", "pattern", "ip"] (no blanks, no repeats). */
export function propertyList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/** The form's choices as exportReport's input (redaction only when something is redacted). */
export function exportInput(reportId: string, version: number, choices: ExportChoices): ExportReportInput {
  const properties = propertyList(choices.redactProperties);
  const redacting = choices.redactEmails || choices.redactNames || properties.length > 0;
  return {
    reportId,
    version,
    format: choices.format,
    destinationRegion: choices.destinationRegion.trim(),
    locale: choices.locale,
    ...(redacting ? { redaction: { emails: choices.redactEmails, names: choices.redactNames, properties } } : {}),
  };
}

/** A signed link's expiry relative to `now`: "expires in 14 min", "expires in 40 s", "expired". */
export function describeExpiry(expiresAt: string, now = Date.now()): string {
  const left = Math.round((Date.parse(expiresAt) - now) / 1000);
  if (Number.isNaN(left)) return "expiry unknown";
  if (left <= 0) return "expired";
  if (left < 60) return `expires in ${left} s`;
  return `expires in ${Math.ceil(left / 60)} min`;
}

/** The redaction log as one line: "email ×3, name ×2"; occurrences of the same rule are added up. */
export function describeRedactions(entries: ReadonlyArray<{ rule: string; count: number }>): string {
  if (!entries.length) return "nothing redacted";
  const totals = new Map<string, number>();
  for (const e of entries) totals.set(e.rule, (totals.get(e.rule) ?? 0) + e.count);
  return [...totals].map(([rule, count]) => `${rule} ×${count}`).join(", ");
}
