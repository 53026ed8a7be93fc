/**
 * Looks up what evidence points at, inside one tenant: entities and
 * relationships in Neo4j (live, soft-deleted, or gone), query snapshots,
 * ingest jobs and audit events in the Mongo-wire store. Both citing (the
 * label a citation shows) and the validator read through here, so a tenant
 * can never cite or resolve another tenant's thing: it is simply "gone".
 * Entities and relationships are also held to the caller's clearance
 * (`scope.markings`): one marked above it (or with an end above it) is
 * `restricted`, with nothing of its content.
 */
import type { Db } from "mongodb";
import type { Driver } from "neo4j-driver";
import {
  AUDIT_COLLECTION,
  createTenantRepository,
  DEFAULT_ENTITY_MARKING,
  highestMarking,
  type AuditEvent,
  type TlpMarking,
} from "@intelgraph/kit";
import type { IngestStore, JobDoc } from "../ingest/ingestStore.ts";
import { DELETED_LABEL } from "../lifecycle/entitySelector.ts";
import { plain } from "../neo4jValues.ts";
import type { CitedRelationship, EvidenceKind, QuerySnapshotDoc } from "./reportModel.ts";

export const SNAPSHOT_COLLECTION = "graph_query_snapshots";

/** A cited thing as it is now. */
export type Found =
  | {
      status: "live";
      label: string;
      detail: string;
      entityIds?: string[];
      /** Entities: the live label. */
      kind?: string;
      /** Entities and relationships: their stored properties (provenance, values for redaction). */
      properties?: Record<string, unknown>;
      /** Entities and relationships: their marking (a relationship's: the highest of it and its ends). */
      marking?: TlpMarking;
    }
  | { status: "deleted"; label: string; deletedAt: string | null; reason: string | null }
  /** Marked above the caller's clearance: it exists, and that is all they may know. */
  | { status: "restricted" }
  | { status: "gone" };

/** Whose eyes a lookup is for: the tenant, and the markings the caller's clearance allows (`markingsParam`). */
export interface LookupScope {
  tenantId: string;
  markings: readonly TlpMarking[];
}

export interface EvidenceRef {
  kind: EvidenceKind;
  ref: string | null;
  relationship: CitedRelationship | null;
}

export interface EvidenceLookupDeps {
  db: Db;
  driver: Driver;
  database: string;
  store: IngestStore;
  /** The tenant's entity labels (built-in and approved ingest types). */
  labelsFor(tenantId: string): Promise<string[]>;
}

export const relKey = (r: CitedRelationship) => `${r.fromId}-${r.type}->${r.toId}`;
export const keyOf = (e: EvidenceRef) => `${e.kind}:${e.kind === "RELATIONSHIP" && e.relationship ? relKey(e.relationship) : e.ref}`;

/** How an entity reads: its kind and its name, address, pattern or title. */
export const nameOf = (v: string) => `coalesce(${v}.name, ${v}.address, ${v}.pattern, ${v}.title, ${v}.email, ${v}.id)`;
export const ENTITY_NAME = nameOf("n");
const entityLabel = (kind: string, name: unknown) => `${kind} ${String(name)}`;

/** How a snapshot, an ingest job and an audit event read when cited (and in the picker). */
export const describeSnapshot = (s: QuerySnapshotDoc) => ({
  label: `Question “${s.question}” (${s.rows.length} row${s.rows.length === 1 ? "" : "s"})`,
  detail: `captured ${s.capturedAt.toISOString()}`,
});
export const describeJob = (j: JobDoc) => ({ label: `Ingest job ${j.source} (${j.state})`, detail: `mapping ${j.mappingName}` });
export const describeEvent = (e: AuditEvent) => ({
  label: `Audit ${e.action} by ${e.actor.userId ?? "system"}`,
  detail: e.at.toISOString(),
});

/**
 * A `CALL { … }` that binds `v` to the entity whose id is `idExpr`, by one
 * index seek per label (each has a unique id constraint, Deleted an id index),
 * never a scan of every node. `imported` is the variable the subquery imports.
 */
export const seekById = (labels: string[], v: string, idExpr: string, imported: string) =>
  `CALL { ${labels.map((l) => `WITH ${imported} MATCH (${v}:\`${l}\` {id: ${idExpr}}) RETURN ${v}`).join(" UNION ")} }`;

export function createEvidenceLookup(deps: EvidenceLookupDeps) {
  const snapshots = createTenantRepository<QuerySnapshotDoc>(deps.db, SNAPSHOT_COLLECTION);
  const audit = createTenantRepository<AuditEvent>(deps.db, AUDIT_COLLECTION);

  async function read<T>(cypher: string, params: Record<string, unknown>, map: (get: (k: string) => unknown) => T): Promise<T[]> {
    const session = deps.driver.session({ database: deps.database, defaultAccessMode: "READ" });
    try {
      const result = await session.executeRead((tx) => tx.run(cypher, params), { timeout: 5000 });
      return result.records.map((r) => map((k) => r.get(k)));
    } finally {
      await session.close();
    }
  }

  /** Entities by id: live ones by their kind, soft-deleted ones by the kind they had. */
  async function entities({ tenantId, markings }: LookupScope, ids: string[]): Promise<Map<string, Found>> {
    const found = new Map<string, Found>();
    if (!ids.length) return found;
    const labels = [...(await deps.labelsFor(tenantId)), DELETED_LABEL];
    const rows = await read(
      `UNWIND $ids AS id ${seekById(labels, "n", "id", "id")} WITH n WHERE n.tenantId = $tenantId
       RETURN n.id AS id, [l IN labels(n) WHERE l <> '${DELETED_LABEL}'][0] AS kind, n:${DELETED_LABEL} AS deleted,
              n.deletedLabel AS deletedLabel, toString(n.deletedAt) AS deletedAt, n.deletedReason AS reason, ${ENTITY_NAME} AS name,
              n.source AS source, toString(n.lastSeen) AS lastSeen, properties(n) AS properties,
              coalesce(n.marking, '${DEFAULT_ENTITY_MARKING}') AS marking`,
      { ids, tenantId },
      (get) => ({
        id: get("id") as string,
        kind: (get("deleted") ? get("deletedLabel") : get("kind")) as string,
        deleted: Boolean(get("deleted")),
        deletedAt: get("deletedAt") as string | null,
        reason: get("reason") as string | null,
        name: get("name"),
        source: get("source") as string | null,
        lastSeen: get("lastSeen") as string | null,
        properties: plain(get("properties")) as Record<string, unknown>,
        marking: get("marking") as TlpMarking,
      }),
    );
    for (const r of rows) {
      const label = entityLabel(r.kind, r.name);
      found.set(
        r.id,
        !markings.includes(r.marking)
          ? { status: "restricted" }
          : r.deleted
            ? { status: "deleted", label, deletedAt: r.deletedAt, reason: r.reason }
            : {
                status: "live",
                label,
                detail: [r.source && `source ${r.source}`, r.lastSeen && `last seen ${r.lastSeen}`].filter(Boolean).join(" · "),
                kind: r.kind,
                properties: r.properties,
                marking: r.marking,
              },
      );
    }
    return found;
  }

  /** Binds `a` and `b` to the entities with ids c.fromId and c.toId. */
  async function seekBoth(tenantId: string): Promise<string> {
    const labels = [...(await deps.labelsFor(tenantId)), DELETED_LABEL];
    return `${seekById(labels, "a", "c.fromId", "c")} ${seekById(labels, "b", "c.toId", "c")}`;
  }

  async function relationships({ tenantId, markings }: LookupScope, rels: CitedRelationship[]): Promise<Map<string, Found>> {
    const found = new Map<string, Found>();
    if (!rels.length) return found;
    const rows = await read(
      `UNWIND $rels AS c ${await seekBoth(tenantId)} MATCH (a)-[r]->(b)
       WHERE a.tenantId = $tenantId AND b.tenantId = $tenantId AND type(r) = c.type
       RETURN c.fromId AS fromId, c.type AS type, c.toId AS toId, (a:${DELETED_LABEL} OR b:${DELETED_LABEL}) AS deleted,
              ${nameOf("a")} AS fromName, ${nameOf("b")} AS toName,
              r.source AS source, r.confidence AS confidence, properties(r) AS properties,
              [coalesce(r.marking, '${DEFAULT_ENTITY_MARKING}'), coalesce(a.marking, '${DEFAULT_ENTITY_MARKING}'),
               coalesce(b.marking, '${DEFAULT_ENTITY_MARKING}')] AS markings`,
      { rels, tenantId },
      (get) => ({
        key: relKey({ fromId: get("fromId") as string, type: get("type") as string, toId: get("toId") as string }),
        label: `${String(get("fromName"))} ${String(get("type"))} ${String(get("toName"))}`,
        deleted: Boolean(get("deleted")),
        detail: [get("source") && `source ${String(get("source"))}`, get("confidence") != null && `confidence ${String(get("confidence"))}`]
          .filter(Boolean)
          .join(" · "),
        properties: plain(get("properties")) as Record<string, unknown>,
        markings: get("markings") as TlpMarking[],
      }),
    );
    for (const r of rows)
      found.set(
        r.key,
        !r.markings.every((m) => markings.includes(m))
          ? { status: "restricted" }
          : r.deleted
            ? { status: "deleted", label: r.label, deletedAt: null, reason: "an end of it is deleted" }
            : { status: "live", label: r.label, detail: r.detail, properties: r.properties, marking: highestMarking(r.markings) },
      );
    return found;
  }

  return {
    snapshots,
    entities,

    /** Every ref, keyed by `keyOf`; what is not in the tenant (or never was) is `gone`, what is above the clearance `restricted`. */
    async resolve(scope: LookupScope, refs: EvidenceRef[]): Promise<Map<string, Found>> {
      const { tenantId } = scope;
      const out = new Map<string, Found>();
      const idsOf = (kind: EvidenceKind) => [...new Set(refs.filter((r) => r.kind === kind && r.ref).map((r) => r.ref!))];
      const [ents, rels, snaps, jobs, events] = await Promise.all([
        entities(scope, idsOf("ENTITY")),
        relationships(
          scope,
          refs.flatMap((r) => (r.kind === "RELATIONSHIP" && r.relationship ? [r.relationship] : [])),
        ),
        idsOf("QUERY_SNAPSHOT").length ? snapshots.forTenant(tenantId).find({ _id: { $in: idsOf("QUERY_SNAPSHOT") } } as never) : [],
        idsOf("INGEST_JOB").length ? deps.store.jobs.forTenant(tenantId).find({ _id: { $in: idsOf("INGEST_JOB") } } as never) : [],
        idsOf("AUDIT_EVENT").length ? audit.forTenant(tenantId).find({ _id: { $in: idsOf("AUDIT_EVENT") } } as never) : [],
      ]);
      for (const [id, f] of ents) out.set(`ENTITY:${id}`, f);
      for (const [key, f] of rels) out.set(`RELATIONSHIP:${key}`, f);
      for (const s of snaps) out.set(`QUERY_SNAPSHOT:${s._id}`, { status: "live", ...describeSnapshot(s), entityIds: s.entityIds });
      for (const j of jobs) out.set(`INGEST_JOB:${j._id}`, { status: "live", ...describeJob(j) });
      for (const e of events) out.set(`AUDIT_EVENT:${e._id}`, { status: "live", ...describeEvent(e) });
      for (const r of refs) if (!out.has(keyOf(r))) out.set(keyOf(r), { status: "gone" });
      return out;
    },
  };
}

export type EvidenceLookup = ReturnType<typeof createEvidenceLookup>;
