/**
 * The STIX 2.1 subset we ingest, as a built-in mapping: indicators,
 * observables (domain-name, ipv4-addr, ipv6-addr), identities, incidents and
 * the relationships between them. Relationships point at other objects by
 * STIX id, possibly further down the bundle, so they are resolved once every
 * object has been read (`resolve`); the id index holds only ids and types.
 */
import { mappingSpecSchema, type MappingSpec } from "./mappingSpec.ts";
import { mapRecord, RecordError, type MapContext, type MappedEdge, type MappedRecord, recordHash } from "./mapRecord.ts";

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

/** `<source kind> <relationship_type> <target kind>` → graph relationship type. */
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

export const STIX_SUPPORTED_OBJECTS = [...Object.keys(OBJECT_SPECS).map((k) => k.split(":")[0]!), "relationship"].filter(
  (v, i, all) => all.indexOf(v) === i,
);

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
      if (type === "relationship") return { kind: "deferred", relationship: { index: position, raw, value: object } };
      const kind = objectKind(object);
      const objectSpec = OBJECT_SPECS[kind];
      if (!objectSpec) return { kind: "skipped", reason: `STIX ${type} objects are outside the supported subset` };
      const mapped = mapRecord(objectSpec, object, raw, ctx);
      const entity = mapped.entities[0]!;
      entity.props["stixId"] = id;
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

    /** A relationship as an edge between objects read earlier, or RecordError. */
    resolve(pending: PendingRelationship): MappedRecord {
      const { value } = pending;
      const source = index.get(String(value["source_ref"] ?? ""));
      const target = index.get(String(value["target_ref"] ?? ""));
      if (!source || !target) {
        const missing = !source ? value["source_ref"] : value["target_ref"];
        throw new RecordError("UNKNOWN_REFERENCE", `${JSON.stringify(missing)} is not an object of the bundle (or it was dead-lettered)`);
      }
      const relation = `${source.kind} ${String(value["relationship_type"])} ${target.kind}`;
      const type = RELATIONSHIPS[relation];
      if (!type) throw new RecordError("UNSUPPORTED", `the relationship "${relation}" is outside the supported STIX subset`);
      const raw = value["confidence"];
      const confidence = typeof raw === "number" && raw >= 0 && raw <= 100 ? raw / 100 : 1;
      const edge: MappedEdge = { type, fromType: source.type, fromId: source.id, toType: target.type, toId: target.id, confidence };
      return { recordHash: recordHash(pending.raw), entities: [], edges: [edge] };
    },
  };
}

export type StixMapper = ReturnType<typeof createStixMapper>;
