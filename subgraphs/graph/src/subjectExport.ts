import { createHash, randomUUID } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import type { Db } from "mongodb";
import neo4j, { isDate, isDateTime, isDuration, isLocalDateTime, isLocalTime, isPoint, isTime, type Driver } from "neo4j-driver";
import { z } from "zod";
import {
  AUDIT_COLLECTION,
  appError,
  createTenantRepository,
  ErrorCode,
  requireResidency,
  requireUser,
  validateInput,
  type AuditEvent,
  type AuditRecorder,
  type Principal,
  type RequestContext,
  type Residency,
} from "@intelgraph/kit";
import type { IngestStore } from "./ingest/ingestStore.ts";
import { DELETED_LABEL } from "./lifecycle.ts";

/**
 * Subject access export: everything the tenant holds about a data subject —
 * the entities that identify them, their graph neighbourhood, the audit
 * events that name those entities, and provenance (ingest jobs, merge
 * decisions) — as JSON and CSV files with a manifest of checksums, labelled
 * with the tenant's residency. Stored so the package can be downloaded again;
 * the request and every download are audited.
 */

const input = z.object({
  identifier: z.string().trim().min(2, "at least 2 characters").max(320),
  hops: z.number().int().min(0).max(2, "at most 2 hops").nullish(),
  destinationRegion: z.string().trim().max(40),
});

const MAX_NODES = 5000;
const MAX_AUDIT = 5000;

export interface ExportFile {
  name: string;
  bytes: number;
  sha256: string;
  content: string;
}

interface SubjectExportDoc {
  _id: string;
  tenantId: string;
  identifier: string;
  residency: Residency;
  files: ExportFile[];
  counts: { subjects: number; entities: number; relationships: number; auditEvents: number; truncated: boolean };
  requestedBy: string;
  at: Date;
}

/** Neo4j values as JSON: temporal values and points by their ISO / WKT-like string, the rest as is. */
const isNeo4jScalar = (v: unknown) =>
  isDate(v) || isDateTime(v) || isLocalDateTime(v) || isLocalTime(v) || isTime(v) || isDuration(v) || isPoint(v);

const plain = (value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(plain);
  if (isNeo4jScalar(value)) return String(value);
  if (typeof value === "object") return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  return value;
};

const file = (name: string, content: string): ExportFile => ({
  name,
  bytes: Buffer.byteLength(content),
  sha256: createHash("sha256").update(content).digest("hex"),
  content,
});

export function createSubjectExports(deps: {
  db: Db;
  driver: Driver;
  database: string;
  audit: AuditRecorder;
  store: IngestStore;
  labelsFor(tenantId: string): Promise<string[]>;
}) {
  const exports = createTenantRepository<SubjectExportDoc>(deps.db, "graph_subject_exports");
  const auditEvents = createTenantRepository<AuditEvent>(deps.db, AUDIT_COLLECTION);
  const { jobs, merges } = deps.store;

  async function collect(tenantId: string, identifier: string, hops: number) {
    const labels = await deps.labelsFor(tenantId);
    const session = deps.driver.session({ database: deps.database, defaultAccessMode: "READ" });
    try {
      // Labels are the tenant's known entity types (validated names); the identifier is a parameter.
      const find = labels
        .map(
          (l) => `MATCH (n:\`${l}\`) WHERE n.tenantId = $tenantId AND (n.id = $identifier OR toLower(n.email) = toLower($identifier)
             OR n.name = $identifier OR n.address = $identifier) RETURN n`,
        )
        .join(" UNION ");
      const result = await session.run(
        `CALL { ${find} }
         WITH collect(n) AS subjects
         UNWIND subjects AS s
         CALL apoc.path.subgraphAll(s, { maxLevel: $hops, labelFilter: '-${DELETED_LABEL}', limit: $limit }) YIELD nodes, relationships
         UNWIND nodes AS x
         WITH subjects, collect(DISTINCT x) AS xs, collect(relationships) AS rs
         WITH subjects, [x IN xs WHERE x.tenantId = $tenantId] AS nodes, apoc.coll.toSet(apoc.coll.flatten(rs)) AS rels
         RETURN [s IN subjects | s.id] AS subjectIds,
                [x IN nodes | { id: x.id, type: labels(x)[0], properties: properties(x) }] AS nodes,
                [r IN rels WHERE startNode(r).tenantId = $tenantId AND endNode(r).tenantId = $tenantId |
                  { from: startNode(r).id, to: endNode(r).id, type: type(r), properties: properties(r) }] AS rels`,
        { tenantId, identifier, hops: neo4j.int(hops), limit: neo4j.int(MAX_NODES) },
      );
      const row = result.records[0];
      if (!row) return null;
      return {
        subjectIds: row.get("subjectIds") as string[],
        nodes: plain(row.get("nodes")) as Array<{ id: string; type: string; properties: Record<string, unknown> }>,
        rels: plain(row.get("rels")) as Array<{ from: string; to: string; type: string; properties: Record<string, unknown> }>,
      };
    } finally {
      await session.close();
    }
  }

  async function audited(ctx: RequestContext, action: string, exportId: string, args: Record<string, unknown>) {
    const caller = requireUser(ctx.principal);
    await deps.audit.record({
      tenantId: caller.tenantId,
      actor: { userId: caller.userId, kind: caller.kind, ...(caller.tokenId ? { tokenId: caller.tokenId } : {}) },
      action,
      service: "graph",
      targetType: "SubjectExport",
      targetIds: [exportId],
      outcome: "success",
      errorCode: null,
      requestId: ctx.requestId,
      arguments: args,
    });
  }

  return {
    ensureIndexes: () => exports.ensureIndexes(),

    async create(principal: Principal, raw: unknown): Promise<SubjectExportDoc> {
      const caller = requireUser(principal);
      const args = validateInput(input, raw);
      // Residency first: nothing is gathered for a destination the data may not go to.
      const residency = await requireResidency(deps.db, caller.tenantId, args.destinationRegion);
      const found = await collect(caller.tenantId, args.identifier, args.hops ?? 1);
      if (!found?.subjectIds.length)
        throw appError(ErrorCode.NOT_FOUND, `Nothing in your tenant is identified by "${args.identifier}" (id, e-mail, name or address).`, {
          identifier: args.identifier,
        });
      const subjectIds = new Set(found.subjectIds);
      const events = await auditEvents
        .forTenant(caller.tenantId)
        .find({ targetIds: { $in: [...subjectIds] } } as never, { sort: { at: 1 }, limit: MAX_AUDIT + 1 });
      const jobIds = [...new Set(found.nodes.flatMap((n) => (n.properties["ingestJobIds"] as string[] | undefined) ?? []))];
      const jobDocs = jobIds.length ? await jobs.forTenant(caller.tenantId).find({ _id: { $in: jobIds } } as never) : [];
      const mergeDocs = await merges.forTenant(caller.tenantId).find({ entityId: { $in: [...subjectIds] } } as never, { limit: 1000 });
      const truncated = found.nodes.length >= MAX_NODES || events.length > MAX_AUDIT;
      const id = randomUUID();
      const at = new Date();

      const provenanceOf = (p: Record<string, unknown>) => ({
        source: p["source"] ?? null,
        sources: p["sources"] ?? [],
        ingestJobIds: p["ingestJobIds"] ?? [],
        firstSeen: p["firstSeen"] ?? null,
        lastSeen: p["lastSeen"] ?? null,
        recordHash: p["recordHash"] ?? null,
        createdAt: p["createdAt"] ?? null,
      });
      const subjects = found.nodes.filter((n) => subjectIds.has(n.id));
      const files = [
        file("subject.json", JSON.stringify({ identifier: args.identifier, entities: subjects }, null, 2)),
        file("neighbourhood.json", JSON.stringify({ hops: args.hops ?? 1, entities: found.nodes, relationships: found.rels }, null, 2)),
        file(
          "entities.csv",
          stringify(
            found.nodes.map((n) => ({
              id: n.id,
              type: n.type,
              subject: subjectIds.has(n.id),
              name: n.properties["name"] ?? n.properties["title"] ?? n.properties["address"] ?? n.properties["pattern"] ?? "",
              email: n.properties["email"] ?? "",
              ...Object.fromEntries(
                Object.entries(provenanceOf(n.properties)).map(([k, v]) => [k, Array.isArray(v) ? v.join(" ") : (v ?? "")]),
              ),
            })),
            {
              header: true,
              columns: [
                "id",
                "type",
                "subject",
                "name",
                "email",
                "source",
                "sources",
                "ingestJobIds",
                "firstSeen",
                "lastSeen",
                "recordHash",
                "createdAt",
              ],
            },
          ),
        ),
        file(
          "relationships.csv",
          stringify(
            found.rels.map((r) => ({
              from: r.from,
              type: r.type,
              to: r.to,
              confidence: r.properties["confidence"] ?? "",
              source: r.properties["source"] ?? "",
              jobId: r.properties["jobId"] ?? "",
            })),
            { header: true, columns: ["from", "type", "to", "confidence", "source", "jobId"] },
          ),
        ),
        file(
          "audit.json",
          JSON.stringify(
            events.slice(0, MAX_AUDIT).map((e) => ({
              id: e._id,
              seq: e.seq ?? null,
              at: e.at,
              action: e.action,
              actor: e.actor,
              targetIds: e.targetIds,
              outcome: e.outcome,
              arguments: e.arguments,
              hash: e.hash ?? null,
            })),
            null,
            2,
          ),
        ),
        file(
          "provenance.json",
          JSON.stringify(
            {
              entities: subjects.map((n) => ({ id: n.id, type: n.type, ...provenanceOf(n.properties) })),
              ingestJobs: jobDocs.map((j) => ({
                id: j._id,
                source: j.source,
                mapping: j.mappingName,
                createdAt: j.createdAt,
                createdBy: j.createdBy,
              })),
              mergeDecisions: mergeDocs,
            },
            null,
            2,
          ),
        ),
      ];
      const counts = {
        subjects: subjects.length,
        entities: found.nodes.length,
        relationships: found.rels.length,
        auditEvents: Math.min(events.length, MAX_AUDIT),
        truncated,
      };
      const manifest = {
        exportId: id,
        kind: "subject-access-export/v1",
        tenantId: caller.tenantId,
        identifier: args.identifier,
        generatedAt: at.toISOString(),
        requestedBy: caller.userId,
        residency,
        policyId: residency.policyId,
        destinationRegion: args.destinationRegion,
        counts,
        files: files.map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 })),
      };
      files.push(file("manifest.json", JSON.stringify(manifest, null, 2)));
      return exports
        .forTenant(caller.tenantId)
        .insertOne({ _id: id, identifier: args.identifier, residency, files, counts, requestedBy: caller.userId, at });
    },

    /** The stored package again; each download is audited. */
    async download(ctx: RequestContext, id: string): Promise<SubjectExportDoc> {
      const caller = requireUser(ctx.principal);
      const doc = await exports.forTenant(caller.tenantId).findOne({ _id: id });
      if (!doc) throw appError(ErrorCode.NOT_FOUND, `No subject export ${id} in your tenant.`, { id });
      await audited(ctx, "downloadSubjectExport", id, { identifier: doc.identifier });
      return doc;
    },

    async list(principal: Principal) {
      const caller = requireUser(principal);
      return exports.forTenant(caller.tenantId).find({}, { sort: { at: -1 }, limit: 100, projection: { files: 0 } });
    },
  };
}

export type SubjectExports = ReturnType<typeof createSubjectExports>;
