import { describe, expect, it } from "vitest";
import { checkCypher } from "./checkCypher.ts";
import { createGraphVocabulary } from "./graphVocabulary.ts";
import { nodeVisible, relationshipVisible } from "../visibility.ts";

const vocabulary = createGraphVocabulary();
const held = (v: string) => `${v}.tenantId = $tenantId AND ${nodeVisible(v)}`;
const scoped = `WHERE ${held("n")}`;

describe("checkCypher (on the parse tree)", () => {
  it("passes a scoped read", () => {
    expect(checkCypher(`MATCH (n:Person) ${scoped} RETURN n.name AS name LIMIT $limit`, vocabulary)).toEqual([]);
  });

  it.each([
    ["a delete", `MATCH (n:Person) ${scoped} DETACH DELETE n`, /clause not allowed: deleteClause/],
    ["a create", `CREATE (n:Person {tenantId: $tenantId})`, /clause not allowed: createClause/],
    ["a set", `MATCH (n:Person) ${scoped} SET n.name = 'x' RETURN n`, /clause not allowed: setClause/],
    ["a merge", `MERGE (n:Person {name: 'x'}) RETURN n`, /clause not allowed: mergeClause/],
    ["a procedure call", `CALL db.labels() YIELD label RETURN label`, /clause not allowed: callClause/],
    ["a subquery", `MATCH (n:Person) ${scoped} CALL { MATCH (m:Person) RETURN m } RETURN n, m`, /not allowed/],
    ["an existential subquery", `MATCH (n:Person) ${scoped} AND EXISTS { MATCH (m:Person) } RETURN n`, /nested query not allowed/],
    ["an APOC function", `MATCH (n:Person) ${scoped} RETURN apoc.text.join([n.name], ',') AS x`, /function not allowed/],
    ["a second MATCH", `MATCH (n:Person) ${scoped} MATCH (m:Person) WHERE ${held("m")} RETURN n, m`, /exactly one MATCH/],
  ])("refuses %s", (_, cypher, problem) => {
    expect(checkCypher(cypher, vocabulary).join("\n")).toMatch(problem);
  });

  it("refuses a node variable without the tenant predicate, naming it", () => {
    expect(
      checkCypher(
        `MATCH (n:Person)-[r0:MEMBER_OF]->(o:Organization) ${scoped} AND ${nodeVisible("o")} AND ${relationshipVisible("r0")} RETURN o.name AS name`,
        vocabulary,
      ),
    ).toEqual(["o is not scoped to the tenant"]);
  });

  it("refuses a tenant predicate that an OR can bypass, or one nested below the top level", () => {
    expect(checkCypher(`MATCH (n:Person) WHERE n.tenantId = $tenantId OR true AND ${nodeVisible("n")} RETURN n`, vocabulary)).toEqual([
      "n is not scoped to the tenant",
      "n is not held to the clearance",
    ]);
    expect(checkCypher(`MATCH (n:Person) WHERE NOT (n.tenantId = $tenantId) AND ${nodeVisible("n")} RETURN n`, vocabulary)).toEqual([
      "n is not scoped to the tenant",
    ]);
  });

  it("refuses a node or relationship without its clearance terms, naming it", () => {
    expect(checkCypher("MATCH (n:Person) WHERE n.tenantId = $tenantId RETURN n", vocabulary)).toEqual(["n is not held to the clearance"]);
    // The marking alone is not enough: a suppressed indicator would show.
    expect(
      checkCypher("MATCH (n:Person) WHERE n.tenantId = $tenantId AND coalesce(n.marking, 'GREEN') IN $markings RETURN n", vocabulary),
    ).toEqual(["n is not held to the clearance"]);
    expect(
      checkCypher(`MATCH (n:Person)-[r0:MEMBER_OF]->(o:Organization) ${scoped} AND ${held("o")} RETURN o.name AS name`, vocabulary),
    ).toEqual(["r0 is not held to the clearance"]);
    expect(checkCypher(`MATCH (n:Person)-[:MEMBER_OF]->(o:Organization) ${scoped} AND ${held("o")} RETURN o`, vocabulary)).toEqual([
      "a relationship without a variable cannot be held to the clearance: -[:MEMBER_OF]->",
    ]);
  });

  it("refuses anonymous nodes, labels outside the schema, label wildcards and variable-length hops", () => {
    expect(checkCypher(`MATCH (n:Person)-[:MEMBER_OF]->() ${scoped} RETURN n`, vocabulary).join()).toMatch(/without a variable/);
    expect(checkCypher(`MATCH (n:Secret) ${scoped} RETURN n`, vocabulary)).toEqual(["label outside the schema: Secret"]);
    expect(checkCypher(`MATCH (n:%) ${scoped} RETURN n`, vocabulary).join()).toMatch(/only plain labels/);
    expect(checkCypher(`MATCH (n:Person|Secret) ${scoped} RETURN n`, vocabulary).join()).toMatch(/only plain labels/);
    expect(
      checkCypher(`MATCH (n:Person)-[:MEMBER_OF*1..9]->(o:Organization) ${scoped} AND ${held("o")} RETURN o`, vocabulary).join(),
    ).toMatch(/variable-length/);
  });

  it("reports a syntax error as such", () => {
    expect(checkCypher("MATCH (n:Person RETURN n", vocabulary)[0]).toMatch(/^syntax: /);
  });
});
