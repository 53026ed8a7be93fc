/**
 * What a mapping says: how one source record becomes entities (typed, keyed,
 * with properties) and relationships between them. Validated with zod when a
 * mapping is created, checked against the graph model (required properties of
 * built-in types) and against the tenant's approved types before an ingest.
 *
 *   {
 *     "entities": [
 *       { "as": "person", "type": "Person", "key": ["email"],
 *         "properties": { "name": "full_name", "email": { "from": "email", "required": true } } },
 *       { "as": "org", "type": "Organization", "key": ["name"], "properties": { "name": "company" }, "optional": true }
 *     ],
 *     "relationships": [{ "type": "MEMBER_OF", "from": "person", "to": "org", "confidence": 0.8 }],
 *     "marking": "AMBER"
 *   }
 *
 * A property given as a string is the source field it comes from: a CSV
 * column, or a dot path into a JSON/NDJSON record (`actor.email`).
 */
import { z } from "zod";
import { TLP_MARKINGS } from "@intelgraph/kit";

export const NORMALIZE_KINDS = ["none", "text", "casefold", "email", "domain", "ip"] as const;
export type NormalizeKind = (typeof NORMALIZE_KINDS)[number];

export const SOURCE_FORMATS = ["CSV", "JSON", "NDJSON", "STIX"] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;
/** New entity types are PascalCase labels, relationship types UPPER_SNAKE. */
export const ENTITY_TYPE_NAME = /^[A-Z][A-Za-z0-9]{1,39}$/;
export const RELATIONSHIP_TYPE_NAME = /^[A-Z][A-Z0-9_]{1,39}$/;
/** Properties the pipeline owns; a mapping may not write them. */
export const RESERVED_PROPERTIES = new Set([
  "id",
  "tenantId",
  "createdAt",
  "updatedAt",
  "erKey",
  "firstSeen",
  "lastSeen",
  "sources",
  "ingestJobIds",
  "recordHash",
  "provFirstRecord",
  "stixId",
  // Set by the mapping's `marking` options (checked TLP values), never as a plain property.
  "marking",
]);

const fieldPath = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\s.][^.]*(\.[^.]+)*$/, "a field name or a dot path such as actor.email");

const propertySource = z.union([
  fieldPath,
  z.strictObject({
    from: fieldPath,
    normalize: z.enum(NORMALIZE_KINDS).optional(),
    type: z.enum(["string", "number", "boolean"]).default("string"),
    required: z.boolean().default(false),
  }),
]);

export const entityMappingSchema = z.strictObject({
  as: z.string().regex(identifier, "a short alias such as person"),
  type: z.string().regex(ENTITY_TYPE_NAME, "a PascalCase entity type such as Person"),
  key: z.array(z.string().regex(identifier)).min(1).max(4),
  properties: z
    .record(z.string().regex(identifier, "a property name such as name"), propertySource)
    .refine((p) => Object.keys(p).length > 0, "at least one property"),
  /** When every key field is empty the entity is skipped instead of dead-lettering the record. */
  optional: z.boolean().default(false),
  /**
   * The TLP marking of this entity: a constant (`AMBER`) or the field holding it
   * (`{ "from": "tlp" }`, values such as `TLP:AMBER+STRICT`, `green`, `white`);
   * an empty field falls back to the mapping's `marking`.
   */
  marking: z.union([z.enum(TLP_MARKINGS), z.strictObject({ from: fieldPath })]).optional(),
});

export const relationshipMappingSchema = z.strictObject({
  type: z.string().regex(RELATIONSHIP_TYPE_NAME, "an UPPER_SNAKE relationship type such as MEMBER_OF"),
  from: z.string().regex(identifier),
  to: z.string().regex(identifier),
  /** A constant in [0, 1] or the field holding it; default 1. */
  confidence: z.union([z.number().min(0).max(1), z.strictObject({ from: fieldPath })]).default(1),
});

export const mappingSpecSchema = z
  .strictObject({
    /** JSON sources: where the record array is (`items`, `data.records`); default the top-level array. */
    recordsPath: fieldPath.optional(),
    entities: z.array(entityMappingSchema).min(1).max(12),
    relationships: z.array(relationshipMappingSchema).max(24).default([]),
    /** The TLP marking of what the mapping creates (entities without their own, and relationships); default GREEN. */
    marking: z.enum(TLP_MARKINGS).optional(),
  })
  .superRefine((spec, ctx) => {
    const aliases = new Set<string>();
    spec.entities.forEach((entity, i) => {
      if (aliases.has(entity.as))
        ctx.addIssue({ code: "custom", path: ["entities", i, "as"], message: `alias ${entity.as} is used twice` });
      aliases.add(entity.as);
      for (const key of entity.key)
        if (!(key in entity.properties))
          ctx.addIssue({ code: "custom", path: ["entities", i, "key"], message: `key ${key} is not one of the entity's properties` });
      for (const name of Object.keys(entity.properties))
        if (RESERVED_PROPERTIES.has(name))
          ctx.addIssue({ code: "custom", path: ["entities", i, "properties", name], message: `${name} is set by the pipeline` });
    });
    spec.relationships.forEach((rel, i) => {
      for (const end of ["from", "to"] as const)
        if (!aliases.has(rel[end]))
          ctx.addIssue({ code: "custom", path: ["relationships", i, end], message: `no entity has alias ${rel[end]}` });
    });
  });

export type MappingSpec = z.output<typeof mappingSpecSchema>;
export type EntityMapping = MappingSpec["entities"][number];
export type RelationshipMapping = MappingSpec["relationships"][number];

export interface PropertyRule {
  from: string;
  normalize: NormalizeKind;
  type: "string" | "number" | "boolean";
  required: boolean;
}

/** The long form of a property, with the normaliser a key property of that type gets by default. */
export function propertyRule(entity: EntityMapping, name: string): PropertyRule {
  const source = entity.properties[name]!;
  const rule = typeof source === "string" ? { from: source, type: "string" as const, required: false } : source;
  const isKey = entity.key.includes(name);
  return {
    from: rule.from,
    type: rule.type,
    required: rule.required || isKey,
    normalize: ("normalize" in rule && rule.normalize) || defaultNormalizer(entity.type, name, isKey),
  };
}

export function defaultNormalizer(type: string, property: string, isKey: boolean): NormalizeKind {
  if (type === "Domain" && property === "name") return "domain";
  if (type === "IPAddress" && property === "address") return "ip";
  if (property === "email") return "email";
  return isKey ? "casefold" : "text";
}
