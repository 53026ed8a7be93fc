/**
 * A small deterministic force layout for an entity's neighbourhood: the centre
 * entity is pinned at the origin, others start on rings by hop count and settle
 * under repulsion and edge springs. Same input, same picture (no randomness), so
 * the drawing does not jump when data is refetched.
 */
export interface LayoutNode {
  id: string;
  hops: number;
}
export interface LayoutEdge {
  from: string;
  to: string;
}
export interface Point {
  x: number;
  y: number;
}
export interface GraphLayout {
  positions: Map<string, Point>;
  /** Bounding box of every position, padded by `padding`. */
  bounds: { minX: number; minY: number; width: number; height: number };
}

export interface LayoutOptions {
  /** Distance between hop rings at the start and the springs' rest length. */
  ring?: number;
  iterations?: number;
  padding?: number;
}

export function layoutGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], options: LayoutOptions = {}): GraphLayout {
  const { ring = 140, iterations = 200, padding = 60 } = options;
  const positions = new Map<string, Point>();
  const byHops = new Map<number, LayoutNode[]>();
  for (const node of nodes) byHops.set(node.hops, [...(byHops.get(node.hops) ?? []), node]);
  for (const [hops, group] of byHops) {
    group.forEach((node, i) => {
      if (hops === 0) return positions.set(node.id, { x: 0, y: 0 });
      const angle = (2 * Math.PI * i) / group.length + hops * 0.5;
      positions.set(node.id, { x: Math.cos(angle) * ring * hops, y: Math.sin(angle) * ring * hops });
    });
  }
  const centre = nodes.find((n) => n.hops === 0)?.id;
  const links = edges.filter((e) => positions.has(e.from) && positions.has(e.to) && e.from !== e.to);
  const ids = [...positions.keys()];

  for (let step = 0; step < iterations; step++) {
    const cooling = 1 - step / iterations;
    const force = new Map<string, Point>(ids.map((id) => [id, { x: 0, y: 0 }]));
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const a = positions.get(ids[i]!)!;
        const b = positions.get(ids[j]!)!;
        let dx = a.x - b.x;
        let dy = a.y - b.y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 0.01) {
          // Coincident: push apart along a fixed direction derived from the pair.
          dx = (i - j) * 0.1;
          dy = 0.1;
          d2 = dx * dx + dy * dy;
        }
        const d = Math.sqrt(d2);
        const push = (ring * ring) / d2;
        const fa = force.get(ids[i]!)!;
        const fb = force.get(ids[j]!)!;
        fa.x += (dx / d) * push;
        fa.y += (dy / d) * push;
        fb.x -= (dx / d) * push;
        fb.y -= (dy / d) * push;
      }
    }
    for (const { from, to } of links) {
      const a = positions.get(from)!;
      const b = positions.get(to)!;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const d = Math.max(0.1, Math.sqrt(dx * dx + dy * dy));
      const pull = (d - ring) * 0.05;
      force.get(from)!.x += (dx / d) * pull;
      force.get(from)!.y += (dy / d) * pull;
      force.get(to)!.x -= (dx / d) * pull;
      force.get(to)!.y -= (dy / d) * pull;
    }
    for (const id of ids) {
      if (id === centre) continue;
      const p = positions.get(id)!;
      const f = force.get(id)!;
      const length = Math.sqrt(f.x * f.x + f.y * f.y);
      const limit = ring * 0.2 * cooling + 0.5;
      const scale = length > limit ? limit / length : 1;
      p.x += f.x * scale;
      p.y += f.y * scale;
    }
  }

  let minX = 0;
  let minY = 0;
  let maxX = 0;
  let maxY = 0;
  for (const { x, y } of positions.values()) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return {
    positions,
    bounds: { minX: minX - padding, minY: minY - padding, width: maxX - minX + 2 * padding, height: maxY - minY + 2 * padding },
  };
}
