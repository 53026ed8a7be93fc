/**
 * The nodes and edges a question's result touched, as GraphView draws them:
 * the best-connected node in the middle, the others by their distance from it
 * (unconnected ones on the outer ring), capped so the drawing stays readable.
 */
import type { GraphEdge, GraphNode } from "../components/GraphView.tsx";

export interface AskNodeLike {
  id: string;
  label: string;
  name: string;
}
export interface AskEdgeLike {
  from: string;
  type: string;
  to: string;
}

/** Most nodes drawn. @default 120 */
export const MAX_DRAWN_NODES = 120;

export function resultGraph(
  nodes: readonly AskNodeLike[],
  edges: readonly AskEdgeLike[],
  max = MAX_DRAWN_NODES,
): { nodes: GraphNode[]; edges: GraphEdge[]; hidden: number } {
  const kept = nodes.slice(0, max);
  const ids = new Set(kept.map((n) => n.id));
  const links = edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  const neighbours = new Map<string, string[]>(kept.map((n) => [n.id, []]));
  for (const e of links) {
    neighbours.get(e.from)!.push(e.to);
    neighbours.get(e.to)!.push(e.from);
  }
  // The centre: most links, first in the result on a tie.
  const centre = kept.reduce<AskNodeLike | undefined>(
    (best, n) => (!best || neighbours.get(n.id)!.length > neighbours.get(best.id)!.length ? n : best),
    undefined,
  );
  const hops = new Map<string, number>();
  if (!links.length)
    kept.forEach((n) => hops.set(n.id, 1)); // nothing linked: one ring, no centre
  else if (centre) {
    hops.set(centre.id, 0);
    const queue = [centre.id];
    while (queue.length) {
      const id = queue.shift()!;
      for (const next of neighbours.get(id)!)
        if (!hops.has(next)) {
          hops.set(next, hops.get(id)! + 1);
          queue.push(next);
        }
    }
  }
  const outer = Math.max(1, ...hops.values()) + 1;
  return {
    nodes: kept.map((n) => ({ id: n.id, type: n.label, label: n.name, hops: hops.get(n.id) ?? outer })),
    edges: links.map((e) => ({ from: e.from, to: e.to, type: e.type })),
    hidden: nodes.length - kept.length,
  };
}
