import { describe, expect, it } from "vitest";
import { checkCypher } from "./checkCypher.ts";
import { compileCypher } from "./compileCypher.ts";
import { createGraphVocabulary, relationshipsBetween } from "./graphVocabulary.ts";

const vocabulary = createGraphVocabulary();
const TENANT = "tenant-a";

const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    const ext = (error as { extensions?: { code?: string; problems?: Array<{ path: string }> } }).extensions;
    return { code: ext?.code, paths: (ext?.problems ?? []).map((p) => p.path) };
  }
  throw new Error("expected the IR to be refused");
};

describe("the graph vocabulary", () => {
  it("is read from the graph's type definitions: labels, properties, relationships with their direction", () => {
    expect([...vocabulary.labels.keys()].sort()).toEqual([
      "AttackPattern",
      "Campaign",
      "Domain",
      "IPAddress",
      "Incident",
      "Indicator",
      "IntrusionSet",
      "Malware",
      "Organization",
      "Person",
      "ThreatActor",
      "ThreatReport",
      "Tool",
      "Vulnerability",
    ]);
    expect([...vocabulary.labels.get("Person")!]).toEqual(expect.arrayContaining(["id", "name", "email", "firstSeen"]));
    expect(relationshipsBetween(vocabulary, "Organization", "Person")).toEqual([{ type: "MEMBER_OF", from: "Person", to: "Organization" }]);
  });

  it("keeps the tenant and hold bookkeeping out of what a question may name", () => {
    for (const properties of vocabulary.labels.values()) {
      expect(properties.has("tenantId")).toBe(false);
      expect(properties.has("legalHeld")).toBe(false);
    }
  });
});

/** The tenant and clearance terms every node variable gets, and the marking every relationship variable gets. */
const scoped = (...vs: string[]) => vs.map((v) => `${v}.tenantId = $tenantId`).join(" AND ");
const held = (...vs: string[]) =>
  vs.map((v) => `coalesce(${v}.marking, 'GREEN') IN $markings AND coalesce(${v}.suppressed, false) = false`).join(" AND ");
const linkHeld = (r: string) => `coalesce(${r}.marking, 'GREEN') IN $markings`;

describe("compileCypher", () => {
  it("counts one kind of thing, scoped to the tenant and held to the clearance", () => {
    const compiled = compileCypher({ nodes: [{ var: "n0", label: "Person" }], aggregate: { fn: "count", var: "n0" } }, vocabulary, TENANT);
    expect(compiled).toEqual({
      cypher:
        "MATCH (n0:Person) WHERE n0.tenantId = $tenantId AND coalesce(n0.marking, 'GREEN') IN $markings " +
        "AND coalesce(n0.suppressed, false) = false RETURN count(DISTINCT n0) AS count LIMIT toInteger($limit)",
      // Without the caller's markings, only what is marked at or below the default marking.
      params: { tenantId: TENANT, markings: ["CLEAR", "GREEN"], limit: 25 },
      columns: ["count"],
      touched: { nodes: [] },
    });
    expect(checkCypher(compiled.cypher, vocabulary)).toEqual([]);
  });

  it("compiles a two-hop path with filters, negation, grouping, order and limit; every value a parameter", () => {
    const compiled = compileCypher(
      {
        nodes: [
          { var: "n0", label: "Person" },
          { var: "n1", label: "Organization" },
          { var: "n2", label: "Domain" },
        ],
        edges: [
          { from: "n0", type: "MEMBER_OF", to: "n1" },
          { from: "n1", type: "OWNS", to: "n2" },
        ],
        filters: [
          { var: "n1", property: "name", op: "contains", value: "acme" },
          { var: "n2", property: "name", op: "eq", value: "old.example", negate: true },
        ],
        returns: [{ var: "n1", property: "name" }],
        aggregate: { fn: "count", var: "n0" },
        orderBy: { direction: "DESC" },
        limit: 5,
      },
      vocabulary,
      TENANT,
      ["CLEAR", "GREEN", "AMBER"],
    );
    expect(compiled.cypher).toBe(
      "MATCH (n0:Person)-[r0:MEMBER_OF]->(n1:Organization), (n1)-[r1:OWNS]->(n2:Domain) " +
        `WHERE ${scoped("n0", "n1", "n2")} AND ${held("n0", "n1", "n2")} AND ${linkHeld("r0")} AND ${linkHeld("r1")} ` +
        "AND toLower(n1.name) CONTAINS toLower($p0) AND NOT (n2.name = $p1) " +
        "RETURN n1.name AS n1_name, count(DISTINCT n0) AS count, collect(DISTINCT [n1.id, n1.name])[..500] AS touched_n1 " +
        "ORDER BY count DESC, n1_name ASC LIMIT toInteger($limit)",
    );
    expect(compiled.params).toEqual({ tenantId: TENANT, markings: ["CLEAR", "GREEN", "AMBER"], limit: 5, p0: "acme", p1: "old.example" });
    expect(compiled.columns).toEqual(["n1_name", "count"]);
    // A count touches only what it is grouped by: the organisations, not the people counted nor the domains.
    expect(compiled.touched).toEqual({ nodes: [{ var: "n1", label: "Organization", column: "touched_n1" }] });
    expect(checkCypher(compiled.cypher, vocabulary)).toEqual([]);
  });

  it("lists the returned nodes in hidden return items and reads the rest of each row's pattern apart, bounded", () => {
    const compiled = compileCypher(
      {
        nodes: [
          { var: "n0", label: "Organization" },
          { var: "n1", label: "Domain" },
          { var: "n2", label: "IPAddress" },
        ],
        edges: [
          { from: "n0", type: "OWNS", to: "n1" },
          { from: "n1", type: "RESOLVES_TO", to: "n2" },
        ],
        returns: [{ var: "n0", property: "name" }],
        orderBy: { var: "n0", property: "name", direction: "ASC" },
      },
      vocabulary,
      TENANT,
    );
    expect(compiled.cypher).toBe(
      "MATCH (n0:Organization)-[r0:OWNS]->(n1:Domain), (n1)-[r1:RESOLVES_TO]->(n2:IPAddress) " +
        `WHERE ${scoped("n0", "n1", "n2")} AND ${held("n0", "n1", "n2")} AND ${linkHeld("r0")} AND ${linkHeld("r1")} ` +
        "RETURN n0.name AS n0_name, collect(DISTINCT [n0.id, n0.name])[..500] AS touched_n0 " +
        "ORDER BY n0_name ASC LIMIT toInteger($limit)",
    );
    expect(compiled.columns).toEqual(["n0_name"]);
    expect(compiled.params).toEqual({ tenantId: TENANT, markings: ["CLEAR", "GREEN"], limit: 25 });
    expect(checkCypher(compiled.cypher, vocabulary)).toEqual([]);
    // The other nodes and the hops: the same tenant-scoped MATCH, restricted to the rows' organisations, streamed with a LIMIT.
    expect(compiled.touched.nodes).toEqual([{ var: "n0", label: "Organization", column: "touched_n0" }]);
    expect(compiled.touched.paths).toEqual({
      cypher:
        "MATCH (n0:Organization)-[r0:OWNS]->(n1:Domain), (n1)-[r1:RESOLVES_TO]->(n2:IPAddress) " +
        `WHERE ${scoped("n0", "n1", "n2")} AND ${held("n0", "n1", "n2")} AND ${linkHeld("r0")} AND ${linkHeld("r1")} AND n0.id IN $shown_n0 ` +
        "RETURN DISTINCT n0.id AS n0_id, n0.name AS n0_name, n1.id AS n1_id, n1.name AS n1_name, n2.id AS n2_id, n2.address AS n2_name LIMIT 1000",
      vars: [
        { var: "n0", label: "Organization" },
        { var: "n1", label: "Domain" },
        { var: "n2", label: "IPAddress" },
      ],
      edges: [
        { from: "n0", type: "OWNS", to: "n1" },
        { from: "n1", type: "RESOLVES_TO", to: "n2" },
      ],
    });
    expect(checkCypher(compiled.touched.paths!.cypher, vocabulary)).toEqual([]);
  });

  it("keeps hostile text in a parameter, never in the query", () => {
    const hostile = "x' }) DETACH DELETE n //";
    const compiled = compileCypher(
      {
        nodes: [{ var: "n0", label: "Person" }],
        filters: [{ var: "n0", property: "name", op: "eq", value: hostile }],
        returns: [{ var: "n0" }],
      },
      vocabulary,
      TENANT,
    );
    expect(compiled.cypher).not.toContain("DELETE");
    expect(compiled.params["p0"]).toBe(hostile);
    expect(checkCypher(compiled.cypher, vocabulary)).toEqual([]);
  });

  it("refuses labels, relationships and properties outside the schema, naming each", () => {
    expect(
      problemsOf(() =>
        compileCypher(
          {
            nodes: [
              { var: "n0", label: "Person" },
              { var: "n1", label: "Spaceship" },
            ],
            edges: [{ from: "n0", type: "PILOTS", to: "n1" }],
            filters: [{ var: "n0", property: "tenantId", op: "eq", value: "tenant-b" }],
            returns: [{ var: "n0", property: "password" }],
          },
          vocabulary,
          TENANT,
        ),
      ),
    ).toEqual({ code: "BAD_USER_INPUT", paths: ["nodes.1.label", "filters.0.property", "returns.0.property"] });
  });

  it("refuses a hop against the schema's direction and a node joined to nothing", () => {
    expect(
      problemsOf(() =>
        compileCypher(
          {
            nodes: [
              { var: "n0", label: "Organization" },
              { var: "n1", label: "Person" },
              { var: "n2", label: "Domain" },
            ],
            edges: [{ from: "n0", type: "MEMBER_OF", to: "n1" }],
            returns: [{ var: "n0" }],
          },
          vocabulary,
          TENANT,
        ),
      ),
    ).toEqual({ code: "BAD_USER_INPUT", paths: ["edges.0.type", "edges"] });
  });

  it("refuses malformed IR (foreign variables, unknown keys, no answer, a limit past the cap)", () => {
    const base = { nodes: [{ var: "n0", label: "Person" }], returns: [{ var: "n0" }] };
    expect(
      problemsOf(() => compileCypher({ ...base, nodes: [{ var: "x) DETACH DELETE (y", label: "Person" }] }, vocabulary, TENANT)).code,
    ).toBe("BAD_USER_INPUT");
    expect(problemsOf(() => compileCypher({ ...base, cypher: "MATCH (n) DELETE n" }, vocabulary, TENANT)).code).toBe("BAD_USER_INPUT");
    expect(problemsOf(() => compileCypher({ ...base, returns: [] }, vocabulary, TENANT)).paths).toEqual(["returns"]);
    expect(problemsOf(() => compileCypher({ ...base, limit: 100_000 }, vocabulary, TENANT)).paths).toEqual(["limit"]);
  });
});
