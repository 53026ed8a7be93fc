/**
 * The pieces of a question the interpreter works from: refusals (writes, raw
 * Cypher, procedures, other tenants), the intent (count, top-N, list), the
 * label and relationship phrases it mentions in order, and the values it
 * names (quoted text, e-mail addresses, IP addresses, domains), each with
 * whether it is negated.
 */
import type { AskTerms } from "./askTerms.ts";

export type RefusalReason = "WRITE" | "RAW_CYPHER" | "PROCEDURE" | "OTHER_TENANTS";

export interface Refusal {
  reason: RefusalReason;
  message: string;
}

export type ValueKind = "text" | "email" | "ip" | "domain";

export interface QuestionValue {
  kind: ValueKind;
  value: string;
  negate: boolean;
  /** Where it stands in the question, to attach it to the nearest mention before it. */
  at: number;
}

export interface Mention {
  at: number;
  end: number;
  label: string;
  /** "people", "domains" (not "person", "domain"): "which domain has the most …" asks for one. */
  plural: boolean;
}

const REFUSALS: Array<{ reason: RefusalReason; test: RegExp; message: string }> = [
  {
    reason: "RAW_CYPHER",
    test: /\b(match|merge|create|return|detach)\b[^]*[(:)\]]|\(\s*\w*\s*:\s*\w+/i,
    message:
      "Questions are asked in plain words; Cypher is written by the compiler, never pasted. Ask e.g. “how many people work for “Acme Corp””.",
  },
  {
    reason: "PROCEDURE",
    test: /\b(call|apoc|procedures?|db\.\w+|dbms\.\w+)\b/i,
    message: "Questions cannot call procedures. Ask about people, organisations, domains, IP addresses, indicators or incidents.",
  },
  {
    reason: "OTHER_TENANTS",
    test: /\b(all|every|other|another|any)\s+tenants?\b|\btenants?\s+(b|other|else)\b|\bcross[- ]tenant\b/i,
    message: "Questions see your tenant's data only; other tenants' data is never reachable.",
  },
  {
    reason: "WRITE",
    test: /^\s*(please\s+)?(delete|remove|create|add|insert|update|change|set|rename|merge|drop|wipe|erase|link|unlink|connect)\b/i,
    message: "Questions only read the graph. Change data through ingest or the entity screens; ask e.g. “list people named “Ada””.",
  },
];

/** Why the question is refused, or undefined when it may be interpreted. */
export function refusalOf(question: string): Refusal | undefined {
  const found = REFUSALS.find((r) => r.test.test(question));
  return found && { reason: found.reason, message: found.message };
}

export type Intent =
  | { kind: "count" }
  /** "how many people per organisation": a count grouped by the kind named at `by`. */
  | { kind: "group"; by: number }
  /** `n` undefined: "which … the most …", one when asked in the singular, else 10. */
  | { kind: "top"; n: number | undefined }
  | { kind: "list" };

export function intentOf(text: string): Intent {
  const top = /\btop\s+(\d{1,3})\b/.exec(text) ?? /\bwhich\s+(\d{1,3})\b(?=.*\bmost\b)/.exec(text);
  if (top) return { kind: "top", n: Number(top[1]) };
  if (/\b(most|largest|biggest)\b/.test(text)) return { kind: "top", n: undefined };
  const counted = /\b(how many|count|number of)\b/.test(text);
  const per = /\b(?:per|(?:for|in|by|to) each|for every)\s+/.exec(text);
  if (counted && per) return { kind: "group", by: per.index + per[0].length };
  if (counted) return { kind: "count" };
  return { kind: "list" };
}

const VALUE_PATTERNS: Array<{ kind: ValueKind; re: RegExp }> = [
  { kind: "email", re: /\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g },
  { kind: "ip", re: /\b\d{1,3}(\.\d{1,3}){3}\b|\b[0-9a-f]{1,4}(:[0-9a-f]{0,4}){2,7}\b/gi },
  { kind: "domain", re: /\b[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}\b/gi },
];

/** A negation up to two words before a value: "not Ada", "not named Ada", "without the domain …". */
const NEGATION = /\b(not|without|except|other than|excluding)(\s+\w+){0,2}\s*$/i;

/**
 * The values a question names, and the text left once they are cut out (in
 * lower case, values replaced by spaces of the same length so positions hold).
 */
export function valuesOf(question: string): { values: QuestionValue[]; rest: string } {
  let rest = question;
  const values: QuestionValue[] = [];
  const take = (at: number, length: number, kind: ValueKind, value: string) => {
    values.push({ kind, value, at, negate: NEGATION.test(question.slice(0, at)) });
    rest = rest.slice(0, at) + " ".repeat(length) + rest.slice(at + length);
  };
  for (const m of question.matchAll(/["“']([^"”']{1,200})["”']/g)) take(m.index, m[0].length, "text", m[1]!.trim());
  for (const { kind, re } of VALUE_PATTERNS)
    for (const m of rest.matchAll(re)) take(m.index, m[0].length, kind, kind === "text" ? m[0] : m[0].toLowerCase());
  // "named Ada Lovelace", "called Acme": the capitalised words that follow.
  for (const m of rest.matchAll(/\b(named|called)\s+((?:[A-Z][\w&-]*\s?)+)/g))
    take(m.index + m[1]!.length + 1, m[2]!.trimEnd().length, "text", m[2]!.trim());
  // Names without quotes ("who works at Acme Corp"): runs of capitalised words ("Acme", not "IP" or "IOCs"), not the first word.
  for (const m of rest.matchAll(/(?<=\S\s+)[A-Z][a-z\u00C0-\u024F][\w\u00C0-\u024F&'’-]*(?:\s+[A-Z][\w\u00C0-\u024F&'’.-]*)*/g))
    take(m.index, m[0].length, "text", m[0]);
  return { values: values.sort((a, b) => a.at - b.at), rest: rest.toLowerCase() };
}

/** The label phrases in `text` (lower case), in order, each span taken once (longest phrase wins). */
export function mentionsOf(text: string, terms: AskTerms): Mention[] {
  const taken: Mention[] = [];
  for (const { phrase, label, plural } of terms.labels)
    for (const m of text.matchAll(new RegExp(`\\b${phrase.replace(/ /g, "\\s+")}\\b`, "g"))) {
      const span = { at: m.index, end: m.index + m[0].length, label, plural };
      if (!taken.some((t) => span.at < t.end && t.at < span.end)) taken.push(span);
    }
  return taken.sort((a, b) => a.at - b.at);
}

/** The relationship type a phrase between two mentions names, if any. */
export function relationshipPhraseIn(text: string, terms: AskTerms): string | undefined {
  return terms.relationships.find(({ phrase }) => new RegExp(`\\b${phrase.replace(/ /g, "\\s+")}\\b`).test(text))?.type;
}
