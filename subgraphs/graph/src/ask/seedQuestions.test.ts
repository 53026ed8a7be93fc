/**
 * The seed set (bench/ask/seedQuestions.json) in CI, without a store: at
 * least 95 % of the questions compile, and every compiled query — read on
 * Neo4j's own parse tree, not by searching the text — has the tenant
 * predicate as a top-level conjunct for every node variable and no clause but
 * MATCH, WHERE and RETURN (so no write, no CALL). Accuracy needs the stores:
 * `pnpm bench:ask` and test/integration/askSeedSet.test.ts.
 */
import { readFileSync } from "node:fs";
import { getDebugTree, type SimpleTree } from "@neo4j-cypher/language-support";
import { describe, expect, it } from "vitest";
import { createAskTerms } from "./askTerms.ts";
import { checkCypher } from "./checkCypher.ts";
import { compileCypher } from "./compileCypher.ts";
import { createGraphVocabulary } from "./graphVocabulary.ts";
import { interpretQuestion } from "./interpretQuestion.ts";

const seeds = JSON.parse(readFileSync(new URL("../../../../bench/ask/seedQuestions.json", import.meta.url), "utf8")) as Array<{
  id: string;
  question: string;
}>;
const vocabulary = createGraphVocabulary();
const terms = createAskTerms(vocabulary);

function* walk(n: SimpleTree): Generator<SimpleTree> {
  yield n;
  for (const c of n.children ?? []) yield* walk(c);
}
const leaves = (n: SimpleTree): string[] => (n.children?.length ? n.children.flatMap(leaves) : [n.name]);

/** Node variables, clauses and the WHERE's top-level AND terms of a query, from its parse tree. */
function parsed(cypher: string) {
  const tree = getDebugTree(cypher);
  const nodes = [...walk(tree)];
  const clauses = nodes.filter((n) => n.name.endsWith("Clause")).map((n) => n.name);
  const variables = new Set(
    nodes.filter((n) => n.name === "nodePattern").map((n) => leaves(n.children!.find((c) => c.name === "variable")!).join("")),
  );
  // WHERE → expression → one OR operand (expression11) → one XOR operand (expression10) → its AND operands (expression9).
  const where = nodes.find((n) => n.name === "whereClause")!;
  const or = where.children!.find((c) => c.name === "expression")!.children!.filter((c) => c.name === "expression11");
  const xor = or.length === 1 ? or[0]!.children!.filter((c) => c.name === "expression10") : [];
  const conjuncts = xor.length === 1 ? xor[0]!.children!.filter((c) => c.name === "expression9").map((c) => leaves(c).join(" ")) : [];
  return { clauses, variables, conjuncts };
}

describe("the seed set", () => {
  const compiled = seeds.flatMap((s) => {
    const result = interpretQuestion(s.question, vocabulary, terms, { now: Date.parse("2025-06-01T00:00:00Z") });
    return result.ok ? [{ ...s, ...compileCypher(result.interpretation.ir, vocabulary, "tenant-ci") }] : [];
  });

  it("has at least 200 questions, and at least 95 % of them compile", () => {
    expect(seeds.length).toBeGreaterThanOrEqual(200);
    expect(compiled.length / seeds.length).toBeGreaterThanOrEqual(0.95);
  });

  it("scopes every node variable of every compiled question to the tenant and writes nothing (parse tree)", { timeout: 120_000 }, () => {
    const WRITES = [
      "createClause",
      "mergeClause",
      "deleteClause",
      "setClause",
      "removeClause",
      "callClause",
      "foreachClause",
      "loadCSVClause",
    ];
    for (const q of compiled) {
      const { clauses, variables, conjuncts } = parsed(q.cypher);
      expect(
        clauses.filter((c) => WRITES.includes(c)),
        q.id,
      ).toEqual([]);
      expect(new Set(clauses), q.id).toEqual(new Set(["matchClause", "whereClause", "returnClause"]));
      expect(variables.size, q.id).toBeGreaterThan(0);
      for (const v of variables) expect(conjuncts, `${q.id} ${v}`).toContain(`${v} . tenantId = $ tenantId`);
      expect(q.params["tenantId"], q.id).toBe("tenant-ci");
      expect(checkCypher(q.cypher, vocabulary), q.id).toEqual([]);
    }
  });
});
