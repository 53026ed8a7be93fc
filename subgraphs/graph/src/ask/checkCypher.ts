/**
 * Checks generated Cypher on its parse tree (Neo4j's own Cypher parser, from
 * @neo4j-cypher/language-support), not by searching the text, before it may
 * run: valid syntax; one MATCH … WHERE … RETURN and no other clause (no write,
 * no CALL, no subquery); only labels and relationship types of the graph
 * vocabulary; no variable-length hops; only the functions the compiler uses
 * (`count`, `collect` for the touched nodes, `toLower`, `toInteger`, `datetime`,
 * `coalesce` for the markings); `v.tenantId = $tenantId` and the clearance
 * terms of `nodeVisible(v)` (visibility.ts) as top-level conjuncts of the
 * WHERE for every node variable, and `relationshipVisible(r)` for every
 * relationship, which must have a variable. A second line of defence behind
 * `compileCypher`.
 */
import { getDebugTree, isNotParamError, lintCypherQuery, type SimpleTree } from "@neo4j-cypher/language-support";
import { nodeVisible, relationshipVisible } from "../visibility.ts";
import type { GraphVocabulary } from "./graphVocabulary.ts";

const ALLOWED_CLAUSES = new Set(["matchClause", "whereClause", "returnClause"]);
/** Rules that open a nested query or pattern, which could reach nodes without the tenant predicate. */
const NESTED = new Set(["existsExpression", "countExpression", "collectExpression", "patternComprehension", "subqueryClause"]);
const ALLOWED_FUNCTIONS = new Set(["count", "collect", "tolower", "tointeger", "datetime", "coalesce"]);

const leaves = (n: SimpleTree): string[] => (n.children?.length ? n.children.flatMap(leaves) : [n.name]);

function* walk(n: SimpleTree): Generator<SimpleTree> {
  yield n;
  for (const child of n.children ?? []) yield* walk(child);
}

const child = (n: SimpleTree | undefined, name: string) => n?.children?.find((c) => c.name === name);
const children = (n: SimpleTree | undefined, name: string) => n?.children?.filter((c) => c.name === name) ?? [];

/** The conjuncts of a WHERE at its top level (empty when the top level is an OR or XOR). */
function topLevelConjuncts(where: SimpleTree): string[][] {
  const expression = child(where, "expression");
  const ors = children(expression, "expression11");
  if (ors.length !== 1) return [];
  const xors = children(ors[0], "expression10");
  if (xors.length !== 1) return [];
  return children(xors[0], "expression9").map(leaves);
}

/** What is wrong with `cypher` (empty: it may run). */
export function checkCypher(cypher: string, vocabulary: GraphVocabulary): string[] {
  // Parameters are bound at run time: the linter's "Parameter $x is not defined" is not a syntax error.
  const syntax = lintCypherQuery(cypher, {})
    .diagnostics.map((d) => ({ severity: d.severity, message: typeof d.message === "string" ? d.message : d.message.value }))
    .filter((d) => d.severity === 1 && isNotParamError(d));
  if (syntax.length) return syntax.map((d) => `syntax: ${d.message}`);

  const problems: string[] = [];
  const tree = getDebugTree(cypher);
  const relationshipTypes = new Set(vocabulary.relationships.map((r) => r.type));
  const matches: SimpleTree[] = [];
  const relationshipVariables = new Set<string>();
  for (const node of walk(tree)) {
    if (node.name.endsWith("Clause") && !ALLOWED_CLAUSES.has(node.name)) problems.push(`clause not allowed: ${node.name}`);
    if (NESTED.has(node.name)) problems.push(`nested query not allowed: ${node.name}`);
    if (node.name === "matchClause") matches.push(node);
    if (node.name === "functionName") {
      // An empty `namespace` rule shows as a leaf of its own name; a real one holds its tokens (`apoc.text.`).
      const fn = (node.children ?? [])
        .map((part) => (part.name === "namespace" && !part.children?.length ? "" : leaves(part).join("")))
        .join("")
        .toLowerCase();
      if (!ALLOWED_FUNCTIONS.has(fn)) problems.push(`function not allowed: ${fn}`);
    }
    if (node.name === "relationshipPattern") {
      const tokens = leaves(node);
      if (tokens.includes("*") || [...walk(node)].some((n) => n.name === "quantifier"))
        problems.push("variable-length hops are not allowed");
      const variable = child(node, "variable");
      if (!variable) problems.push(`a relationship without a variable cannot be held to the clearance: ${tokens.join("")}`);
      else relationshipVariables.add(leaves(variable).join(""));
      const types = labelsIn(node);
      if (!types) problems.push(`only a plain relationship type is allowed: ${tokens.join("")}`);
      for (const type of types ?? []) if (!relationshipTypes.has(type)) problems.push(`relationship type outside the schema: ${type}`);
    }
  }
  if (matches.length !== 1) return [...problems, `exactly one MATCH expected, found ${matches.length}`];

  const variables = new Set<string>();
  for (const node of walk(matches[0]!)) {
    if (node.name !== "nodePattern") continue;
    const variable = child(node, "variable");
    if (!variable) {
      problems.push(`a node without a variable cannot be scoped to the tenant: ${leaves(node).join("")}`);
      continue;
    }
    const name = leaves(variable).join("");
    const labels = labelsIn(node);
    if (!labels) {
      problems.push(`only plain labels are allowed: ${leaves(node).join("")}`);
      continue;
    }
    for (const label of labels) if (!vocabulary.labels.has(label)) problems.push(`label outside the schema: ${label}`);
    if (!variables.has(name) && labels.length === 0) problems.push(`${name} has no label where it first appears`);
    variables.add(name);
  }
  const where = child(matches[0], "whereClause");
  const conjuncts = where ? topLevelConjuncts(where).map((c) => c.join(" ")) : [];
  for (const name of variables) {
    if (!conjuncts.includes(`${name} . tenantId = $ tenantId`)) problems.push(`${name} is not scoped to the tenant`);
    if (!conjunctsOf(nodeVisible(name)).every((c) => conjuncts.includes(c))) problems.push(`${name} is not held to the clearance`);
  }
  for (const name of relationshipVariables)
    if (!conjunctsOf(relationshipVisible(name)).every((c) => conjuncts.includes(c))) problems.push(`${name} is not held to the clearance`);
  return problems;
}

const conjunctsByCondition = new Map<string, string[]>();

/** The top-level conjuncts of a WHERE condition, as the checks above read them (so they follow visibility.ts's text). */
function conjunctsOf(condition: string): string[] {
  const known = conjunctsByCondition.get(condition);
  if (known) return known;
  const where = [...walk(getDebugTree(`MATCH (x) WHERE ${condition} RETURN x`))].find((n) => n.name === "whereClause");
  const conjuncts = where ? topLevelConjuncts(where).map((c) => c.join(" ")) : [];
  if (conjunctsByCondition.size < 1000) conjunctsByCondition.set(condition, conjuncts);
  return conjuncts;
}

/**
 * The label or relationship-type names in a node or relationship pattern, or
 * undefined for anything but plain names (`|`, `&`, `!`, the `%` wildcard).
 */
function labelsIn(pattern: SimpleTree): string[] | undefined {
  const expression = [...walk(pattern)].find((n) => n.name === "labelExpression");
  if (!expression) return [];
  const names = [...walk(expression)].filter((n) => n.name === "symbolicNameString").map((n) => leaves(n).join(""));
  const tokens = leaves(expression).filter((t) => t !== ":");
  return tokens.length === names.length ? names : undefined;
}
