/**
 * STIX 2.1 domain objects (threat-actor, intrusion-set, campaign, malware,
 * tool, attack-pattern, vulnerability, report) into graph entities.
 *
 * Keys. A STIX object already has a global identity, its id, which stays the
 * same across versions of the object (a renamed threat actor keeps its id) and
 * across feeds that re-publish it, so these types key on it: `stixId=<id>`,
 * and the graph id is the usual hash of (tenant, type, key). Importing a bundle
 * twice merges into the same nodes, and an export (which writes each node's
 * `stixId` back) re-imports into another tenant as the same nodes. Two
 * exceptions key on an id the world assigns instead, because different feeds
 * mint different STIX ids for the same thing: an attack-pattern with a MITRE
 * ATT&CK id keys on `attackId` (T1566.001), a vulnerability with a CVE id on
 * `cveId`. Observables, indicators, identities and incidents keep their
 * natural keys (stix.ts), shared with CSV and JSON feeds (corroboration counts
 * the sources that merged into one indicator).
 */
import neo4j from "neo4j-driver";
import {
  entityId,
  recordHash,
  RecordError,
  splitRuleKey,
  type MapContext,
  type MappedRecord,
  type PropertyValue,
} from "../ingest/mapRecord.ts";
import { ATTACK_SOURCE, CVE_ID, CVE_SOURCE, STIX_DOMAIN_TYPES, type StixField } from "./stixVocabulary.ts";

const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

/** An ISO 8601 timestamp as a Neo4j DateTime in UTC, or RecordError. */
export function stixDateTime(value: string, field: string): InstanceType<typeof neo4j.types.DateTime> {
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new RecordError("INVALID_VALUE", `${field} must be an RFC 3339 timestamp, got ${JSON.stringify(value)}`);
  return new neo4j.types.DateTime(
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds() * 1_000_000,
    0,
  );
}

/** One STIX field's value as a graph property, or undefined when it is absent or empty. */
export function fieldProperty(object: Record<string, unknown>, f: StixField): PropertyValue | undefined {
  const value = object[f.stix];
  if (value === undefined || value === null) return undefined;
  switch (f.kind) {
    case "text":
      return text(value);
    case "boolean":
      if (typeof value !== "boolean") throw new RecordError("INVALID_VALUE", `${f.stix} must be true or false`);
      return value;
    case "datetime":
      return typeof value === "string" ? stixDateTime(value, f.stix) : undefined;
    case "list": {
      if (!Array.isArray(value)) throw new RecordError("INVALID_VALUE", `${f.stix} must be a list of strings`);
      const items = value.map(text).filter((v): v is string => v !== undefined);
      return items.length ? items : undefined;
    }
  }
}

interface ExternalReference {
  source_name?: unknown;
  external_id?: unknown;
}

/** `external_references` as `source:external_id` (references without an external id are dropped). */
export function externalReferences(object: Record<string, unknown>): string[] {
  const refs = Array.isArray(object["external_references"]) ? (object["external_references"] as ExternalReference[]) : [];
  return refs.flatMap((r) => {
    const source = text(r?.source_name);
    const id = text(r?.external_id);
    return source && id ? [`${source}:${id}`] : [];
  });
}

const externalId = (refs: string[], source: string) => refs.find((r) => r.toLowerCase().startsWith(`${source}:`))?.slice(source.length + 1);

/** `kill_chain_phases` as `kill_chain_name:phase_name`. */
function killChainPhases(object: Record<string, unknown>): string[] {
  const phases = Array.isArray(object["kill_chain_phases"]) ? (object["kill_chain_phases"] as Array<Record<string, unknown>>) : [];
  return phases.flatMap((p) => {
    const chain = text(p?.["kill_chain_name"]);
    const phase = text(p?.["phase_name"]);
    return chain && phase ? [`${chain}:${phase}`] : [];
  });
}

/** The key a domain object resolves on: its ATT&CK or CVE id when it has one, else its STIX id (see the file comment). */
function keyOf(props: Record<string, PropertyValue>, stixId: string): { erKey: string; rawKey: string } {
  for (const name of ["attackId", "cveId"]) {
    const value = props[name];
    if (typeof value === "string") return { erKey: `${name}=${value.toLowerCase()}`, rawKey: value };
  }
  return { erKey: `stixId=${stixId.toLowerCase()}`, rawKey: stixId };
}

export const isStixDomainType = (type: string): boolean => type in STIX_DOMAIN_TYPES;

/** One domain object as one entity (its marking and stixId are added by the STIX mapper), or RecordError. */
export function mapDomainObject(object: Record<string, unknown>, raw: string, ctx: MapContext): MappedRecord {
  const stixType = String(object["type"]);
  const stixId = String(object["id"]);
  const type = STIX_DOMAIN_TYPES[stixType]!;
  const props: Record<string, PropertyValue> = {};
  for (const f of type.fields) {
    const value = fieldProperty(object, f);
    if (value !== undefined) props[f.prop] = value;
  }
  if (typeof props["name"] !== "string") throw new RecordError("MISSING_FIELD", `${stixType} ${stixId} has no name`);
  const refs = externalReferences(object);
  if (refs.length) props["externalReferences"] = refs;
  if (type.label === "AttackPattern") {
    const attackId = externalId(refs, ATTACK_SOURCE);
    if (attackId) props["attackId"] = attackId.toUpperCase();
    const phases = killChainPhases(object);
    if (phases.length) props["killChainPhases"] = phases;
  }
  if (type.label === "Vulnerability") {
    const cveId = externalId(refs, CVE_SOURCE) ?? (CVE_ID.test(props["name"]) ? props["name"] : undefined);
    if (cveId) props["cveId"] = cveId.toUpperCase();
  }
  const { erKey, rawKey } = keyOf(props, stixId);
  const id = ctx.splits?.get(splitRuleKey(type.label, erKey, rawKey)) ?? entityId(ctx.tenantId, type.label, erKey);
  return { recordHash: recordHash(raw), entities: [{ alias: "x", type: type.label, id, erKey, rawKey, keyRules: [], props }], edges: [] };
}
