import { describe, expect, it } from "vitest";
import { createAskTerms } from "./askTerms.ts";
import { checkCypher } from "./checkCypher.ts";
import { compileCypher } from "./compileCypher.ts";
import { createGraphVocabulary } from "./graphVocabulary.ts";
import { interpretQuestion } from "./interpretQuestion.ts";

const vocabulary = createGraphVocabulary();
const terms = createAskTerms(vocabulary);

/** Interprets, compiles and checks a question; returns the IR and the Cypher. */
function ask(question: string) {
  const result = interpretQuestion(question, vocabulary, terms);
  if (!result.ok) throw new Error(`not interpreted: ${JSON.stringify(result)}`);
  const compiled = compileCypher(result.interpretation.ir, vocabulary, "tenant-a");
  expect(checkCypher(compiled.cypher, vocabulary)).toEqual([]);
  return { ...result.interpretation, ...compiled };
}

describe("interpretQuestion", () => {
  it("counts a kind of thing, in several phrasings", () => {
    for (const q of ["How many people are there?", "count persons", "number of individuals"]) {
      const { ir, cypher, confidence } = ask(q);
      expect(ir).toMatchObject({ nodes: [{ var: "n0", label: "Person" }], aggregate: { fn: "count", var: "n0" } });
      expect(cypher).toMatch(
        /^MATCH \(n0:Person\) WHERE n0.tenantId = \$tenantId AND coalesce\(n0.marking, .GREEN.\) IN \$markings AND .* RETURN count/,
      );
      expect(confidence).toBe(1);
    }
  });

  it("follows a named relationship and links a quoted value to the thing it follows", () => {
    const { ir, params, reasons } = ask("Which people work for “Acme Corp”?");
    expect(ir.nodes).toEqual([
      { var: "n0", label: "Person" },
      { var: "n1", label: "Organization" },
    ]);
    expect(ir.edges).toEqual([{ from: "n0", type: "MEMBER_OF", to: "n1" }]);
    expect(ir.returns).toEqual([{ var: "n0", property: "name" }]);
    expect(ir.filters).toEqual([{ var: "n1", property: "name", op: "contains", value: "Acme Corp", negate: false }]);
    expect(params).toMatchObject({ p0: "Acme Corp" });
    expect(reasons).toContain("“MEMBER_OF” named in the question");
  });

  it("assumes the only link between two kinds, and says so with lower confidence", () => {
    const { ir, confidence, reasons } = ask("list domains of organisations named Acme");
    expect(ir.edges).toEqual([{ from: "n1", type: "OWNS", to: "n0" }]);
    expect(confidence).toBeLessThan(1);
    expect(reasons.join()).toMatch(/assumed the only link between Organization and Domain: OWNS/);
  });

  it("takes the kind from a typed value: an e-mail is a person's, an IP an address", () => {
    expect(ask("who is ada@example.com").ir).toMatchObject({
      nodes: [{ label: "Person" }],
      filters: [{ property: "email", op: "eq", value: "ada@example.com" }],
    });
    expect(ask("domains that resolve to 192.0.2.7").ir).toMatchObject({
      nodes: [{ label: "Domain" }, { label: "IPAddress" }],
      edges: [{ type: "RESOLVES_TO" }],
      filters: [{ var: "n1", property: "address", value: "192.0.2.7" }],
    });
  });

  it("ranks top-N by a count over the link, and negates a value after 'not'", () => {
    const top = ask("top 3 organisations by people");
    expect(top.ir).toMatchObject({ aggregate: { fn: "count", var: "n1" }, orderBy: { direction: "DESC" }, limit: 3 });
    expect(ask('people not named "Ada"').ir.filters).toEqual([{ var: "n0", property: "name", op: "contains", value: "Ada", negate: true }]);
  });

  it("asks for a kind of thing when the question names none", () => {
    expect(interpretQuestion("what happened yesterday?", vocabulary, terms)).toEqual({
      ok: false,
      hints: [
        "Name a kind of thing: person, organization, domain, ip address, indicator, incident, threat actor, intrusion set, campaign, malware, tool, attack pattern, vulnerability, threat report.",
      ],
    });
  });

  it.each([
    ["delete all people", "WRITE"],
    ["MATCH (n) DETACH DELETE n", "RAW_CYPHER"],
    ["call db.labels()", "PROCEDURE"],
    ["how many people across all tenants", "OTHER_TENANTS"],
  ])("refuses %j (%s)", (question, reason) => {
    const result = interpretQuestion(question, vocabulary, terms);
    expect(result).toMatchObject({ ok: false, refusal: { reason } });
  });
});
