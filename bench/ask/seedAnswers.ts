/**
 * The seed set (seedQuestions.json) and how an answer is compared with its
 * expected result. Expected results were computed from the sample packs as
 * ingested once each into an empty tenant (README and expected.json of
 * subgraphs/graph/samples/, cross-pack merges included: 22 Person, 7
 * Organization, 21 Domain, 22 IPAddress, 35 Indicator, 9 Incident), never
 * from askGraph's own answers.
 *
 * - `count`: one row, one `count` column, equal.
 * - `values`: one column; the set of distinct values equals the expected set.
 * - `pairs`: a value and a count per row, in order (count descending, then the
 *   value ascending).
 *
 * Text compares in lower case with whitespace collapsed: entity resolution
 * merges spellings that differ only so ("ACME  corp" = "Acme Corp") and keeps
 * whichever came last.
 */
import { readFileSync } from "node:fs";

export type Expected = { count: number } | { values: Array<string | number> } | { pairs: Array<[string, number]> };

export interface SeedQuestion {
  id: string;
  category: string;
  question: string;
  expect: Expected;
}

export const seedQuestions: SeedQuestion[] = JSON.parse(readFileSync(new URL("./seedQuestions.json", import.meta.url), "utf8"));

const norm = (v: unknown) => (typeof v === "string" ? v.toLowerCase().replace(/\s+/g, " ").trim() : v);

/** Why `rows` (with `columns`) is not the expected answer, or null when it is. */
export function answerMismatch(expect: Expected, columns: string[], rows: Array<Record<string, unknown>>): string | null {
  const show = (x: unknown) => JSON.stringify(x).slice(0, 300);
  if ("count" in expect) {
    if (columns.length !== 1 || columns[0] !== "count") return `expected a count, got columns ${show(columns)}`;
    const got = rows.length ? Number(rows[0]!["count"]) : 0;
    return got === expect.count && rows.length <= 1 ? null : `expected count ${expect.count}, got ${show(rows)}`;
  }
  if ("values" in expect) {
    if (columns.length !== 1 || columns[0] === "count") return `expected one column of values, got ${show(columns)}`;
    const got = [...new Set(rows.map((r) => norm(r[columns[0]!])))].sort();
    const want = [...new Set(expect.values.map(norm))].sort();
    return JSON.stringify(got) === JSON.stringify(want) ? null : `expected ${show(want)}, got ${show(got)}`;
  }
  if (columns.length !== 2 || columns[1] !== "count") return `expected value and count columns, got ${show(columns)}`;
  const got = rows.map((r) => [norm(r[columns[0]!]), Number(r["count"])]);
  const want = expect.pairs.map(([v, n]) => [norm(v), n]);
  return JSON.stringify(got) === JSON.stringify(want) ? null : `expected ${show(want)}, got ${show(got)}`;
}
