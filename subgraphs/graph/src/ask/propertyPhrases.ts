/**
 * Properties a question names: as a filter ("incidents with severity high",
 * "whose status is not open", "in the retail sector", "of kind url", "whose
 * name starts with “S”", "do not have status open") or as what to return
 * ("emails of people …", "the sector of …"). Property words come from the
 * vocabulary (each property's name in words and its plural) plus a few
 * synonyms; the owner is the nearest kind of thing before the word that has
 * the property, else the first of the question's kinds that has it.
 */
import { words } from "./askTerms.ts";
import type { GraphVocabulary } from "./graphVocabulary.ts";
import type { Mention, QuestionValue } from "./questionParts.ts";

export type FilterOp = "eq" | "contains" | "startsWith" | "endsWith";

export interface PropertyFilter {
  label: string;
  property: string;
  op: FilterOp;
  value: string | number;
  negate: boolean;
  /** The quoted or named value it took, if any (not linked again as a name). */
  valueAt?: number;
}

export interface PropertyReturn {
  label: string;
  property: string;
}

const PROPERTY_SYNONYMS: Record<string, string[]> = {
  email: ["e-mail", "e-mails", "mail address", "email address"],
  kind: ["type", "types"],
  status: ["statuses", "state"],
  severity: ["severities"],
  sector: ["industry", "industries"],
};
/** Never named by a question as a filter or a return: ids, provenance and times (see timeFilters.ts). */
const UNNAMED = new Set(["id", "source", "sources", "createdAt", "updatedAt", "firstSeen", "lastSeen"]);
const STOP = new Set([
  "and",
  "or",
  "the",
  "a",
  "an",
  "of",
  "in",
  "is",
  "are",
  "with",
  "that",
  "which",
  "who",
  "for",
  "to",
  "by",
  "not",
  "at",
]);

const NEGATED_BEFORE = /\b(?:not|without|no|except|excluding|other than)\b(?:\s+\w+){0,3}\s*$/;
/** Between a property word and its value: "is", "is not", "other than", "starting with", "ends in", "containing"… */
const GAP = String.raw`^\s*(?:(?:is|was|are|were|=|equals?|of|at|as|has|have)\s+)*(not\s+|other\s+than\s+)?(?:(?:is|=|equals?|of|at|as)\s+)*(?:((?:starts?|starting|begins?|beginning)\s+with\b)|((?:ends?|ending)\s+(?:with|in)\b)|(contains?|containing|includes?|including|mentions?|mentioning|like)\b)?\s*`;
const GAP_TO_VALUE = new RegExp(`${GAP}$`);
const GAP_TO_WORD = new RegExp(`${GAP}([a-z0-9][\\w.:@+-]*)`);

const opOf = (m: RegExpExecArray): FilterOp | undefined => (m[2] ? "startsWith" : m[3] ? "endsWith" : m[4] ? "contains" : undefined);

/** How a value is compared when the words just before it say so ("starting with", "ends in", "containing"). */
export function opBefore(text: string): FilterOp | undefined {
  const tail = text.trimEnd();
  if (/(?:starts?|starting|begins?|beginning)\s+with$/.test(tail)) return "startsWith";
  if (/(?:ends?|ending)\s+(?:with|in)$/.test(tail)) return "endsWith";
  if (/(?:contains?|containing|includes?|including|mentions?|mentioning|like)$/.test(tail)) return "contains";
  return undefined;
}

function propertyWords(vocabulary: GraphVocabulary, labels: string[]) {
  const out: Array<{ phrase: string; property: string }> = [];
  for (const label of labels)
    for (const property of vocabulary.labels.get(label) ?? []) {
      if (UNNAMED.has(property) || out.some((w) => w.property === property)) continue;
      const base = words(property);
      for (const phrase of [base, `${base}s`, `${base}es`, ...(PROPERTY_SYNONYMS[property] ?? [])]) out.push({ phrase, property });
    }
  return out.sort((a, b) => b.phrase.length - a.phrase.length);
}

/**
 * The mentions that are a property's value, not a kind of thing the question
 * is about: "indicators of kind domain" names indicators only.
 */
export function withoutPropertyValues(text: string, mentions: Mention[], vocabulary: GraphVocabulary): Mention[] {
  const phrases = propertyWords(vocabulary, [...vocabulary.labels.keys()]).map((w) => w.phrase.replace(/ /g, "\\s+"));
  const valueAfter = new RegExp(`\\b(?:${phrases.join("|")})\\s+(?:(?:is|=|not|other\\s+than)\\s+)*$`);
  return mentions.filter((m) => !valueAfter.test(text.slice(0, m.at)));
}

/** The property filters and returns in `text` (lower case, values blanked), for a question about `labels`. */
export function propertyPhrasesOf(
  text: string,
  mentions: Mention[],
  labels: string[],
  values: QuestionValue[],
  vocabulary: GraphVocabulary,
): { filters: PropertyFilter[]; returns: PropertyReturn[] } {
  const filters: PropertyFilter[] = [];
  const returns: PropertyReturn[] = [];
  const taken: Array<[number, number]> = mentions.map((m) => [m.at, m.end]);
  for (const { phrase, property } of propertyWords(vocabulary, labels))
    for (const m of text.matchAll(new RegExp(`\\b${phrase.replace(/ /g, "\\s+")}\\b`, "g"))) {
      const at = m.index;
      const end = at + m[0].length;
      if (taken.some(([a, b]) => at < b && a < end)) continue;
      taken.push([at, end]);
      const owners = labels.filter((l) => vocabulary.labels.get(l)?.has(property));
      const near = [...mentions].reverse().find((x) => x.at < at && owners.includes(x.label));
      const after = text.slice(end);
      // "emails of people …": what to return, of the kind named right after.
      const of = /^\s+of\s+(?:the\s+|all\s+|every\s+)?/.exec(after);
      const ofMention = of && mentions.find((x) => x.at === end + of[0].length && owners.includes(x.label));
      if (ofMention) {
        returns.push({ label: ofMention.label, property });
        continue;
      }
      const label = near?.label ?? owners[0];
      if (!label) continue;
      const negatedBefore = NEGATED_BEFORE.test(text.slice(Math.max(0, at - 30), at));
      const next = values.find((v) => v.at >= end);
      const gap = next && GAP_TO_VALUE.exec(text.slice(end, next.at));
      if (next && gap) {
        if (next.kind === "text")
          filters.push({
            label,
            property,
            op: opOf(gap) ?? "contains",
            value: next.value,
            negate: negatedBefore || !!gap[1] || next.negate,
            valueAt: next.at,
          });
        continue;
      }
      const word = GAP_TO_WORD.exec(after);
      if (word && !STOP.has(word[5]!) && !(next && end + word[0].length > next.at)) {
        const value = /^\d+$/.test(word[5]!) ? Number(word[5]) : word[5]!;
        filters.push({ label, property, op: opOf(word) ?? "eq", value, negate: negatedBefore || !!word[1] });
        continue;
      }
      // "in the retail sector", "with critical severity": the word before the property.
      const before = /\b(?:in|of|with|from|a|an|the|have|has)\s+(?:the\s+|a\s+|an\s+)?([a-z0-9][\w-]*)\s+$/.exec(text.slice(0, at));
      if (before && !STOP.has(before[1]!))
        filters.push({ label, property, op: "eq", value: before[1]!, negate: NEGATED_BEFORE.test(text.slice(0, before.index)) });
    }
  return { filters, returns };
}
