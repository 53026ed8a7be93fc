import { describe, expect, it } from "vitest";
import { resultGraph } from "./resultGraph.ts";

const node = (id: string, label = "Person") => ({ id, label, name: `name ${id}` });

describe("a result drawn as a graph", () => {
  it("puts the best-connected node in the middle and the others by distance, unconnected ones outside", () => {
    const graph = resultGraph(
      [node("p1"), node("o1", "Organization"), node("p2"), node("d1", "Domain"), node("x")],
      [
        { from: "p1", type: "MEMBER_OF", to: "o1" },
        { from: "p2", type: "MEMBER_OF", to: "o1" },
        { from: "o1", type: "OWNS", to: "d1" },
      ],
    );
    expect(graph.nodes.map((n) => [n.id, n.hops])).toEqual([
      ["p1", 1],
      ["o1", 0],
      ["p2", 1],
      ["d1", 1],
      ["x", 2],
    ]);
    expect(graph.nodes[1]).toEqual({ id: "o1", type: "Organization", label: "name o1", hops: 0 });
    expect(graph.hidden).toBe(0);
  });

  it("draws at most the cap and drops edges to nodes left out", () => {
    const graph = resultGraph([node("a"), node("b"), node("c")], [{ from: "a", type: "T", to: "c" }], 2);
    expect(graph.nodes.map((n) => n.id)).toEqual(["a", "b"]);
    expect(graph.edges).toEqual([]);
    expect(graph.hidden).toBe(1);
  });

  it("draws unlinked nodes on one ring, with none in the middle", () => {
    expect(resultGraph([node("a"), node("b")], []).nodes.map((n) => n.hops)).toEqual([1, 1]);
  });
});
