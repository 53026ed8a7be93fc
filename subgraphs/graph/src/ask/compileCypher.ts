/**
 * Query IR → Cypher. Every label, relationship type and property is checked
 * against the graph vocabulary first, every value is a parameter, and every
 * node variable gets the tenant predicate (`nX.tenantId = $tenantId`) and the
 * caller's clearance (`visibility.ts`: its marking in `$markings`, and not a
 * suppressed indicator), every relationship variable its marking; the output
 * is a single read (MATCH … WHERE … RETURN … ORDER BY … LIMIT) by
 * construction. `checkCypher` verifies the same properties on the parsed text.
 */
import { appError, DEFAULT_ENTITY_MARKING, ErrorCode, markingsUpTo, type TlpMarking } from "@intelgraph/kit";
import { nodeVisible, relationshipVisible } from "../visibility.ts";
import { displayProperty, type GraphVocabulary } from "./graphVocabulary.ts";
import { queryIrSchema, type QueryIr } from "./queryIr.ts";
import { touchedPlan, type TouchedPlan } from "./touchedGraph.ts";

export interface CompiledCypher {
  cypher: string;
  /** Every value of the query, `tenantId`, `markings` and `limit` included (a driver sends JS numbers as floats: LIMIT converts). */
  params: Record<string, unknown>;
  /** Column names of each row, in order. */
  columns: string[];
  /** How the service reads the nodes and edges the rows touched (touchedGraph.ts). */
  touched: TouchedPlan;
}

export interface IrProblem {
  path: string;
  message: string;
}

const OPERATORS: Record<QueryIr["filters"][number]["op"], (left: string, param: string) => string> = {
  eq: (l, p) => `${l} = ${p}`,
  contains: (l, p) => `toLower(${l}) CONTAINS toLower(${p})`,
  startsWith: (l, p) => `toLower(${l}) STARTS WITH toLower(${p})`,
  endsWith: (l, p) => `toLower(${l}) ENDS WITH toLower(${p})`,
  gt: (l, p) => `${l} > ${p}`,
  gte: (l, p) => `${l} >= ${p}`,
  lt: (l, p) => `${l} < ${p}`,
  lte: (l, p) => `${l} <= ${p}`,
};

const columnOf = (ret: { var: string; property?: string | undefined }) => (ret.property ? `${ret.var}_${ret.property}` : ret.var);

/** Everything in the IR that the vocabulary does not allow, or that would leave a node unscoped or unjoined. */
export function irProblems(ir: QueryIr, vocabulary: GraphVocabulary): IrProblem[] {
  const problems: IrProblem[] = [];
  const labelOf = new Map<string, string>();
  ir.nodes.forEach((node, i) => {
    if (labelOf.has(node.var)) problems.push({ path: `nodes.${i}.var`, message: `${node.var} is declared twice` });
    if (!vocabulary.labels.has(node.label)) problems.push({ path: `nodes.${i}.label`, message: `unknown kind of thing: ${node.label}` });
    labelOf.set(node.var, node.label);
  });
  const declared = (v: string | undefined, path: string) => {
    if (v !== undefined && !labelOf.has(v)) problems.push({ path, message: `${v} is not one of the query's nodes` });
  };
  const hasProperty = (v: string | undefined, property: string | undefined, path: string) => {
    const properties = v === undefined ? undefined : vocabulary.labels.get(labelOf.get(v) ?? "");
    if (property !== undefined && properties && !properties.has(property))
      problems.push({ path, message: `${labelOf.get(v!)} has no property ${property}` });
  };
  ir.edges.forEach((edge, i) => {
    declared(edge.from, `edges.${i}.from`);
    declared(edge.to, `edges.${i}.to`);
    const from = labelOf.get(edge.from);
    const to = labelOf.get(edge.to);
    const known = (label: string | undefined) => label !== undefined && vocabulary.labels.has(label);
    if (known(from) && known(to) && !vocabulary.relationships.some((r) => r.type === edge.type && r.from === from && r.to === to))
      problems.push({ path: `edges.${i}.type`, message: `no ${edge.type} relationship from ${from} to ${to}` });
  });
  ir.filters.forEach((f, i) => {
    declared(f.var, `filters.${i}.var`);
    hasProperty(f.var, f.property, `filters.${i}.property`);
  });
  ir.returns.forEach((r, i) => {
    declared(r.var, `returns.${i}.var`);
    hasProperty(r.var, r.property, `returns.${i}.property`);
  });
  if (ir.aggregate) declared(ir.aggregate.var, "aggregate.var");
  if (ir.orderBy) {
    const { var: v, property } = ir.orderBy;
    if (v === undefined && !ir.aggregate) problems.push({ path: "orderBy", message: "order by a returned property or by the count" });
    if (v !== undefined && !ir.returns.some((r) => r.var === v && r.property === property))
      problems.push({ path: "orderBy", message: "order by a property the query returns" });
  }
  // A node no hop reaches would multiply every row by every node of its kind.
  const joined = new Set(ir.nodes.slice(0, 1).map((n) => n.var));
  for (let grew = true; grew;) {
    grew = false;
    for (const e of ir.edges)
      if (joined.has(e.from) !== joined.has(e.to)) {
        joined.add(e.from).add(e.to);
        grew = true;
      }
  }
  for (const node of ir.nodes)
    if (!joined.has(node.var)) problems.push({ path: "edges", message: `${node.var} (${node.label}) is not linked to the rest` });
  return problems;
}

/**
 * Compiles IR (validated here too: it may come from a model) for the caller's
 * tenant and the markings their clearance allows (`markingsParam(principal)`).
 * @param markings @default CLEAR and GREEN (the default entity marking and below)
 */
export function compileCypher(
  input: unknown,
  vocabulary: GraphVocabulary,
  tenantId: string,
  markings: readonly TlpMarking[] = markingsUpTo(DEFAULT_ENTITY_MARKING),
): CompiledCypher {
  const parsed = queryIrSchema.safeParse(input);
  if (!parsed.success)
    throw appError(ErrorCode.BAD_USER_INPUT, "The query plan is not valid.", {
      problems: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  const ir = parsed.data;
  const problems = irProblems(ir, vocabulary);
  if (problems.length) throw appError(ErrorCode.BAD_USER_INPUT, "The query plan does not fit the graph's schema.", { problems });

  const params: Record<string, unknown> = { tenantId, markings: [...markings], limit: ir.limit };
  const labelled = new Set<string>();
  const node = (v: string) => {
    if (labelled.has(v)) return `(${v})`;
    labelled.add(v);
    return `(${v}:${ir.nodes.find((n) => n.var === v)!.label})`;
  };
  const paths = ir.edges.length ? ir.edges.map((e, i) => `${node(e.from)}-[r${i}:${e.type}]->${node(e.to)}`) : [node(ir.nodes[0]!.var)];
  const where = [
    ...ir.nodes.map((n) => `${n.var}.tenantId = $tenantId`),
    ...ir.nodes.map((n) => nodeVisible(n.var)),
    ...ir.edges.map((_, i) => relationshipVisible(`r${i}`)),
  ];
  ir.filters.forEach((f, i) => {
    params[`p${i}`] = f.value;
    // DateTime properties compare with an instant: a string would never equal or order against them.
    const temporal = vocabulary.dateTimes.has(f.property) && !["contains", "startsWith", "endsWith"].includes(f.op);
    const test = OPERATORS[f.op](`${f.var}.${f.property}`, temporal ? `datetime($p${i})` : `$p${i}`);
    where.push(f.negate ? `NOT (${test})` : test);
  });
  const items = ir.returns.map((r) => `${r.property ? `${r.var}.${r.property}` : r.var} AS ${columnOf(r)}`);
  const columns = ir.returns.map(columnOf);
  if (ir.aggregate) {
    items.push(`count(DISTINCT ${ir.aggregate.var}) AS count`);
    columns.push("count");
  }
  // Ties on a count are broken by the returned columns, so "top 3" is the same three every time.
  const order = ir.orderBy
    ? ` ORDER BY ${ir.orderBy.var === undefined ? ["count " + ir.orderBy.direction, ...ir.returns.map((r) => `${columnOf(r)} ASC`)].join(", ") : `${columnOf({ var: ir.orderBy.var, property: ir.orderBy.property })} ${ir.orderBy.direction}`}`
    : "";
  const match = `MATCH ${paths.join(", ")} WHERE ${where.join(" AND ")}`;
  // Rows are distinct (two paths to one thing show it once): the touched lists group by the visible items.
  const touched = touchedPlan(ir, match, (label) => displayProperty(vocabulary, label));
  const distinct = ir.aggregate || touched.items.length ? "" : "DISTINCT ";
  const cypher = `${match} RETURN ${distinct}${[...items, ...touched.items].join(", ")}${order} LIMIT toInteger($limit)`;
  return { cypher, params, columns, touched: touched.plan };
}
