/** The entity types the console searches and shows, and how a search text becomes their filters. */
import type { SearchEntitiesQuery, SearchEntitiesQueryVariables, TlpMarking } from "../api/generated/graphql.ts";

export type EntityKind =
  | "Person"
  | "Organization"
  | "Domain"
  | "IPAddress"
  | "Indicator"
  | "Incident"
  | "ThreatActor"
  | "IntrusionSet"
  | "Campaign"
  | "Malware"
  | "Tool"
  | "AttackPattern"
  | "Vulnerability";

export interface EntityHit {
  id: string;
  kind: EntityKind;
  label: string;
  detail: string | null;
  marking: TlpMarking;
  score: number | null;
}

/** One colour per kind (graph and badges), chosen to be told apart without relying on hue alone (labels are always shown). */
export const KIND_COLOURS: Record<string, string> = {
  Person: "#2563eb",
  Organization: "#7c3aed",
  Domain: "#0891b2",
  IPAddress: "#0d9488",
  Indicator: "#dc2626",
  Incident: "#d97706",
  ThreatActor: "#9f1239",
  IntrusionSet: "#be185d",
  Campaign: "#a21caf",
  Malware: "#b91c1c",
  Tool: "#4d7c0f",
  AttackPattern: "#c2410c",
  Vulnerability: "#7e22ce",
};

/**
 * Spellings to try: Neo4j's CONTAINS is case-sensitive and the API has no
 * case-insensitive filter, so search the text as typed, lower, upper and title case.
 */
export function caseVariants(text: string): string[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const title = trimmed.toLowerCase().replace(/(^|[\s.@-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
  return [...new Set([trimmed, trimmed.toLowerCase(), trimmed.toUpperCase(), title])];
}

const anyOf = (fields: string[], variants: string[]) => ({
  OR: fields.flatMap((field) => variants.map((v) => ({ [field]: { contains: v } }))),
});

export function searchVariables(text: string, limit = 10): SearchEntitiesQueryVariables {
  const v = caseVariants(text);
  return {
    people: anyOf(["name", "email"], v),
    organizations: anyOf(["name"], v),
    domains: anyOf(["name"], v),
    ipAddresses: anyOf(["address"], v),
    indicators: anyOf(["pattern", "description"], v),
    incidents: anyOf(["title"], v),
    threatActors: anyOf(["name"], v),
    intrusionSets: anyOf(["name"], v),
    campaigns: anyOf(["name"], v),
    malwares: anyOf(["name"], v),
    tools: anyOf(["name"], v),
    attackPatterns: anyOf(["name", "attackId"], v),
    vulnerabilities: anyOf(["name", "cveId"], v),
    limit,
  };
}

/** The search result as one list, people first (the order of the API's types), then the STIX domain objects. */
export function hitsOf(data: SearchEntitiesQuery): EntityHit[] {
  const intel = (e: { id: string; marking: TlpMarking; score: number | null }) => ({ id: e.id, marking: e.marking, score: e.score });
  return [
    ...data.people.map((p) => ({ ...intel(p), kind: "Person" as const, label: p.name, detail: p.email })),
    ...data.organizations.map((o) => ({ ...intel(o), kind: "Organization" as const, label: o.name, detail: o.sector })),
    ...data.domains.map((d) => ({ ...intel(d), kind: "Domain" as const, label: d.name, detail: null })),
    ...data.ipAddresses.map((a) => ({ ...intel(a), kind: "IPAddress" as const, label: a.address, detail: null })),
    ...data.indicators.map((i) => ({ ...intel(i), kind: "Indicator" as const, label: i.pattern, detail: i.kind })),
    ...data.incidents.map((i) => ({ ...intel(i), kind: "Incident" as const, label: i.title, detail: i.severity })),
    ...data.threatActors.map((t) => ({ ...intel(t), kind: "ThreatActor" as const, label: t.name, detail: null })),
    ...data.intrusionSets.map((t) => ({ ...intel(t), kind: "IntrusionSet" as const, label: t.name, detail: null })),
    ...data.campaigns.map((t) => ({ ...intel(t), kind: "Campaign" as const, label: t.name, detail: null })),
    ...data.malwares.map((t) => ({ ...intel(t), kind: "Malware" as const, label: t.name, detail: null })),
    ...data.tools.map((t) => ({ ...intel(t), kind: "Tool" as const, label: t.name, detail: null })),
    ...data.attackPatterns.map((t) => ({ ...intel(t), kind: "AttackPattern" as const, label: t.name, detail: t.attackId })),
    ...data.vulnerabilities.map((t) => ({ ...intel(t), kind: "Vulnerability" as const, label: t.name, detail: t.cveId })),
  ];
}
