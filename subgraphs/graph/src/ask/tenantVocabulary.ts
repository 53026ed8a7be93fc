/**
 * A tenant's vocabulary: the graph's own schema plus the types the tenant has
 * approved through ingest mappings — entity types with the properties their
 * approved mappings write, and relationship types between labels the
 * vocabulary knows (`ENTITY:Vessel`, `RELATIONSHIP:Vessel-OPERATED_BY->Organization`).
 * Nothing else: a type pending approval, or another tenant's, is not a word a
 * question may use, so the compiler and the parse-tree check refuse it.
 * Read through a short cache (5 s) per tenant.
 */
import { createTtlCache } from "@intelgraph/kit";
import type { IngestStore } from "../ingest/ingestStore.ts";
import type { GraphVocabulary, RelationshipType } from "./graphVocabulary.ts";

export interface ApprovedTypes {
  /** Label → the properties approved mappings write on it. */
  entities: ReadonlyMap<string, ReadonlySet<string>>;
  relationships: readonly RelationshipType[];
}

/** `base` plus the approved types; a built-in label keeps exactly its schema's properties. */
export function extendVocabulary(base: GraphVocabulary, approved: ApprovedTypes): GraphVocabulary {
  if (!approved.entities.size && !approved.relationships.length) return base;
  const labels = new Map<string, ReadonlySet<string>>(base.labels);
  for (const [label, properties] of approved.entities) if (!labels.has(label)) labels.set(label, new Set(properties));
  const known = (r: RelationshipType) => base.relationships.some((b) => b.type === r.type && b.from === r.from && b.to === r.to);
  const relationships = [
    ...base.relationships,
    ...approved.relationships.filter((r) => labels.has(r.from) && labels.has(r.to) && !known(r)),
  ];
  return { labels, relationships, dateTimes: base.dateTimes };
}

const RELATIONSHIP_NAME = /^([A-Za-z][A-Za-z0-9]*)-([A-Z][A-Z0-9_]*)->([A-Za-z][A-Za-z0-9]*)$/;

/** What a tenant has approved, from its approved types and approved mappings. */
export async function approvedTypesOf(store: Pick<IngestStore, "schemaTypes" | "mappings">, tenantId: string): Promise<ApprovedTypes> {
  const types = await store.schemaTypes.forTenant(tenantId).find({});
  const entityNames = new Set(types.filter((t) => t.kind === "ENTITY").map((t) => t.name));
  const relationships = types.flatMap((t) => {
    const m = t.kind === "RELATIONSHIP" ? RELATIONSHIP_NAME.exec(t.name) : null;
    return m ? [{ from: m[1]!, type: m[2]!, to: m[3]! }] : [];
  });
  const entities = new Map<string, Set<string>>();
  if (entityNames.size) {
    const mappings = await store.mappings.forTenant(tenantId).find({ state: "APPROVED" } as never);
    for (const mapping of mappings)
      for (const entity of mapping.spec?.entities ?? []) {
        if (!entityNames.has(entity.type)) continue;
        const properties = entities.get(entity.type) ?? new Set<string>();
        for (const p of Object.keys(entity.properties)) properties.add(p);
        entities.set(entity.type, properties);
      }
  }
  return { entities, relationships };
}

export function createTenantVocabularies(options: {
  store: Pick<IngestStore, "schemaTypes" | "mappings">;
  base: GraphVocabulary;
  ttlMs?: number;
}) {
  const cache = createTtlCache(async (tenantId) => extendVocabulary(options.base, await approvedTypesOf(options.store, tenantId)), {
    ttlMs: options.ttlMs ?? 5000,
  });
  return (tenantId: string): Promise<GraphVocabulary> => cache.get(tenantId);
}
