/** What the ingest wizard infers from a chosen file, and the mapping it offers to start from. */
export type SourceFormat = "CSV" | "JSON" | "NDJSON" | "STIX";

/**
 * The format of a file from its name and first bytes: `.csv` CSV, `.ndjson`/`.jsonl`
 * NDJSON, `.json` JSON — or STIX when the head looks like a STIX bundle.
 */
export function detectFormat(fileName: string, head: string): SourceFormat | null {
  const name = fileName.toLowerCase();
  if (name.endsWith(".csv")) return "CSV";
  if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) return "NDJSON";
  if (name.endsWith(".json")) return /"type"\s*:\s*"bundle"/.test(head) && /"spec_version"|"objects"/.test(head) ? "STIX" : "JSON";
  return null;
}

/** A starting spec for a new mapping (docs/ingest.md); STIX has a built-in one. */
export function mappingTemplate(format: SourceFormat, csvHeader?: string): unknown {
  if (format === "STIX") return null;
  const columns = (csvHeader ?? "")
    .split(",")
    .map((c) => c.trim().replace(/^"|"$/g, ""))
    .filter(Boolean);
  const name = columns.find((c) => /name/i.test(c)) ?? "name";
  const email = columns.find((c) => /mail/i.test(c));
  return {
    entities: [{ as: "person", type: "Person", key: [email ? "email" : "name"], properties: { name, ...(email ? { email } : {}) } }],
    relationships: [],
  };
}

/** Parses the spec typed into the wizard; a message says what is wrong. */
export function parseSpec(text: string): { ok: true; spec: unknown } | { ok: false; message: string } {
  if (!text.trim()) return { ok: false, message: "The mapping is empty: paste a spec or start from the template." };
  try {
    const spec: unknown = JSON.parse(text);
    if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
      return { ok: false, message: "The mapping must be a JSON object with entities (and relationships)." };
    }
    if (!Array.isArray((spec as { entities?: unknown }).entities)) {
      return { ok: false, message: "The mapping needs an entities array." };
    }
    return { ok: true, spec };
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${(error as Error).message}` };
  }
}
