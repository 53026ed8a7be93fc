/**
 * Links a question's names to the tenant's own data: for each name the query
 * filters on ("people who work for “Acme Crop”") that matches nothing in the
 * tenant, the closest names of that kind the tenant does hold, found by a
 * tenant-scoped read (names sharing a word prefix with it) and ranked by
 * edit distance, become a hint: "Did you mean the organization “Acme Corp”?".
 * Both reads see only what the caller's clearance allows (`$markings`), so a
 * hint never names, or betrays the existence of, something above it.
 */
import type { Driver } from "neo4j-driver";
import type { TlpMarking } from "@intelgraph/kit";
import { nodeVisible } from "../visibility.ts";
import { words } from "./askTerms.ts";
import type { QueryIr } from "./queryIr.ts";

export interface ValueLinkerOptions {
  driver: Driver;
  database: string;
  /** Longest a lookup may take, ms. @default 500 */
  timeoutMs?: number;
  /** Candidates read per name. @default 50 */
  candidates?: number;
}

/** Levenshtein distance of two strings (case already folded by the caller). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest of `names` to `value`, if close enough to be a likely misspelling (a third of its length, at least 2). */
export function closestName(value: string, names: string[]): string | undefined {
  const v = value.toLowerCase();
  const scored = names.map((name) => {
    const n = name.toLowerCase();
    // A name may be longer than what was typed ("Acme" for "Acme Corp"): compare with its start of the same length too.
    return { name, distance: Math.min(editDistance(v, n), editDistance(v, n.slice(0, v.length))) };
  });
  const best = scored.sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))[0];
  return best && best.distance <= Math.max(2, Math.floor(v.length / 3)) ? best.name : undefined;
}

export function createValueLinker(options: ValueLinkerOptions) {
  const { driver, database, timeoutMs = 500, candidates = 50 } = options;

  async function read<T>(cypher: string, params: Record<string, unknown>, pick: (r: { get(k: string): unknown }) => T): Promise<T[]> {
    const session = driver.session({ database, defaultAccessMode: "READ" });
    try {
      const result = await session.executeRead((tx) => tx.run(cypher, params), { timeout: timeoutMs });
      return result.records.map(pick);
    } finally {
      await session.close();
    }
  }

  return {
    /** "Did you mean …" hints for the IR's `contains` filters on names that match nothing `tenantId`'s caller may see. */
    async hints(
      { tenantId, markings }: { tenantId: string; markings: readonly TlpMarking[] },
      ir: QueryIr,
      nameProperty: (label: string) => string,
    ): Promise<string[]> {
      const hints: string[] = [];
      for (const f of ir.filters) {
        const label = ir.nodes.find((n) => n.var === f.var)!.label;
        const property = nameProperty(label);
        if (f.op !== "contains" || f.negate || f.property !== property || typeof f.value !== "string") continue;
        // Labels and properties come from the vocabulary-checked IR, never from the question's text.
        const [found] = await read(
          `MATCH (n:${label}) WHERE n.tenantId = $tenantId AND ${nodeVisible("n")} AND toLower(n.${property}) CONTAINS toLower($value)
           RETURN count(n) > 0 AS found`,
          { tenantId, markings, value: f.value },
          (r) => r.get("found") as boolean,
        );
        if (found) continue;
        const prefixes = [
          ...new Set(
            f.value
              .toLowerCase()
              .split(/\s+/)
              .filter((w) => w.length >= 2)
              .map((w) => w.slice(0, 3)),
          ),
        ];
        const names = await read(
          `MATCH (n:${label}) WHERE n.tenantId = $tenantId AND ${nodeVisible("n")} AND any(p IN $prefixes WHERE toLower(n.${property}) CONTAINS p)
           RETURN DISTINCT n.${property} AS name LIMIT toInteger($limit)`,
          { tenantId, prefixes, markings, limit: candidates },
          (r) => String(r.get("name")),
        );
        const best = closestName(f.value, names);
        hints.push(
          best
            ? `Did you mean the ${words(label)} “${best}”? Nothing of that kind is named “${f.value}”.`
            : `No ${words(label)} is named “${f.value}”: check the spelling, or ask e.g. “list ${words(label)} names containing …”.`,
        );
      }
      return hints;
    },
  };
}

export type ValueLinker = ReturnType<typeof createValueLinker>;
