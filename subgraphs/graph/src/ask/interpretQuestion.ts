/**
 * The deterministic interpreter: a question in plain words → query IR, with
 * the interpretation in words, a confidence 0–1 and the reasons behind it,
 * and hints when it is weak. It works from the schema's vocabulary
 * (askTerms.ts) and the question's own parts (questionParts.ts), never from a
 * list of known questions. Values are linked by kind (an e-mail to a person's
 * e-mail, an IP to an address, a domain to a domain's name, quoted or
 * capitalised text to the name of the thing it belongs to); properties and
 * time ranges are read by propertyPhrases.ts and timeFilters.ts. Linking
 * names to the tenant's own data comes with the service that runs questions.
 */
import { words, type AskTerms } from "./askTerms.ts";
import { displayProperty, relationshipsBetween, type GraphVocabulary } from "./graphVocabulary.ts";
import { opBefore, propertyPhrasesOf, withoutPropertyValues } from "./propertyPhrases.ts";
import type { QueryIrInput } from "./queryIr.ts";
import { intentOf, mentionsOf, refusalOf, relationshipPhraseIn, valuesOf, type Refusal } from "./questionParts.ts";
import { LABEL_FOR_KIND, subjectsOf, untypedOwner } from "./questionSubjects.ts";
import { shapeResult } from "./resultShape.ts";
import { timeFiltersOf } from "./timeFilters.ts";

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

export interface InterpretOptions {
  /** The clock relative times ("in the last 30 days") count back from, ms since the epoch. @default Date.now() */
  now?: number;
}

export const kindsHint = (vocabulary: GraphVocabulary) => `Name a kind of thing: ${[...vocabulary.labels.keys()].map(words).join(", ")}.`;

type Filter = NonNullable<QueryIrInput["filters"]>[number];

export function interpretQuestion(
  question: string,
  vocabulary: GraphVocabulary,
  terms: AskTerms,
  options: InterpretOptions = {},
): InterpretResult {
  const refusal = refusalOf(question);
  if (refusal) return { ok: false, refusal };
  const parts = valuesOf(question);
  const { values } = parts;
  const times = timeFiltersOf(parts.rest, options.now ?? Date.now());
  const rest = times.rest;
  const mentions = withoutPropertyValues(rest, mentionsOf(rest, terms), vocabulary);
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

  const phrases = propertyPhrasesOf(rest, mentions, labels, values, vocabulary);
  const taken = new Set(phrases.filters.flatMap((f) => (f.valueAt === undefined ? [] : [f.valueAt])));
  const filters: Filter[] = phrases.filters.map((f) => {
    reasons.push(`${f.negate ? "not " : ""}${f.label}.${f.property} ${f.op} “${f.value}”`);
    return { var: varOf(f.label), property: f.property, op: f.op, value: f.value, negate: f.negate };
  });
  for (const v of values) {
    if (taken.has(v.at)) continue;
    const typed = LABEL_FOR_KIND[v.kind];
    const owner = typed?.label ?? untypedOwner(v, mentions, labels, values, rest, vocabulary, terms);
    const property = typed?.property ?? displayProperty(vocabulary, owner);
    const op = typed ? "eq" : (opBefore(parts.rest.slice(0, v.at)) ?? "contains");
    reasons.push(`${v.negate ? "not " : ""}${owner}.${property} ${op} “${v.value}”`);
    filters.push({ var: varOf(owner), property, op, value: v.value, negate: v.negate });
  }
  for (const t of times.filters) {
    reasons.push(`${labels[0]}.${t.property} ${t.op} ${t.value} (“${t.phrase}”)`);
    filters.push({ var: "n0", property: t.property, op: t.op, value: t.value, negate: false });
  }

  const ir: QueryIrInput = { nodes, edges, filters, returns: [] };
  const intent = shapeResult(ir, intentOf(rest), {
    mentions,
    vocabulary,
    returns: phrases.returns,
    hints,
    reasons,
    display: (label) => displayProperty(vocabulary, label),
  });
  confidence -= intent.penalty;
  if (!times.filters.length && /\b(recent(ly)?|lately|latest|newest|new)\b/.test(rest)) {
    confidence -= 0.2;
    reasons.push("“recent” without a time range: no time filter applied");
    hints.push("Add a time range, e.g. “seen in the last 30 days” or “since 2025-01-01”.");
  } else if (!filters.length && intent.verb === "List")
    hints.push("Add a time range or a value to narrow it, e.g. “seen in the last 30 days”.");
  if (!mentions.length) {
    // A question that names no kind of thing is a guess: below the default threshold, so RUN waits for a confirmation.
    confidence -= 0.35;
    reasons.push(`no kind of thing named: took ${labels[0]} from the value`);
  }
  const summary = `${intent.verb} ${labels.join(" → ")}${reasons.length ? ` (${reasons.join("; ")})` : ""}`;
  return { ok: true, interpretation: { ir, summary, confidence: Math.max(0, Math.round(confidence * 100) / 100), reasons, hints } };
}
