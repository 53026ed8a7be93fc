/**
 * Validate and map one record: fields → typed, normalised entities with
 * deterministic ids (the same real thing in the same tenant always gets the
 * same id, which is what makes ingest idempotent and entity resolution a MERGE)
 * and the relationships between them. Pure: no database here.
 */
import { createHash } from "node:crypto";
import neo4j from "neo4j-driver";
import type { TlpMarking } from "@intelgraph/kit";
import { parseMarking } from "../stix/stixMarkings.ts";
import { type EntityMapping, type MappingSpec, propertyRule } from "./mappingSpec.ts";
import { ipVersion, normalize, NormalizeError } from "./normalize.ts";

export type DeadLetterCode =
  "PARSE_ERROR" | "MISSING_FIELD" | "INVALID_VALUE" | "UNKNOWN_REFERENCE" | "UNSUPPORTED" | "WRITE_FAILED" | "LEGAL_HOLD";

export class RecordError extends Error {
  constructor(
    readonly code: DeadLetterCode,
    message: string,
  ) {
    super(message);
  }
}

/** What a property can hold: a scalar, a list of text (STIX aliases, types, references) or a date-time. */
export type PropertyValue = string | number | boolean | string[] | ReturnType<typeof neo4j.int> | InstanceType<typeof neo4j.types.DateTime>;

export interface MappedEntity {
  alias: string;
  type: string;
  id: string;
  /** `email=ann@example.com`: the normalised key the id is derived from. */
  erKey: string;
  /** The key as the record spelt it (text-trimmed only): a merge is recorded per spelling. */
  rawKey: string;
  /** Normalisation rules that changed this record's key on the way to `erKey`. */
  keyRules: string[];
  props: Record<string, PropertyValue>;
}

export interface MappedEdge {
  type: string;
  fromType: string;
  fromId: string;
  toType: string;
  toId: string;
  confidence: number;
  /** The link's TLP marking (a STIX relationship's, or the mapping's); the write context's default when absent. */
  marking?: TlpMarking;
}

export interface MappedRecord {
  recordHash: string;
  entities: MappedEntity[];
  edges: MappedEdge[];
  /** STIX sightings counted into an indicator's `sightings`, once per sighting id (graphWriter.ts). */
  sightings?: SightingCount[];
}

export interface SightingCount {
  indicatorId: string;
  /** The STIX sighting's id: a re-import replaces its count instead of adding it again. */
  sightingId: string;
  count: number;
}

/** Undone merges: `type|erKey|rawKey` → the entity that spelling was split into. */
export type SplitRules = ReadonlyMap<string, string>;
export const splitRuleKey = (type: string, erKey: string, rawKey: string) => `${type}|${erKey}|${rawKey}`;

/** A UUID-shaped id from a hash: stable across runs and processes, distinct per tenant. */
export function entityId(tenantId: string, type: string, erKey: string): string {
  const hex = createHash("sha256").update(`${tenantId}\u0000${type}\u0000${erKey}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const recordHash = (raw: string) => createHash("sha256").update(raw).digest("hex").slice(0, 32);

/** `a.b.c` into nested objects; a flat key containing dots (a CSV column) wins. */
export function fieldValue(record: Record<string, unknown>, path: string): unknown {
  if (path in record) return record[path];
  let current: unknown = record;
  for (const part of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const isEmpty = (value: unknown) => value === undefined || value === null || (typeof value === "string" && value.trim() === "");

function coerce(value: unknown, type: "string" | "number" | "boolean", field: string): string | number | boolean {
  if (type === "number") {
    const n = typeof value === "number" ? value : Number(String(value).trim());
    if (!Number.isFinite(n)) throw new RecordError("INVALID_VALUE", `${field} must be a number, got ${JSON.stringify(value)}`);
    return n;
  }
  if (type === "boolean") {
    if (typeof value === "boolean") return value;
    const text = String(value).trim().toLowerCase();
    if (["true", "yes", "1"].includes(text)) return true;
    if (["false", "no", "0"].includes(text)) return false;
    throw new RecordError("INVALID_VALUE", `${field} must be true or false, got ${JSON.stringify(value)}`);
  }
  if (typeof value === "object") throw new RecordError("INVALID_VALUE", `${field} must be text, got an object`);
  return String(value);
}

export interface MapContext {
  tenantId: string;
  splits?: SplitRules;
}

/** The entity's marking: its own (a constant or a field), else the mapping's; undefined leaves it to the write context's default. */
function entityMarking(entity: EntityMapping, record: Record<string, unknown>, fallback: TlpMarking | undefined): TlpMarking | undefined {
  if (entity.marking === undefined) return fallback;
  if (typeof entity.marking === "string") return entity.marking;
  const value = fieldValue(record, entity.marking.from);
  if (isEmpty(value)) return fallback;
  const marking = typeof value === "string" ? parseMarking(value) : undefined;
  if (!marking)
    throw new RecordError(
      "INVALID_VALUE",
      `${entity.type} marking: ${entity.marking.from} must be a TLP marking (CLEAR, GREEN, AMBER, AMBER+STRICT, RED), got ${JSON.stringify(value)}`,
    );
  return marking;
}

function mapEntity(entity: EntityMapping, record: Record<string, unknown>, ctx: MapContext, fallback?: TlpMarking): MappedEntity | null {
  const keyParts: string[] = [];
  const rawParts: string[] = [];
  const keyRules: string[] = [];
  const props: Record<string, PropertyValue> = {};
  if (entity.optional && entity.key.every((k) => isEmpty(fieldValue(record, propertyRule(entity, k).from)))) return null;
  for (const name of Object.keys(entity.properties)) {
    const rule = propertyRule(entity, name);
    const value = fieldValue(record, rule.from);
    if (isEmpty(value)) {
      if (rule.required) throw new RecordError("MISSING_FIELD", `${entity.type} ${name} is required but field "${rule.from}" is empty`);
      continue;
    }
    const typed = coerce(value, rule.type, rule.from);
    if (typeof typed !== "string") {
      props[name] = typed;
      if (entity.key.includes(name)) (keyParts.push(`${name}=${typed}`), rawParts.push(String(typed)));
      continue;
    }
    let normalized;
    try {
      normalized = normalize(rule.normalize, typed);
    } catch (error) {
      if (error instanceof NormalizeError) throw new RecordError("INVALID_VALUE", `${entity.type} ${name}: ${error.message}`);
      throw error;
    }
    props[name] = normalized.value;
    if (entity.key.includes(name)) {
      keyParts.push(`${name}=${normalized.key}`);
      rawParts.push(typed.trim());
      keyRules.push(...normalized.rules);
    }
    if (entity.type === "IPAddress" && name === "address") props["version"] = neo4j.int(ipVersion(normalized.value));
  }
  const marking = entityMarking(entity, record, fallback);
  if (marking) props["marking"] = marking;
  // Key order follows the mapping's `key` list, not property order.
  const ordered = entity.key.map((k) => keyParts.find((p) => p.startsWith(`${k}=`))!);
  const erKey = ordered.join("\u001f");
  const rawKey = rawParts.join(" | ");
  const split = ctx.splits?.get(splitRuleKey(entity.type, erKey, rawKey));
  return { alias: entity.as, type: entity.type, id: split ?? entityId(ctx.tenantId, entity.type, erKey), erKey, rawKey, keyRules, props };
}

/** Maps a parsed record with a mapping spec, or throws RecordError (the record is dead-lettered whole). */
export function mapRecord(spec: MappingSpec, record: Record<string, unknown>, raw: string, ctx: MapContext): MappedRecord {
  const hash = recordHash(raw);
  const byAlias = new Map<string, MappedEntity>();
  const entities: MappedEntity[] = [];
  for (const entity of spec.entities) {
    const mapped = mapEntity(entity, record, ctx, spec.marking);
    if (!mapped) continue;
    byAlias.set(entity.as, mapped);
    entities.push(mapped);
  }
  if (!entities.length) throw new RecordError("MISSING_FIELD", "no entity could be built from this record (every key field is empty)");
  const edges: MappedEdge[] = [];
  for (const rel of spec.relationships) {
    const from = byAlias.get(rel.from);
    const to = byAlias.get(rel.to);
    if (!from || !to) continue; // an optional end is absent from this record
    let confidence = 1;
    if (typeof rel.confidence === "number") confidence = rel.confidence;
    else {
      const value = fieldValue(record, rel.confidence.from);
      if (!isEmpty(value)) {
        confidence = coerce(value, "number", rel.confidence.from) as number;
        if (confidence < 0 || confidence > 1)
          throw new RecordError("INVALID_VALUE", `${rel.confidence.from} must be a confidence between 0 and 1, got ${confidence}`);
      }
    }
    const edge: MappedEdge = { type: rel.type, fromType: from.type, fromId: from.id, toType: to.type, toId: to.id, confidence };
    if (spec.marking) edge.marking = spec.marking;
    edges.push(edge);
  }
  return { recordHash: hash, entities, edges };
}
