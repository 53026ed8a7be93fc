/**
 * What a question's rows hold, from its intent: one count; a count per
 * thing ("how many people per organisation"); the top N things by a count
 * over the link ("top 3 organisations by people", "which incident has the
 * most indicators" — one, asked in the singular); or a list of names (or of
 * the property the question asks for: "emails of people …"), distinct, in
 * name order.
 */
import type { GraphVocabulary } from "./graphVocabulary.ts";
import type { PropertyReturn } from "./propertyPhrases.ts";
import type { QueryIrInput } from "./queryIr.ts";
import type { Intent, Mention } from "./questionParts.ts";

/** Rows a list or a grouped count returns when the question names no number. */
export const LIST_LIMIT = 100;
/** Rows of "which … the most …" asked in the plural. */
const TOP_DEFAULT = 10;

export interface ShapeContext {
  mentions: Mention[];
  vocabulary: GraphVocabulary;
  returns: PropertyReturn[];
  hints: string[];
  reasons: string[];
  display: (label: string) => string;
}

/** Sets the IR's returns, aggregation, order and limit; returns the verb for the summary and the confidence it costs. */
export function shapeResult(ir: QueryIrInput, intent: Intent, ctx: ShapeContext): { verb: string; penalty: number } {
  const subject = ir.nodes[0]!;
  const shown = (node: { var: string; label: string }) => ({ var: node.var, property: ctx.display(node.label) });
  const countOf = (v: string) => ({ fn: "count" as const, var: v });
  if (intent.kind === "group") {
    const byMention = ctx.mentions.find((m) => m.at >= intent.by);
    const by = byMention && ir.nodes.find((n) => n.label === byMention.label && n !== subject);
    if (by) {
      Object.assign(ir, { returns: [shown(by)], aggregate: countOf(subject.var), orderBy: { direction: "DESC" }, limit: LIST_LIMIT });
      return { verb: `Count ${subject.label} per ${by.label}:`, penalty: 0 };
    }
    ctx.reasons.push("“per …” names no other kind of thing: counted in all");
  }
  if (intent.kind === "count" || intent.kind === "group") {
    ir.aggregate = countOf(subject.var);
    return { verb: "Count", penalty: 0 };
  }
  if (intent.kind === "top" && ir.nodes.length > 1) {
    const n = intent.n ?? (ctx.mentions[0] && !ctx.mentions[0].plural ? 1 : TOP_DEFAULT);
    Object.assign(ir, { returns: [shown(subject)], aggregate: countOf(ir.nodes[1]!.var), orderBy: { direction: "DESC" }, limit: n });
    return { verb: `Top ${n}`, penalty: 0 };
  }
  let penalty = 0;
  if (intent.kind === "top") {
    penalty = 0.3;
    ctx.reasons.push("“top” needs something to rank by: listed instead");
    ctx.hints.push(`Say what to rank ${subject.label} by, e.g. “top 5 ${subject.label.toLowerCase()} by …”.`);
  }
  const returns = ctx.returns.length
    ? ctx.returns.slice(0, 1).map((r) => ({ var: ir.nodes.find((n) => n.label === r.label)!.var, property: r.property }))
    : [shown(subject)];
  Object.assign(ir, {
    returns,
    orderBy: { ...returns[0]!, direction: "ASC" },
    limit: intent.kind === "top" && intent.n ? intent.n : LIST_LIMIT,
  });
  return { verb: "List", penalty };
}
