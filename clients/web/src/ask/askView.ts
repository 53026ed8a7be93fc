/** How the Ask screen shows an answer: example questions, confidence, parameters and cells. */

/** Questions over the sample packs (subgraphs/graph/samples) that show what can be asked. */
export const EXAMPLE_QUESTIONS = [
  "Which people work for “Acme Corp”?",
  "How many organisations are there?",
  "Top 3 organisations by people",
  "Who is dana.whitfield@acme.example?",
] as const;

/** The confidence below which RUN waits for a confirmation (the API's default threshold, docs/ask.md). */
export const CONFIDENCE_THRESHOLD = 0.7;

export type ConfidenceLevel = "high" | "low";

/** 0…1 → "85%" and whether it is under the threshold. */
export function describeConfidence(confidence: number, threshold = CONFIDENCE_THRESHOLD): { percent: string; level: ConfidenceLevel } {
  const clamped = Math.min(1, Math.max(0, confidence));
  return { percent: `${Math.round(clamped * 100)}%`, level: clamped < threshold ? "low" : "high" };
}

/** The query's parameters as readable JSON (the tenant id among them), or "{}" when there are none. */
export function parametersText(parameters: unknown): string {
  if (parameters == null || typeof parameters !== "object") return "{}";
  return JSON.stringify(parameters, null, 2);
}

const NAME_KEYS = ["name", "title", "address", "pattern", "email"] as const;

/**
 * One cell of a result row as text: scalars as they are, null as "—", a node
 * (an object) by its name, title, address, pattern or e-mail, anything else as JSON.
 */
export function formatCell(value: unknown): string {
  if (value == null) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(formatCell).join(", ");
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const key of NAME_KEYS) if (typeof record[key] === "string") return record[key];
    return JSON.stringify(value);
  }
  return String(value);
}

/** Rows as the table draws them: one text per column, in column order. */
export function tableOf(columns: readonly string[], rows: readonly unknown[]): string[][] {
  return rows.map((row) => {
    const record = row && typeof row === "object" ? (row as Record<string, unknown>) : {};
    return columns.map((column) => formatCell(record[column]));
  });
}
