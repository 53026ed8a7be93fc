/**
 * Time ranges in a question, on the provenance times every entity carries
 * (`firstSeen`, `lastSeen`, set by ingest; `createdAt`): "in the last 30
 * days", "within the past 2 weeks", "since 2024-01-01", "first seen after …",
 * "last seen before …", "created since …". Relative ranges count back from
 * the injected clock. Each range is cut out of the question's text so its
 * words ("seen in", "last") are not read as links or kinds.
 */
export interface TimeFilter {
  property: "firstSeen" | "lastSeen" | "createdAt";
  op: "gt" | "gte" | "lt";
  /** ISO-8601 instant. */
  value: string;
  /** The words it was read from, for the interpretation. */
  phrase: string;
}

const UNIT_MS: Record<string, number> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};
const FIELD = /\b(first seen|last seen|seen|created|added|ingested)\s*$/;
const RELATIVE =
  /\b(?:(first seen|last seen|seen|created|added|ingested)\s+)?(?:in|within|during|over)\s+the\s+(?:last|past)\s+(\d{1,4}\s+)?(hour|day|week|month|year)s?\b/g;
const ABSOLUTE =
  /\b(?:(first seen|last seen|seen|created|added|ingested)\s+)?(since|after|from|before|until|prior to)\s+(\d{4}-\d{2}-\d{2}(?:t\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?z?)?)\b/g;

const propertyOf = (field: string | undefined): TimeFilter["property"] =>
  field === "last seen" ? "lastSeen" : field === "created" || field === "added" ? "createdAt" : "firstSeen";

/** The time ranges of `text` (lower case) and the text with them blanked out (positions kept). */
export function timeFiltersOf(text: string, now: number): { filters: TimeFilter[]; rest: string } {
  const filters: TimeFilter[] = [];
  let rest = text;
  const cut = (at: number, length: number) => {
    // The field words may stand just before the range ("first seen in the last …" is matched whole).
    const field = FIELD.exec(rest.slice(0, at));
    const from =
      field && !rest.slice(at, at + length).match(/^(first seen|last seen|seen|created|added|ingested)/) ? at - field[0].length : at;
    rest = rest.slice(0, from) + " ".repeat(at + length - from) + rest.slice(at + length);
    return field?.[1];
  };
  for (const m of text.matchAll(RELATIVE)) {
    const before = cut(m.index, m[0].length);
    const span = Number(m[2]?.trim() ?? 1) * UNIT_MS[m[3]!]!;
    filters.push({ property: propertyOf(m[1] ?? before), op: "gte", value: new Date(now - span).toISOString(), phrase: m[0].trim() });
  }
  for (const m of rest.matchAll(ABSOLUTE)) {
    const before = cut(m.index, m[0].length);
    const instant = new Date(m[3]!.length === 10 ? `${m[3]}T00:00:00Z` : m[3]!.toUpperCase());
    if (Number.isNaN(instant.getTime())) continue;
    const op = m[2] === "since" || m[2] === "from" ? "gte" : m[2] === "after" ? "gt" : "lt";
    filters.push({ property: propertyOf(m[1] ?? before), op, value: instant.toISOString(), phrase: m[0].trim() });
  }
  return { filters, rest };
}
