/**
 * The STIX 2.1 subset we ingest, as a built-in mapping: indicators,
 * observables (domain-name, ipv4-addr, ipv6-addr), identities, incidents, the
 * domain objects of threat intelligence (threat-actor, intrusion-set,
 * campaign, malware, tool, attack-pattern, vulnerability; stix/stixObjects.ts),
 * reports and the relationships between them. Relationships and reports point
 * at other objects by STIX id, possibly further down the bundle, so they are
 * resolved once every object has been read (`resolve`); the id index holds
 * only ids and types. An object's TLP marking comes from its
 * `object_marking_refs` (stix/stixMarkings.ts; the highest when several),
 * else the write context's default (GREEN); marking-definition objects are
 * markings, not entities, and are skipped.
 */
import type { TlpMarking } from "@intelgraph/kit";
import { markingFromRefs } from "../stix/stixMarkings.ts";
import { isStixDomainType, mapDomainObject, stixDateTime } from "../stix/stixObjects.ts";
import { RELATED_TO_LABELS, STIX_DOMAIN_TYPES, STIX_RELATIONSHIP_TYPES } from "../stix/stixVocabulary.ts";
import { BUILT_IN_RELATIONSHIPS, relationshipSignature } from "./graphModel.ts";
import { mappingSpecSchema, type MappingSpec } from "./mappingSpec.ts";
import {
  mapRecord,
  RecordError,
  type MapContext,
  type MappedEdge,
  type MappedRecord,
  type PropertyValue,
  recordHash,
} from "./mapRecord.ts";

const spec = (entity: unknown): MappingSpec => mappingSpecSchema.parse({ entities: [entity] });

const OBJECT_SPECS: Record<string, MappingSpec> = {
  indicator: spec({
    as: "x",
    type: "Indicator",
    key: ["pattern"],
    properties: {
      pattern: { from: "pattern", normalize: "text" },
      kind: { from: "pattern_type", required: true },
      description: "description",
    },
  }),
  "domain-name": spec({ as: "x", type: "Domain", key: ["name"], properties: { name: "value" } }),
  "ipv4-addr": spec({ as: "x", type: "IPAddress", key: ["address"], properties: { address: "value" } }),
  "ipv6-addr": spec({ as: "x", type: "IPAddress", key: ["address"], properties: { address: "value" } }),
  "identity:individual": spec({ as: "x", type: "Person", key: ["name"], properties: { name: "name" } }),
  "identity:organization": spec({ as: "x", type: "Organization", key: ["name"], properties: { name: "name", sector: "sectors.0" } }),
  incident: spec({ as: "x", type: "Incident", key: ["title"], properties: { title: "name" } }),
};

/** `<source kind> <relationship_type> <target kind>` → graph relationship type, for the observables and identities (checked first). */
const RELATIONSHIPS: Record<string, string> = {
  "indicator indicates domain-name": "INDICATES",
  "indicator indicates ipv4-addr": "INDICATES",
  "indicator indicates ipv6-addr": "INDICATES",
  "domain-name resolves-to ipv4-addr": "RESOLVES_TO",
  "domain-name resolves-to ipv6-addr": "RESOLVES_TO",
  "indicator related-to incident": "OBSERVED_IN",
  "indicator indicates incident": "OBSERVED_IN",
  "incident targets identity:organization": "AFFECTS",
  "identity:individual related-to identity:organization": "MEMBER_OF",
};

/**
 * The graph relationship a STIX relationship between two imported objects
 * becomes: the table above, else the STIX relationship type (uses, targets,
 * attributed-to, indicates, exploits, variant-of, related-to) when the graph
 * model has that shape between the two types; undefined otherwise.
 */
function relationshipType(source: IndexedObject, relationship: string, target: IndexedObject): string | undefined {
  const legacy = RELATIONSHIPS[`${source.kind} ${relationship} ${target.kind}`];
  if (legacy) return legacy;
  const type = STIX_RELATIONSHIP_TYPES[relationship];
  if (!type) return undefined;
  if (type === "RELATED_TO") return RELATED_TO_LABELS.has(source.type) && RELATED_TO_LABELS.has(target.type) ? type : undefined;
  return BUILT_IN_RELATIONSHIPS.has(relationshipSignature(source.type, type, target.type)) ? type : undefined;
}

export const STIX_SUPPORTED_OBJECTS = [
  ...Object.keys(OBJECT_SPECS).map((k) => k.split(":")[0]!),
  ...Object.keys(STIX_DOMAIN_TYPES),
  "relationship",
  "sighting",
].filter((v, i, all) => all.indexOf(v) === i);

/** Objects that point at others by id: written after every object of the bundle. */
export const isDeferredStixObject = (object: Record<string, unknown>): boolean =>
  object["type"] === "relationship" || object["type"] === "report" || object["type"] === "sighting";

/** Indicator fields beyond the pattern: types and validity window. */
function indicatorExtras(object: Record<string, unknown>): Record<string, PropertyValue> {
  const props: Record<string, PropertyValue> = {};
  const types = object["indicator_types"];
  if (Array.isArray(types) && types.every((t) => typeof t === "string") && types.length) props["indicatorTypes"] = types as string[];
  for (const [stix, prop] of [
    ["valid_from", "validFrom"],
    ["valid_until", "validUntil"],
  ] as const) {
    const value = object[stix];
    if (typeof value === "string") props[prop] = stixDateTime(value, stix);
  }
  return props;
}

/** The object's stixId and marking on the entity it became. */
function stamp(mapped: MappedRecord, object: Record<string, unknown>): TlpMarking | undefined {
  const entity = mapped.entities[0]!;
  entity.props["stixId"] = String(object["id"]);
  const marking = markingFromRefs(object["object_marking_refs"]);
  if (marking) entity.props["marking"] = marking;
  return marking;
}

interface IndexedObject {
  kind: string;
  type: string;
  id: string;
}

export interface PendingRelationship {
  index: number;
  raw: string;
  value: Record<string, unknown>;
}

export type StixOutcome =
  { kind: "entity"; mapped: MappedRecord } | { kind: "deferred"; relationship: PendingRelationship } | { kind: "skipped"; reason: string };

const objectKind = (object: Record<string, unknown>): string => {
  const type = String(object["type"] ?? "");
  if (type !== "identity") return type;
  return object["identity_class"] === "individual" ? "identity:individual" : "identity:organization";
};

export function createStixMapper(ctx: MapContext) {
  const index = new Map<string, IndexedObject>();

  return {
    /** Entities map at once; relationships wait for `resolve`; other object types are skipped. */
    map(raw: string, object: Record<string, unknown>, position: number): StixOutcome {
      const type = object["type"];
      const id = object["id"];
      if (typeof type !== "string" || typeof id !== "string" || !id.startsWith(`${type}--`))
        throw new RecordError("INVALID_VALUE", "not a STIX object: it needs a type and an id of the form <type>--<uuid>");
      if (isDeferredStixObject(object)) return { kind: "deferred", relationship: { index: position, raw, value: object } };
      if (type === "marking-definition") return { kind: "skipped", reason: "marking-definition objects are markings, not entities" };
      const kind = objectKind(object);
      const objectSpec = OBJECT_SPECS[kind];
      let mapped: MappedRecord;
      if (objectSpec) {
        mapped = mapRecord(objectSpec, object, raw, ctx);
        if (kind === "indicator") Object.assign(mapped.entities[0]!.props, indicatorExtras(object));
      } else if (isStixDomainType(type)) mapped = mapDomainObject(object, raw, ctx);
      else return { kind: "skipped", reason: `STIX ${type} objects are outside the supported subset` };
      stamp(mapped, object);
      const entity = mapped.entities[0]!;
      index.set(id, { kind, type: entity.type, id: entity.id });
      return { kind: "entity", mapped };
    },

    /** Indexes an entity object without writing it (records before a resume's checkpoint). */
    remember(raw: string, object: Record<string, unknown>, position: number): void {
      try {
        this.map(raw, object, position);
      } catch {
        // It was dead-lettered on the first pass.
      }
    },

    /** Indexes an entity already in the graph (replaying a dead-lettered relationship). */
    seed(stixId: string, type: string, id: string): void {
      const prefix = stixId.split("--")[0]!;
      const kind = prefix === "identity" ? (type === "Person" ? "identity:individual" : "identity:organization") : prefix;
      index.set(stixId, { kind, type, id });
    },

    /**
     * A report as its entity and REFERS_TO links to the objects of the bundle
     * it names (object_refs to objects we do not import, such as identities of
     * authors or notes, are left out), carrying the report's marking.
     */
    resolveReport(pending: PendingRelationship): MappedRecord {
      const mapped = mapDomainObject(pending.value, pending.raw, ctx);
      const marking = stamp(mapped, pending.value);
      const report = mapped.entities[0]!;
      const refs = Array.isArray(pending.value["object_refs"]) ? (pending.value["object_refs"] as unknown[]) : [];
      const seen = new Set<string>();
      for (const ref of refs) {
        const target = typeof ref === "string" ? index.get(ref) : undefined;
        if (!target || seen.has(target.id) || !BUILT_IN_RELATIONSHIPS.has(relationshipSignature(report.type, "REFERS_TO", target.type)))
          continue;
        seen.add(target.id);
        const edge: MappedEdge = {
          type: "REFERS_TO",
          fromType: report.type,
          fromId: report.id,
          toType: target.type,
          toId: target.id,
          confidence: 1,
        };
        if (marking) edge.marking = marking;
        mapped.edges.push(edge);
      }
      return mapped;
    },

    /** A sighting of an indicator as a count into its `sightings` (`count`, or 1), once per sighting id. */
    resolveSighting(pending: PendingRelationship): MappedRecord {
      const ref = pending.value["sighting_of_ref"];
      const target = typeof ref === "string" ? index.get(ref) : undefined;
      if (!target)
        throw new RecordError(
          "UNKNOWN_REFERENCE",
          `sighting_of_ref ${JSON.stringify(ref)} is not an object of the bundle (or it was dead-lettered)`,
        );
      if (target.type !== "Indicator")
        throw new RecordError("UNSUPPORTED", `sightings of ${target.kind} objects are not counted (only of indicators)`);
      const raw = pending.value["count"] ?? 1;
      if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 0 || raw > 999_999_999)
        throw new RecordError("INVALID_VALUE", `count must be a whole number from 0 to 999999999, got ${JSON.stringify(raw)}`);
      const sighting = { indicatorId: target.id, sightingId: String(pending.value["id"]), count: raw };
      return { recordHash: recordHash(pending.raw), entities: [], edges: [], sightings: [sighting] };
    },

    /** A relationship as an edge between objects read earlier (or a report with its links, or a sighting), or RecordError. */
    resolve(pending: PendingRelationship): MappedRecord {
      const { value } = pending;
      if (value["type"] === "report") return this.resolveReport(pending);
      if (value["type"] === "sighting") return this.resolveSighting(pending);
      const source = index.get(String(value["source_ref"] ?? ""));
      const target = index.get(String(value["target_ref"] ?? ""));
      if (!source || !target) {
        const missing = !source ? value["source_ref"] : value["target_ref"];
        throw new RecordError("UNKNOWN_REFERENCE", `${JSON.stringify(missing)} is not an object of the bundle (or it was dead-lettered)`);
      }
      const relation = `${source.kind} ${String(value["relationship_type"])} ${target.kind}`;
      const type = relationshipType(source, String(value["relationship_type"]), target);
      if (!type) throw new RecordError("UNSUPPORTED", `the relationship "${relation}" is outside the supported STIX subset`);
      const raw = value["confidence"];
      const confidence = typeof raw === "number" && raw >= 0 && raw <= 100 ? raw / 100 : 1;
      const edge: MappedEdge = { type, fromType: source.type, fromId: source.id, toType: target.type, toId: target.id, confidence };
      const marking = markingFromRefs(value["object_marking_refs"]);
      if (marking) edge.marking = marking;
      return { recordHash: recordHash(pending.raw), entities: [], edges: [edge] };
    },
  };
}

export type StixMapper = ReturnType<typeof createStixMapper>;
