import { describe, expect, it } from "vitest";
import { layoutGraph, type LayoutEdge, type LayoutNode } from "./layoutGraph.ts";

const star = (n: number) => {
  const nodes: LayoutNode[] = [{ id: "c", hops: 0 }];
  const edges: LayoutEdge[] = [];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `n${i}`, hops: 1 });
    edges.push({ from: "c", to: `n${i}` });
    nodes.push({ id: `m${i}`, hops: 2 });
    edges.push({ from: `n${i}`, to: `m${i}` });
  }
  return { nodes, edges };
};
const distance = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

describe("layoutGraph", () => {
  it("pins the centre, is deterministic and keeps every node inside the bounds", () => {
    const { nodes, edges } = star(6);
    const first = layoutGraph(nodes, edges);
    const second = layoutGraph(nodes, edges);
    expect(first.positions.get("c")).toEqual({ x: 0, y: 0 });
    expect([...first.positions.entries()]).toEqual([...second.positions.entries()]);
    const { minX, minY, width, height } = first.bounds;
    for (const { x, y } of first.positions.values()) {
      expect(x).toBeGreaterThan(minX);
      expect(x).toBeLessThan(minX + width);
      expect(y).toBeGreaterThan(minY);
      expect(y).toBeLessThan(minY + height);
    }
  });

  it("keeps nodes apart and second-hop nodes further out than first-hop ones", () => {
    const { nodes, edges } = star(8);
    const { positions } = layoutGraph(nodes, edges);
    const all = [...positions.values()];
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(distance(all[i]!, all[j]!)).toBeGreaterThan(30);
    const centre = positions.get("c")!;
    for (let i = 0; i < 8; i++) {
      expect(distance(positions.get(`m${i}`)!, centre)).toBeGreaterThan(distance(positions.get(`n${i}`)!, centre));
    }
  });

  it("survives edges to unknown nodes and a lone entity", () => {
    const lone = layoutGraph([{ id: "c", hops: 0 }], [{ from: "c", to: "ghost" }]);
    expect(lone.positions.size).toBe(1);
    expect(lone.bounds.width).toBeGreaterThan(0);
  });
});
