import { Record as Neo4jRecord } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { shownIds, touchedOf, type TouchedPlan } from "./touchedGraph.ts";

const plan: TouchedPlan = {
  nodes: [{ var: "n0", label: "Person", column: "touched_n0" }],
  paths: {
    cypher: "(not run here)",
    vars: [
      { var: "n0", label: "Person" },
      { var: "n1", label: "Organization" },
    ],
    edges: [{ from: "n0", type: "MEMBER_OF", to: "n1" }],
  },
};
const row = (name: string, touched: unknown[]) => new Neo4jRecord(["n0_name", "touched_n0"], [name, touched]);
const path = (...values: unknown[]) => new Neo4jRecord(["n0_id", "n0_name", "n1_id", "n1_name"], values);

describe("touchedOf", () => {
  const rows = [row("Ada", [["p1", "Ada"]]), row("Bob", [["p2", null]])];

  it("gives the path read the returned nodes' ids", () => {
    expect(shownIds(rows, plan)).toEqual({ shown_n0: ["p1", "p2"] });
  });

  it("lists the returned nodes first, each once with its kind and name (its id when it has none), then the paths' nodes and hops", () => {
    const paths = [path("p1", "Ada", "o1", "Acme"), path("p2", null, "o1", "Acme")];
    expect(touchedOf(rows, paths, plan)).toEqual({
      nodes: [
        { id: "p1", label: "Person", name: "Ada" },
        { id: "p2", label: "Person", name: "p2" },
        { id: "o1", label: "Organization", name: "Acme" },
      ],
      edges: [
        { from: "p1", type: "MEMBER_OF", to: "o1" },
        { from: "p2", type: "MEMBER_OF", to: "o1" },
      ],
    });
  });

  it("caps the nodes and edges, and keeps only edges whose ends are both listed", () => {
    const paths = [path("p1", "Ada", "o1", "Acme"), path("p2", "Bob", "o2", "Beta")];
    expect(touchedOf(rows, paths, plan, { nodes: 3, edges: 10 })).toEqual({
      nodes: [
        { id: "p1", label: "Person", name: "Ada" },
        { id: "p2", label: "Person", name: "p2" },
        { id: "o1", label: "Organization", name: "Acme" },
      ],
      edges: [{ from: "p1", type: "MEMBER_OF", to: "o1" }],
    });
    expect(touchedOf(rows, paths, plan, { nodes: 10, edges: 1 }).edges).toEqual([{ from: "p1", type: "MEMBER_OF", to: "o1" }]);
  });
});
