/**
 * Graph rows into STIX 2.1 objects and a bundle (pure: the Cypher is in
 * stixExport.ts). Every object has a stable id (the `stixId` it was imported
 * with, else one derived from content, so two exports of the same graph give
 * the same ids), `spec_version` 2.1, its TLP 2.0 marking in
 * `object_marking_refs`, and the bundle holds the marking definitions it uses.
 * Properties are the inverse of the import (stixVocabulary.ts, stix.ts), so a
 * bundle re-imports as the same graph.
 */
import { createHash } from "node:crypto";
import { DEFAULT_ENTITY_MARKING, highestMarking, isTlpMarking, type TlpMarking } from "@intelgraph/kit";
import { markingDefinition, TLP2_MARKING_IDS } from "./stixMarkings.ts";
import { ATTACK_SOURCE, CVE_SOURCE, STIX_TYPE_OF_LABEL, type StixField } from "./stixVocabulary.ts";

/** STIX 2.1's namespace for deterministic cyber-observable ids (section 2.9). */
const SCO_NAMESPACE = "00abedb4-aa42-466c-9c01-fed23315a9b7";
/** Ours, for the ids of objects that were not imported (and of relationships). */
const INTELGRAPH_NAMESPACE = "6f1b7f4e-3c2a-5d8e-9b1f-2a7c4e9d0b35";

export function uuidv5(name: string, namespace: string): string {
  const hash = createHash("sha1")
    .update(Buffer.from(namespace.replace(/-/g, ""), "hex"))
    .update(name, "utf8")
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A graph node as the export reads it: its label and properties, times as ISO text. */
export interface ExportNode {
  key: string;
  label: string;
  props: Record<string, unknown>;
}

export interface ExportEdge {
  from: string;
  to: string;
  type: string;
  props: Record<string, unknown>;
}

const markingOf = (props: Record<string, unknown>): TlpMarking =>
  isTlpMarking(props["marking"]) ? props["marking"] : DEFAULT_ENTITY_MARKING;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** The STIX type a graph node exports as, or undefined when it has none. */
export function stixTypeOf(node: ExportNode): string | undefined {
  switch (node.label) {
    case "Indicator":
      return "indicator";
    case "Domain":
      return "domain-name";
    case "IPAddress":
      return String(node.props["address"] ?? "").includes(":") ? "ipv6-addr" : "ipv4-addr";
    case "Person":
    case "Organization":
      return "identity";
    case "Incident":
      return "incident";
    default:
      return STIX_TYPE_OF_LABEL[node.label]?.stixType;
  }
}

const isObservable = (type: string) => ["domain-name", "ipv4-addr", "ipv6-addr"].includes(type);

/** The node's STIX id: as imported, else STIX's deterministic id for an observable, else ours from its key. */
export function stixIdOf(node: ExportNode, type: string): string {
  const imported = str(node.props["stixId"]);
  if (imported?.startsWith(`${type}--`)) return imported;
  const value = str(node.props["name"]) ?? str(node.props["address"]);
  if (isObservable(type) && value) return `${type}--${uuidv5(JSON.stringify({ value }), SCO_NAMESPACE)}`;
  const key = str(node.props["erKey"]) ?? `id=${String(node.props["id"])}`;
  return `${type}--${uuidv5(`${node.label}\u0000${key}`, INTELGRAPH_NAMESPACE)}`;
}

function fieldValue(props: Record<string, unknown>, f: StixField): unknown {
  const v = props[f.prop];
  if (f.kind === "list") return strings(v).length ? strings(v) : undefined;
  if (f.kind === "boolean") return typeof v === "boolean" ? v : undefined;
  return str(v);
}

/** external_references from `source:external_id`, plus the ATT&CK or CVE id when it is not among them. */
function externalReferences(props: Record<string, unknown>, label: string): Array<Record<string, string>> {
  const refs = strings(props["externalReferences"]).map((r) => {
    const at = r.indexOf(":");
    return { source_name: r.slice(0, at), external_id: r.slice(at + 1) };
  });
  const ensure = (source: string, id: string | undefined) => {
    if (id && !refs.some((r) => r.source_name.toLowerCase() === source && r.external_id.toUpperCase() === id.toUpperCase()))
      refs.push({ source_name: source, external_id: id });
  };
  if (label === "AttackPattern") ensure(ATTACK_SOURCE, str(props["attackId"]));
  if (label === "Vulnerability") ensure(CVE_SOURCE, str(props["cveId"]));
  return refs;
}

/** The type-specific properties of one node's STIX object. */
function body(node: ExportNode, type: string): Record<string, unknown> {
  const p = node.props;
  switch (node.label) {
    case "Indicator":
      return {
        pattern: p["pattern"],
        pattern_type: p["kind"],
        valid_from: str(p["validFrom"]) ?? str(p["firstSeen"]) ?? str(p["createdAt"]),
        valid_until: str(p["validUntil"]),
        indicator_types: strings(p["indicatorTypes"]).length ? strings(p["indicatorTypes"]) : undefined,
        description: str(p["description"]),
      };
    case "Domain":
      return { value: p["name"] };
    case "IPAddress":
      return { value: p["address"] };
    case "Person":
      return { name: p["name"], identity_class: "individual" };
    case "Organization":
      return { name: p["name"], identity_class: "organization", sectors: str(p["sector"]) ? [p["sector"]] : undefined };
    case "Incident":
      return { name: p["title"], description: str(p["description"]) };
  }
  const domain = STIX_TYPE_OF_LABEL[node.label]!;
  const out: Record<string, unknown> = Object.fromEntries(domain.fields.map((f) => [f.stix, fieldValue(p, f)]));
  const refs = externalReferences(p, node.label);
  if (refs.length) out["external_references"] = refs;
  const phases = strings(p["killChainPhases"]).map((k) => {
    const at = k.indexOf(":");
    return { kill_chain_name: k.slice(0, at), phase_name: k.slice(at + 1) };
  });
  if (phases.length) out["kill_chain_phases"] = phases;
  if (type === "report") out["published"] ??= str(p["createdAt"]);
  return out;
}

/** Graph relationship type → STIX relationship_type (the inverse of the import). */
const STIX_RELATIONSHIP: Record<string, string> = {
  OBSERVED_IN: "indicates",
  AFFECTS: "targets",
  MEMBER_OF: "related-to",
  RESOLVES_TO: "resolves-to",
  USES: "uses",
  TARGETS: "targets",
  ATTRIBUTED_TO: "attributed-to",
  INDICATES: "indicates",
  EXPLOITS: "exploits",
  VARIANT_OF: "variant-of",
  RELATED_TO: "related-to",
};
/** What the export writes as relationships (REFERS_TO becomes a report's object_refs). */
export const EXPORTED_RELATIONSHIP_TYPES = [...Object.keys(STIX_RELATIONSHIP), "REFERS_TO"];

const withoutEmpty = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

/**
 * An indicator's sightings as one sighting object (count = `sightings`), with
 * an id derived from the indicator's, so a re-import replaces that count.
 */
function sightingOf(node: ExportNode, indicatorId: string): Array<Record<string, unknown>> {
  const count = node.props["sightings"];
  if (node.label !== "Indicator" || typeof count !== "number" || count <= 0) return [];
  const at = str(node.props["updatedAt"]) ?? str(node.props["createdAt"]);
  return [
    withoutEmpty({
      type: "sighting",
      spec_version: "2.1",
      id: `sighting--${uuidv5(`${indicatorId}\u0000sightings`, INTELGRAPH_NAMESPACE)}`,
      created: at,
      modified: at,
      sighting_of_ref: indicatorId,
      count: Math.min(count, 999_999_999),
      object_marking_refs: [TLP2_MARKING_IDS[markingOf(node.props)]],
    }),
  ];
}

export interface StixBundle {
  bundle: Record<string, unknown>;
  marking: TlpMarking;
  /** Entities, relationships and sightings (not counting the marking definitions). */
  objectCount: number;
}

/** The bundle of some nodes and the edges among them (edges to nodes outside are dropped). */
export function buildStixBundle(nodes: ExportNode[], edges: ExportEdge[]): StixBundle {
  const ids = new Map<string, string>();
  const objects: Array<Record<string, unknown>> = [];
  const markings: TlpMarking[] = [];
  const refsOf = new Map<string, string[]>();
  for (const e of edges)
    if (e.type === "REFERS_TO" && nodes.some((n) => n.key === e.to)) refsOf.set(e.from, [...(refsOf.get(e.from) ?? []), e.to]);
  const exported = nodes.filter((n) => stixTypeOf(n));
  for (const n of exported) ids.set(n.key, stixIdOf(n, stixTypeOf(n)!));
  for (const node of exported) {
    const type = stixTypeOf(node)!;
    const marking = markingOf(node.props);
    markings.push(marking);
    const times = isObservable(type)
      ? {}
      : { created: str(node.props["createdAt"]), modified: str(node.props["updatedAt"]) ?? str(node.props["createdAt"]) };
    const object: Record<string, unknown> = { type, spec_version: "2.1", id: ids.get(node.key), ...times, ...body(node, type) };
    if (type === "report")
      object["object_refs"] = (refsOf.get(node.key) ?? [])
        .map((k) => ids.get(k))
        .filter(Boolean)
        .sort();
    // Our confidence score (0–100, docs/threat-intel.md) is STIX's own `confidence` scale; observables have no such property.
    if (!isObservable(type) && typeof node.props["score"] === "number") object["confidence"] = node.props["score"];
    object["object_marking_refs"] = [TLP2_MARKING_IDS[marking]];
    objects.push(withoutEmpty(object));
  }
  for (const node of exported) objects.push(...sightingOf(node, ids.get(node.key)!));
  for (const e of edges) {
    const relationship = STIX_RELATIONSHIP[e.type];
    const source = ids.get(e.from);
    const target = ids.get(e.to);
    if (!relationship || !source || !target) continue;
    const marking = markingOf(e.props);
    markings.push(marking);
    // Ingest stamps when a link was first seen; a link made in the API is as old as the newer of its ends.
    const endsCreated = [e.from, e.to].map((k) => str(exported.find((n) => n.key === k)?.props["createdAt"]) ?? "").sort()[1];
    const at = str(e.props["firstSeen"]) ?? str(endsCreated);
    const confidence = typeof e.props["confidence"] === "number" ? Math.round(e.props["confidence"] * 100) : undefined;
    objects.push(
      withoutEmpty({
        type: "relationship",
        spec_version: "2.1",
        id: `relationship--${uuidv5(`${source}\u0000${relationship}\u0000${target}`, INTELGRAPH_NAMESPACE)}`,
        created: at,
        modified: str(e.props["lastSeen"]) ?? at,
        relationship_type: relationship,
        source_ref: source,
        target_ref: target,
        confidence,
        object_marking_refs: [TLP2_MARKING_IDS[marking]],
      }),
    );
  }
  objects.sort((a, b) => String(a["id"]).localeCompare(String(b["id"])));
  const used = [...new Set(markings)].sort();
  const bundleId = `bundle--${uuidv5(objects.map((o) => o["id"]).join("\u0000"), INTELGRAPH_NAMESPACE)}`;
  return {
    bundle: { type: "bundle", id: bundleId, objects: [...used.map(markingDefinition), ...objects] },
    marking: highestMarking(markings),
    objectCount: objects.length,
  };
}
