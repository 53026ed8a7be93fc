/**
 * The nodes and edges a question's rows were built from, so the console can
 * draw a result as a graph and a report can freeze the ids a query snapshot
 * showed. Two bounded reads, both tenant-scoped by the query's own MATCH:
 *
 * - the returned node variables (a count: the grouped-by ones), exactly, from
 *   hidden `touched_nX` return items of the question's query itself
 *   (`collect(DISTINCT [id, name])`, which groups by the visible items just as
 *   `RETURN DISTINCT` did: same rows, same order);
 * - the rest of each row's pattern (the other node variables and the hops), in
 *   the same transaction, by the same MATCH restricted to the returned nodes'
 *   ids: `RETURN DISTINCT` of each path's ids with a LIMIT, which streams and
 *   stops early, so a fan-out of millions of paths costs one page of them.
 *
 * Deduplicated, capped, and an edge only between nodes that are listed.
 */
import type { Record as Neo4jRecord } from "neo4j-driver";
import type { QueryIr } from "./queryIr.ts";

export interface AskNode {
  id: string;
  /** The node's kind (its label). */
  label: string;
  /** Its name, title, address or pattern; its id when it has none. */
  name: string;
}

export interface AskEdge {
  from: string;
  type: string;
  to: string;
}

/**
 * Most nodes and edges an answer lists, and most paths the second read takes.
 * @default 500 nodes, 1000 edges, 1000 paths
 */
export const MAX_TOUCHED_NODES = 500;
export const MAX_TOUCHED_EDGES = 1000;
export const MAX_TOUCHED_PATHS = 1000;

interface NodeVar {
  var: string;
  label: string;
}

export interface TouchedPlan {
  /** Hidden columns of the question's query: `[id, name]` pairs of a returned node variable per row. */
  nodes: Array<NodeVar & { column: string }>;
  /** The read of the rest of the pattern, when it has hops: `$shown_nX` holds the returned nodes' ids. */
  paths?: { cypher: string; vars: NodeVar[]; edges: Array<{ from: string; type: string; to: string }> };
}

/** The hidden return items and the path read for `ir`, whose `MATCH … WHERE …` is `match`. */
export function touchedPlan(ir: QueryIr, match: string, display: (label: string) => string): { items: string[]; plan: TouchedPlan } {
  const returned = new Set(ir.returns.map((r) => r.var).filter((v) => v !== ir.aggregate?.var));
  const nodes = ir.nodes.filter((n) => returned.has(n.var)).map((n) => ({ ...n, column: `touched_${n.var}` }));
  const items = nodes.map((n) => `collect(DISTINCT [${n.var}.id, ${n.var}.${display(n.label)}])[..${MAX_TOUCHED_NODES}] AS ${n.column}`);
  // A count's counted side (and what lies beyond it) may be millions of nodes: only its grouped-by nodes.
  const vars = ir.aggregate ? ir.nodes.filter((n) => returned.has(n.var)) : ir.nodes;
  const kept = new Set(vars.map((n) => n.var));
  const edges = ir.edges.filter((e) => kept.has(e.from) && kept.has(e.to));
  if (!edges.length || !nodes.length) return { items, plan: { nodes } };
  const shown = nodes.map((n) => `${n.var}.id IN $shown_${n.var}`).join(" AND ");
  const columns = vars.map((n) => `${n.var}.id AS ${n.var}_id, ${n.var}.${display(n.label)} AS ${n.var}_name`).join(", ");
  const cypher = `${match} AND ${shown} RETURN DISTINCT ${columns} LIMIT ${MAX_TOUCHED_PATHS}`;
  return { items, plan: { nodes, paths: { cypher, vars, edges } } };
}

const pairs = (value: unknown): Array<[unknown, unknown]> =>
  Array.isArray(value) ? value.filter((p): p is [unknown, unknown] => Array.isArray(p) && p.length === 2) : [];

/** The `$shown_nX` parameters of the path read: the ids of the returned nodes of `records`. */
export function shownIds(records: readonly Neo4jRecord[], plan: TouchedPlan): Record<string, string[]> {
  return Object.fromEntries(
    plan.nodes.map((n) => {
      const ids = new Set(records.flatMap((r) => pairs(r.get(n.column)).map(([id]) => String(id))));
      return [`shown_${n.var}`, [...ids].slice(0, MAX_TOUCHED_NODES)];
    }),
  );
}

/** The touched nodes (returned ones first) and edges from the question's rows and the path read's rows. */
export function touchedOf(
  records: readonly Neo4jRecord[],
  pathRecords: readonly Neo4jRecord[],
  plan: TouchedPlan,
  caps: { nodes: number; edges: number } = { nodes: MAX_TOUCHED_NODES, edges: MAX_TOUCHED_EDGES },
): { nodes: AskNode[]; edges: AskEdge[] } {
  const nodes = new Map<string, AskNode>();
  const add = (id: unknown, label: string, name: unknown) => {
    if (typeof id !== "string" || nodes.has(id) || nodes.size >= caps.nodes) return;
    nodes.set(id, { id, label, name: name === null || name === undefined ? id : String(name) });
  };
  for (const record of records) for (const n of plan.nodes) for (const [id, name] of pairs(record.get(n.column))) add(id, n.label, name);
  for (const record of pathRecords)
    for (const n of plan.paths?.vars ?? []) add(record.get(`${n.var}_id`), n.label, record.get(`${n.var}_name`));
  const edges = new Map<string, AskEdge>();
  for (const record of pathRecords)
    for (const e of plan.paths?.edges ?? []) {
      const [from, to] = [record.get(`${e.from}_id`), record.get(`${e.to}_id`)];
      if (typeof from !== "string" || typeof to !== "string" || !nodes.has(from) || !nodes.has(to)) continue;
      const key = `${from}\u0000${e.type}\u0000${to}`;
      if (!edges.has(key) && edges.size < caps.edges) edges.set(key, { from, type: e.type, to });
    }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
