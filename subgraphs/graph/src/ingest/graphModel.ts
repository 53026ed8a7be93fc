/**
 * The graph model an ingest writes into: the built-in types the GraphQL API
 * serves (always approved) and what a mapping must give them. Anything else a
 * mapping names is a new type that a tenant admin has to approve first.
 */
import type { MappingSpec } from "./mappingSpec.ts";

/** Built-in entity types and the properties the API declares non-null. */
export const BUILT_IN_ENTITIES: Readonly<Record<string, readonly string[]>> = {
  Person: ["name"],
  Organization: ["name"],
  Domain: ["name"],
  IPAddress: ["address"],
  Indicator: ["pattern", "kind"],
  Incident: ["title"],
  ThreatActor: ["name"],
  IntrusionSet: ["name"],
  Campaign: ["name"],
  Malware: ["name"],
  Tool: ["name"],
  AttackPattern: ["name"],
  Vulnerability: ["name"],
  ThreatReport: ["name"],
};

const STIX_ACTORS = ["ThreatActor", "IntrusionSet", "Campaign", "Malware"];
/** The STIX 2.1 domain objects of the model (ThreatReport aside: it only refers to others). */
export const STIX_DOMAIN_OBJECTS = [
  "ThreatActor",
  "IntrusionSet",
  "Campaign",
  "Malware",
  "Tool",
  "AttackPattern",
  "Vulnerability",
] as const;
const INTEL_OBJECTS = ["Person", "Organization", "Domain", "IPAddress", "Indicator", "Incident", ...STIX_DOMAIN_OBJECTS];

/** Built-in relationships as `From-TYPE->To`, the shape the GraphQL API can traverse. */
export const BUILT_IN_RELATIONSHIPS = new Set([
  "Person-MEMBER_OF->Organization",
  "Organization-OWNS->Domain",
  "Domain-RESOLVES_TO->IPAddress",
  "Indicator-INDICATES->Domain",
  "Indicator-INDICATES->IPAddress",
  "Indicator-OBSERVED_IN->Incident",
  "Incident-AFFECTS->Organization",
  // STIX 2.1 (the typed fields in typeDefs.ts; neighbourhood and STIX export see every one).
  ...STIX_ACTORS.flatMap((from) =>
    ["Tool", "AttackPattern", ...(from === "Malware" ? [] : ["Malware"])].map((to) => `${from}-USES->${to}`),
  ),
  ...["ThreatActor", "IntrusionSet", "Campaign", "Malware", "Tool", "AttackPattern"].flatMap((from) =>
    ["Organization", "Vulnerability"].map((to) => `${from}-TARGETS->${to}`),
  ),
  "IntrusionSet-ATTRIBUTED_TO->ThreatActor",
  "Campaign-ATTRIBUTED_TO->ThreatActor",
  "Campaign-ATTRIBUTED_TO->IntrusionSet",
  "Malware-EXPLOITS->Vulnerability",
  "Malware-VARIANT_OF->Malware",
  ...STIX_DOMAIN_OBJECTS.map((to) => `Indicator-INDICATES->${to}`),
  ...INTEL_OBJECTS.map((to) => `ThreatReport-REFERS_TO->${to}`),
  // STIX related-to, between the STIX domain objects and indicators in either direction.
  ...["Indicator", ...STIX_DOMAIN_OBJECTS].flatMap((from) =>
    ["Indicator", ...STIX_DOMAIN_OBJECTS].map((to) => `${from}-RELATED_TO->${to}`),
  ),
]);

export const relationshipSignature = (from: string, type: string, to: string) => `${from}-${type}->${to}`;

export interface SchemaTypeRef {
  kind: "ENTITY" | "RELATIONSHIP";
  /** `Advisory`, or `Indicator-EXPLOITS->Advisory` for a relationship. */
  name: string;
}

export interface ModelCheck {
  /** Types the mapping introduces beyond the built-in model. */
  newTypes: SchemaTypeRef[];
  /** Mistakes no approval can fix, e.g. a Person mapping without a name. */
  problems: Array<{ path: string; message: string }>;
}

export function checkAgainstModel(spec: MappingSpec): ModelCheck {
  const newTypes: SchemaTypeRef[] = [];
  const problems: ModelCheck["problems"] = [];
  const typeOf = new Map(spec.entities.map((e) => [e.as, e.type]));
  spec.entities.forEach((entity, i) => {
    const required = BUILT_IN_ENTITIES[entity.type];
    if (!required) {
      if (!newTypes.some((t) => t.name === entity.type)) newTypes.push({ kind: "ENTITY", name: entity.type });
      return;
    }
    for (const property of required)
      if (!(property in entity.properties))
        problems.push({ path: `entities.${i}.properties`, message: `${entity.type} needs a ${property} property` });
  });
  for (const rel of spec.relationships) {
    const name = relationshipSignature(typeOf.get(rel.from)!, rel.type, typeOf.get(rel.to)!);
    if (!BUILT_IN_RELATIONSHIPS.has(name) && !newTypes.some((t) => t.name === name)) newTypes.push({ kind: "RELATIONSHIP", name });
  }
  return { newTypes, problems };
}
