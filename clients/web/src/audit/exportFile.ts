/** Saving an audit export (its content comes back in the mutation's answer) as a file. */

/** `audit-events-2025-01-31T10-00-00Z.csv`: sortable, and safe on every file system. */
export function auditExportFileName(at: Date, format: "CSV" | "JSON"): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replaceAll(":", "-");
  return `audit-events-${stamp}.${format === "CSV" ? "csv" : "json"}`;
}

/** Hands text to the browser as a download, through a Blob URL that is released afterwards. */
export function downloadText(content: string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
