/**
 * Which kinds of thing a question is about, in the order it names them, and
 * which of them each named value belongs to. Kinds come from the mentions,
 * from typed values (an e-mail is a person's), and from a link phrase that
 * names a kind's far side ("people who work for …" → Organization; "who works
 * at Acme Corp" → Person and Organization).
 */
import type { AskTerms } from "./askTerms.ts";
import type { GraphVocabulary } from "./graphVocabulary.ts";
import { relationshipPhraseIn, type Mention, type QuestionValue } from "./questionParts.ts";

export const LABEL_FOR_KIND: Partial<Record<QuestionValue["kind"], { label: string; property: string }>> = {
  email: { label: "Person", property: "email" },
  ip: { label: "IPAddress", property: "address" },
  domain: { label: "Domain", property: "name" },
};

/** The link phrases of `terms` restricted to relationship types between `a` and `b` (either may be undefined: any). */
const phrasesBetween = (terms: AskTerms, vocabulary: GraphVocabulary, a?: string, b?: string): AskTerms => ({
  labels: [],
  relationships: terms.relationships.filter((t) =>
    vocabulary.relationships.some(
      (r) => r.type === t.type && (a === undefined || r.from === a || r.to === a) && (b === undefined || r.from === b || r.to === b),
    ),
  ),
});

/** Where the first link phrase of `terms` stands in `text`, or -1. */
const phraseAt = (text: string, terms: AskTerms) =>
  Math.min(
    ...terms.relationships.map(({ phrase }) => text.search(new RegExp(`\\b${phrase.replace(/ /g, "\\s+")}\\b`))).filter((i) => i >= 0),
    Infinity,
  );

export function subjectsOf(
  mentions: Mention[],
  values: QuestionValue[],
  rest: string,
  vocabulary: GraphVocabulary,
  terms: AskTerms,
): string[] {
  const labels = mentions.map((m) => m.label);
  for (const v of values) {
    const typed = LABEL_FOR_KIND[v.kind];
    if (typed && !labels.includes(typed.label)) labels.push(typed.label);
  }
  const distinct = [...new Set(labels)];
  if (distinct.length === 0 && values.length) {
    // "who works at Acme Corp": no kind named, but a link is; its two ends, the value on the side the phrase points to.
    const type = relationshipPhraseIn(rest, terms);
    const r = vocabulary.relationships.find((x) => x.type === type);
    return r ? [r.from, r.to] : [];
  }
  const last = distinct[distinct.length - 1];
  if (last && distinct.length < 4) {
    // A link phrase after the last kind named leads on to a kind not named: "… incidents affecting “Acme”" → Organization.
    const lastMention = mentions.filter((m) => m.label === last).pop();
    const after = distinct.length === 1 || !lastMention ? rest : rest.slice(lastMention.end);
    const onward = phrasesBetween(terms, vocabulary, last);
    onward.relationships = onward.relationships.filter((t) =>
      vocabulary.relationships.some((r) => r.type === t.type && !distinct.includes(r.from === last ? r.to : r.from)),
    );
    const named = relationshipPhraseIn(after, onward);
    const far = vocabulary.relationships.filter((r) => r.type === named && (r.from === last || r.to === last));
    const other = far.length === 1 ? (far[0]!.from === last ? far[0]!.to : far[0]!.from) : undefined;
    if (other && !distinct.includes(other)) {
      // "what does payroll-update.example.org point to": only a value names the kind, and the link follows it: the far side is asked for.
      const value = values[0];
      const asksFarSide = !mentions.length && value && phraseAt(rest, phrasesBetween(terms, vocabulary, last, other)) > value.at;
      distinct.splice(asksFarSide ? 0 : distinct.length, 0, other);
    }
  }
  return distinct.slice(0, 4);
}

/**
 * Which kind a quoted or named value belongs to: the nearest mention before
 * it; or, across a link phrase ("people who work for “Acme”", "employees of
 * …") or after an auxiliary with the link following ("which organisations
 * does Priya Raman work for"), the next kind along the path. A value right
 * after "named"/"called" always names the mention before it.
 */
export function untypedOwner(
  v: QuestionValue,
  mentions: Mention[],
  labels: string[],
  values: QuestionValue[],
  rest: string,
  vocabulary: GraphVocabulary,
  terms: AskTerms,
): string {
  const before = [...mentions].reverse().find((m) => m.at < v.at);
  if (!before) return labels[labels.length - 1]!;
  const between = rest.slice(before.end, v.at);
  const next = labels[labels.indexOf(before.label) + 1];
  if (!next || /\b(named|called)\s*$/.test(between)) return before.label;
  const link = phrasesBetween(terms, vocabulary, before.label, next);
  const valueBetween = values.some((o) => o !== v && o.at > before.end && o.at < v.at);
  if (!valueBetween && relationshipPhraseIn(rest.slice(before.at, v.at), link)) return next;
  if (/\b(does|do|did|is|was|are|were)\s*$/.test(between) && relationshipPhraseIn(rest.slice(v.at), link)) return next;
  return before.label;
}
