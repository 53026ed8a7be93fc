import { Record as Neo4jRecord } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import type { TouchedColumns } from "./compileCypher.ts";
import { touchedOf } from "./touchedGraph.ts";

const columns: TouchedColumns = {
  nodes: [
    { var: "n0", label: "Person", column: "touched_n0" },
    { var: "n1", label: "Organization", column: "touched_n1" },
  ],
  edges: [{ from: "n0", type: "MEMBER_OF", to: "n1", column: "touched_r0" }],
};
const keys = ["n0_name", "touched_n0", "touched_n1", "touched_r0"];
const row = (values: unknown[]) => new Neo4jRecord(keys, values);

describe("touchedOf", () => {
  it("lists each node once with its kind and name (its id when it has none), and the hops between them", () => {
    const records = [
      row(["Ada", [["p1", "Ada"]], [["o1", "Acme"]], [["p1", "o1"]]]),
      row(["Bob", [["p2", null]], [["o1", "Acme"]], [["p2", "o1"]]]),
    ];
    expect(touchedOf(records, columns)).toEqual({
      nodes: [
        { id: "p1", label: "Person", name: "Ada" },
        { id: "o1", label: "Organization", name: "Acme" },
        { id: "p2", label: "Person", name: "p2" },
      ],
      edges: [
        { from: "p1", type: "MEMBER_OF", to: "o1" },
        { from: "p2", type: "MEMBER_OF", to: "o1" },
      ],
    });
  });

  it("caps the nodes and keeps only edges whose ends are both listed", () => {
    const records = [
      row([
        "Ada",
        [
          ["p1", "Ada"],
          ["p2", "Bob"],
        ],
        [["o1", "Acme"]],
        [
          ["p1", "o1"],
          ["p2", "o1"],
        ],
      ]),
    ];
    expect(touchedOf(records, columns, { nodes: 2, edges: 10 })).toEqual({
      nodes: [
        { id: "p1", label: "Person", name: "Ada" },
        { id: "p2", label: "Person", name: "Bob" },
      ],
      edges: [],
    });
    expect(touchedOf(records, columns, { nodes: 10, edges: 1 }).edges).toEqual([{ from: "p1", type: "MEMBER_OF", to: "o1" }]);
  });
});
