/**
 * The words a question may use for the vocabulary's labels and relationship
 * types. Each term is derived from the schema name itself (`IPAddress` → "ip
 * address", "ip addresses"; `MEMBER_OF` → "member of"), plus a small lexicon of
 * synonyms analysts use; a label or type the schema drops loses its words too.
 */
import type { GraphVocabulary, RelationshipType } from "./graphVocabulary.ts";

/** Synonyms beyond what the schema name spells, keyed by the schema name. */
const LABEL_SYNONYMS: Record<string, string[]> = {
  Person: ["people", "individual", "individuals", "user", "users", "employee", "employees", "staff", "member", "members"],
  Organization: ["organisation", "organisations", "company", "companies", "org", "orgs", "employer", "employers"],
  IPAddress: ["ip", "ips"],
  Indicator: ["ioc", "iocs"],
};

const RELATIONSHIP_SYNONYMS: Record<string, string[]> = {
  MEMBER_OF: [
    "members of",
    "member of",
    "members",
    "works for",
    "work for",
    "working for",
    "works at",
    "work at",
    "working at",
    "belongs to",
    "belong to",
    "employed by",
    "employ",
    "employs",
    "employees",
    "staff",
  ],
  OWNS: ["owned by", "own", "owns", "owner of"],
  RESOLVES_TO: ["resolve to", "resolves to", "resolving to", "points to", "point to", "pointing to"],
  INDICATES: ["indicate", "indicated", "indicating"],
  OBSERVED_IN: ["seen in", "observed during", "observed", "seen"],
  AFFECTS: ["affected", "affect", "affecting", "hit", "hits", "targeted", "targets", "targeting"],
};

/** A schema name in words: `IPAddress` → "ip address", `MEMBER_OF` → "member of". */
export const words = (name: string) =>
  name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();

const plural = (term: string) => (/(s|x|ss)$/.test(term) ? `${term}es` : /[^aeiou]y$/.test(term) ? `${term.slice(0, -1)}ies` : `${term}s`);

export interface AskTerms {
  /** Phrase → label, longest phrases first; `plural` for "people", "domains". */
  labels: Array<{ phrase: string; label: string; plural: boolean }>;
  /** Phrase → relationship type, longest phrases first. */
  relationships: Array<{ phrase: string; type: string }>;
}

/** The phrases of every label and relationship type of `vocabulary`. */
export function createAskTerms(vocabulary: GraphVocabulary): AskTerms {
  const labels = [...vocabulary.labels.keys()].flatMap((label) => {
    const base = words(label);
    return [base, plural(base), ...(LABEL_SYNONYMS[label] ?? [])].map((phrase) => ({
      phrase,
      label,
      plural: phrase !== base && (phrase.endsWith("s") || phrase === "people" || phrase === "staff"),
    }));
  });
  const types = [...new Set(vocabulary.relationships.map((r: RelationshipType) => r.type))];
  const relationships = types.flatMap((type) => [words(type), ...(RELATIONSHIP_SYNONYMS[type] ?? [])].map((phrase) => ({ phrase, type })));
  const longestFirst = (a: { phrase: string }, b: { phrase: string }) => b.phrase.length - a.phrase.length;
  return { labels: labels.sort(longestFirst), relationships: relationships.sort(longestFirst) };
}
