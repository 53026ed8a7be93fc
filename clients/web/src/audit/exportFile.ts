/** Saving an audit export (its content comes back in the mutation's answer) as a file. */

/** `audit-events-2025-01-31T10-00-00Z.csv`: sortable, and safe on every file system. */
export function auditExportFileName(at: Date, format: "CSV" | "JSON"): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replaceAll(":", "-");
  return `audit-events-${stamp}.${format === "CSV" ? "csv" : "json"}`;
}
