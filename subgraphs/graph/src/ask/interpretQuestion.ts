/**
 * The deterministic interpreter: a question in plain words → query IR, with
 * the interpretation in words, a confidence 0–1 and the reasons behind it,
 * and hints when it is weak. It works from the schema's vocabulary
 * (askTerms.ts) and the question's own parts (questionParts.ts), never from a
 * list of known questions. Values are linked by kind (an e-mail to a person's
 * e-mail, an IP to an address, a domain to a domain's name, quoted text to
 * the name of the thing it follows); linking to the tenant's own data comes
 * with the service that runs questions.
 */
import { words, type AskTerms } from "./askTerms.ts";
import { relationshipsBetween, type GraphVocabulary } from "./graphVocabulary.ts";
import type { QueryIrInput } from "./queryIr.ts";
import {
  intentOf,
  mentionsOf,
  refusalOf,
  relationshipPhraseIn,
  valuesOf,
  type Mention,
  type QuestionValue,
  type Refusal,
} from "./questionParts.ts";

export interface Interpretation {
  ir: QueryIrInput;
  /** What the question was taken to mean, in plain words. */
  summary: string;
  confidence: number;
  reasons: string[];
  hints: string[];
}

export type InterpretResult =
  { ok: true; interpretation: Interpretation } | { ok: false; refusal: Refusal } | { ok: false; hints: string[] };

/** The property that names a thing of `label` (name, title, address, pattern). */
export function displayProperty(vocabulary: GraphVocabulary, label: string): string {
  const properties = vocabulary.labels.get(label);
  return ["name", "title", "address", "pattern"].find((p) => properties?.has(p)) ?? "id";
}

const LABEL_FOR_KIND: Partial<Record<QuestionValue["kind"], { label: string; property: string }>> = {
  email: { label: "Person", property: "email" },
  ip: { label: "IPAddress", property: "address" },
  domain: { label: "Domain", property: "name" },
};

const kindsHint = (vocabulary: GraphVocabulary) => `Name a kind of thing: ${[...vocabulary.labels.keys()].map(words).join(", ")}.`;

/**
 * The labels a question is about: its mentions, the kind of any value no
 * mention covers, and the far end of a relationship it names from a single
 * kind ("people who work for …" → Organization).
 */
function subjectsOf(mentions: Mention[], values: QuestionValue[], rest: string, vocabulary: GraphVocabulary, terms: AskTerms): string[] {
  const labels = mentions.map((m) => m.label);
  for (const v of values) {
    const typed = LABEL_FOR_KIND[v.kind];
    if (typed && !labels.includes(typed.label)) labels.push(typed.label);
  }
  const distinct = [...new Set(labels)];
  if (distinct.length === 1) {
    const touching = vocabulary.relationships.filter((r) => r.from === distinct[0] || r.to === distinct[0]);
    const named = relationshipPhraseIn(rest, {
      labels: [],
      relationships: terms.relationships.filter((t) => touching.some((r) => r.type === t.type)),
    });
    const far = touching.filter((r) => r.type === named).map((r) => (r.from === distinct[0] ? r.to : r.from));
    if (far.length === 1) distinct.push(far[0]!);
  }
  return distinct.slice(0, 3);
}

/**
 * Which kind a quoted or named value belongs to: the nearest mention before
 * it, or, when a relationship phrase stands between them ("people who work
 * for “Acme”"), the kind on the far side of that link.
 */
function untypedOwner(v: QuestionValue, mentions: Mention[], labels: string[], rest: string, terms: AskTerms): string {
  const before = [...mentions].reverse().find((m) => m.at < v.at);
  if (!before) return labels[labels.length - 1]!;
  const next = labels[labels.indexOf(before.label) + 1];
  return next && relationshipPhraseIn(rest.slice(before.end, v.at), terms) ? next : before.label;
}

export function interpretQuestion(question: string, vocabulary: GraphVocabulary, terms: AskTerms): InterpretResult {
  const refusal = refusalOf(question);
  if (refusal) return { ok: false, refusal };
  const { values, rest } = valuesOf(question);
  const mentions = mentionsOf(rest, terms);
  const labels = subjectsOf(mentions, values, rest, vocabulary, terms);
  if (!labels.length) return { ok: false, hints: [kindsHint(vocabulary)] };

  const reasons: string[] = [];
  const hints: string[] = [];
  let confidence = 1;
  const nodes = labels.map((label, i) => ({ var: `n${i}`, label }));
  const varOf = (label: string) => nodes.find((n) => n.label === label)!.var;
  const edges: NonNullable<QueryIrInput["edges"]> = [];
  for (let i = 1; i < labels.length; i++) {
    const candidates = relationshipsBetween(vocabulary, labels[i - 1]!, labels[i]!);
    const named = relationshipPhraseIn(rest, {
      labels: [],
      relationships: terms.relationships.filter((r) => candidates.some((c) => c.type === r.type)),
    });
    const chosen = candidates.find((c) => c.type === named) ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (!chosen) {
      hints.push(
        `Say how ${labels[i - 1]} and ${labels[i]} are linked${candidates.length ? `: ${candidates.map((c) => c.type.toLowerCase().replace(/_/g, " ")).join(" or ")}` : " (the graph has no direct link)"}.`,
      );
      return { ok: false, hints };
    }
    if (!named) {
      confidence -= 0.15;
      reasons.push(`assumed the only link between ${chosen.from} and ${chosen.to}: ${chosen.type}`);
    } else reasons.push(`“${chosen.type}” named in the question`);
    edges.push({ from: varOf(chosen.from), type: chosen.type, to: varOf(chosen.to) });
  }

  const filters = values.map((v) => {
    const typed = LABEL_FOR_KIND[v.kind];
    const owner = typed?.label ?? untypedOwner(v, mentions, labels, rest, terms);
    const property = typed?.property ?? displayProperty(vocabulary, owner);
    reasons.push(`${v.negate ? "not " : ""}${owner}.${property} ${typed ? "=" : "contains"} “${v.value}”`);
    return { var: varOf(owner), property, op: typed ? ("eq" as const) : ("contains" as const), value: v.value, negate: v.negate };
  });

  const intent = intentOf(rest);
  const subject = nodes[0]!;
  const ir: QueryIrInput = { nodes, edges, filters, returns: [] };
  if (intent.kind === "count") ir.aggregate = { fn: "count", var: subject.var };
  else if (intent.kind === "top" && nodes.length > 1) {
    ir.returns = [{ var: subject.var, property: displayProperty(vocabulary, subject.label) }];
    ir.aggregate = { fn: "count", var: nodes[1]!.var };
    ir.orderBy = { direction: "DESC" };
    ir.limit = intent.n;
  } else {
    if (intent.kind === "top") {
      confidence -= 0.3;
      reasons.push("“top” needs something to rank by: listed instead");
      hints.push(`Say what to rank ${subject.label} by, e.g. “top 5 ${subject.label.toLowerCase()} by …”.`);
    }
    const property = displayProperty(vocabulary, subject.label);
    ir.returns = [{ var: subject.var, property }];
    ir.orderBy = { var: subject.var, property, direction: "ASC" };
  }
  if (!mentions.length) {
    // A question that names no kind of thing is a guess: below the default threshold, so RUN waits for a confirmation.
    confidence -= 0.35;
    reasons.push(`no kind of thing named: took ${labels[0]} from the value`);
  }
  const summary = `${intent.kind === "count" ? "Count" : intent.kind === "top" && nodes.length > 1 ? `Top ${intent.n}` : "List"} ${labels.join(" → ")}${reasons.length ? ` (${reasons.join("; ")})` : ""}`;
  return { ok: true, interpretation: { ir, summary, confidence: Math.max(0, Math.round(confidence * 100) / 100), reasons, hints } };
}
