/**
 * Redaction of an export document before it is rendered: e-mail addresses,
 * the names of people, and the values of chosen properties are replaced in
 * every text of the document (titles, bodies, evidence labels, notes,
 * annotations, snapshot cells, provenance). The log keeps, per rule and
 * value, how often it was replaced and the value's sha256 — never the value.
 * Ids, hashes, kinds and the residency label are structure, not content, and
 * are left alone.
 */
import { createHash } from "node:crypto";
import type { ExportDocument, RedactionEntry } from "./exportModel.ts";
import type { Subjects } from "./buildExportDocument.ts";

export interface RedactionOptions {
  emails?: boolean | null;
  names?: boolean | null;
  properties?: string[] | null;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** Keys whose values are structure (ids, hashes, enums), never redacted. */
const STRUCTURAL = new Set([
  "key",
  "kind",
  "reportId",
  "version",
  "recordHash",
  "resultHash",
  "ingestJobs",
  "locale",
  "residency",
  "branding",
  "cypher",
  "columns",
  "publishedBy",
]);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const sha = (v: string) => createHash("sha256").update(v).digest("hex");

interface Rule {
  rule: string;
  pattern: RegExp;
  replacement: string;
}

function rulesFor(options: RedactionOptions, subjects: Subjects): Rule[] {
  const rules: Rule[] = [];
  const literal = (rule: string, values: string[], replacement: string) => {
    // Longest first, so "Ada Lovelace" goes before "Ada"; values under 2 characters would redact noise.
    const distinct = [...new Set(values.map((v) => v.trim()).filter((v) => v.length >= 2))].sort((a, b) => b.length - a.length);
    if (distinct.length) rules.push({ rule, pattern: new RegExp(distinct.map(escape).join("|"), "gi"), replacement });
  };
  if (options.emails) rules.push({ rule: "email", pattern: EMAIL, replacement: "[redacted e-mail]" });
  if (options.names) literal("name", subjects.personNames, "[redacted name]");
  for (const property of options.properties ?? []) literal(`property:${property}`, subjects.values(property), `[redacted ${property}]`);
  return rules;
}

/** The redacted document and the redaction log. */
export function redact(
  document: ExportDocument,
  options: RedactionOptions,
  subjects: Subjects,
): { document: ExportDocument; log: RedactionEntry[] } {
  const rules = rulesFor(options, subjects);
  if (!rules.length) return { document, log: [] };
  const counts = new Map<string, RedactionEntry>();
  const replaceText = (text: string) =>
    rules.reduce(
      (out, r) =>
        out.replace(r.pattern, (value) => {
          const hash = sha(r.rule === "email" ? value.toLowerCase() : value);
          const entry = counts.get(`${r.rule}:${hash}`) ?? { rule: r.rule, count: 0, valueSha256: hash };
          entry.count += 1;
          counts.set(`${r.rule}:${hash}`, entry);
          return r.replacement;
        }),
      text,
    );
  const walk = (value: unknown, key: string | null): unknown => {
    if (key && STRUCTURAL.has(key)) return value;
    if (typeof value === "string") return replaceText(value);
    if (Array.isArray(value)) return value.map((v) => walk(v, null));
    if (value && typeof value === "object" && !Buffer.isBuffer(value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  const redacted = walk(document, null) as ExportDocument;
  return { document: redacted, log: [...counts.values()].sort((a, b) => a.rule.localeCompare(b.rule) || b.count - a.count) };
}
