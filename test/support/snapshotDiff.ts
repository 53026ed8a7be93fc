/** Comparing what a tenant sees before and after: lists as sets, differences short enough for a CI log. */
/** Connection cursors are positions in a list, so they change with the order. */
const POSITIONAL = new Set(["cursor", "startCursor", "endCursor"]);

/**
 * Lists are compared as sets, without their positional cursors: Cypher without
 * ORDER BY promises no order, and a plan Neo4j re-makes after other tests'
 * writes did swap two relationships of one of A's domains (a CI failure).
 */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value))
    return value
      .map(canonical)
      .map((v) => [JSON.stringify(v), v] as const)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([, v]) => v);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (POSITIONAL.has(k) ? [] : [[k, canonical(v)]])));
  return value;
}

/** Where two snapshots differ, as "path: before → now" lines (empty when equal), short enough to read in a CI log. */
export function differences(was: unknown, now: unknown, path = ""): string[] {
  if (JSON.stringify(was) === JSON.stringify(now)) return [];
  const short = (v: unknown) => (JSON.stringify(v) ?? "undefined").slice(0, 160);
  if (was && now && typeof was === "object" && typeof now === "object" && Array.isArray(was) === Array.isArray(now)) {
    if (Array.isArray(was) && Array.isArray(now) && was.length !== now.length)
      return [`${path}: ${was.length} items → ${now.length} items; now ${short(now)}`];
    const keys = new Set([...Object.keys(was), ...Object.keys(now)]);
    return [...keys]
      .flatMap((k) => differences((was as Record<string, unknown>)[k], (now as Record<string, unknown>)[k], path ? `${path}.${k}` : k))
      .slice(0, 5);
  }
  return [`${path}: ${short(was)} → ${short(now)}`];
}
