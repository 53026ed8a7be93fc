/**
 * The nodes and edges a question's rows were built from, read from the hidden
 * `touched_*` return items `compileCypher` adds (and stripped from the rows):
 * so the console can draw a result as a graph and a report can freeze the ids
 * a query snapshot showed. Deduplicated, capped, and an edge only between
 * nodes that are listed.
 */
import type { Record as Neo4jRecord } from "neo4j-driver";
import type { TouchedColumns } from "./compileCypher.ts";

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
 * Most nodes and edges an answer lists.
 * @default 500 nodes, 1000 edges
 */
export const MAX_TOUCHED_NODES = 500;
export const MAX_TOUCHED_EDGES = 1000;

const pairs = (value: unknown): Array<[unknown, unknown]> =>
  Array.isArray(value) ? value.filter((p): p is [unknown, unknown] => Array.isArray(p) && p.length === 2) : [];

export function touchedOf(
  records: readonly Neo4jRecord[],
  touched: TouchedColumns,
  caps: { nodes: number; edges: number } = { nodes: MAX_TOUCHED_NODES, edges: MAX_TOUCHED_EDGES },
): { nodes: AskNode[]; edges: AskEdge[] } {
  const nodes = new Map<string, AskNode>();
  const edges = new Map<string, AskEdge>();
  for (const record of records)
    for (const column of touched.nodes)
      for (const [id, name] of pairs(record.get(column.column))) {
        if (typeof id !== "string" || nodes.has(id) || nodes.size >= caps.nodes) continue;
        nodes.set(id, { id, label: column.label, name: name === null || name === undefined ? id : String(name) });
      }
  for (const record of records)
    for (const column of touched.edges)
      for (const [from, to] of pairs(record.get(column.column))) {
        if (typeof from !== "string" || typeof to !== "string" || !nodes.has(from) || !nodes.has(to)) continue;
        const key = `${from}\u0000${column.type}\u0000${to}`;
        if (!edges.has(key) && edges.size < caps.edges) edges.set(key, { from, type: column.type, to });
      }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
