/**
 * The evidence picker: what a finding may cite that matches a piece of text,
 * inside the caller's tenant only — live entities (by name, e-mail, address,
 * pattern, title or id), relationships between them, query snapshots (by
 * question), ingest jobs (by source or id) and audit events (by action or id).
 * Entities and relationships only within the caller's clearance (suppressed
 * indicators included: they are stored evidence, only hidden from default lists).
 */
import neo4j from "neo4j-driver";
import { z } from "zod";
import { AUDIT_COLLECTION, createTenantRepository, requireUser, validateInput, type AuditEvent, type Principal } from "@intelgraph/kit";
import {
  describeEvent,
  describeJob,
  describeSnapshot,
  ENTITY_NAME,
  nameOf,
  type EvidenceLookup,
  type EvidenceLookupDeps,
} from "./evidenceLookup.ts";
import { EVIDENCE_KINDS, type CitedRelationship, type EvidenceKind } from "./reportModel.ts";
import { markingsParam, nodeVisible, relationshipVisible } from "../visibility.ts";

export interface CitableItem {
  kind: EvidenceKind;
  ref: string | null;
  relationship: CitedRelationship | null;
  label: string;
  detail: string | null;
}

const input = z.object({
  search: z.string().trim().min(2, "type at least 2 characters").max(200),
  kinds: z.array(z.enum(EVIDENCE_KINDS)).nullish(),
  first: z.number().int().min(1).max(100).nullish(),
});

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const MATCHES = `(toLower(${ENTITY_NAME}) CONTAINS $q OR n.id = $raw)`;

export function createCitableSearch(deps: EvidenceLookupDeps, lookup: EvidenceLookup) {
  const audit = createTenantRepository<AuditEvent>(deps.db, AUDIT_COLLECTION);

  async function graph(principal: Principal, search: string, first: number, kinds: Set<EvidenceKind>): Promise<CitableItem[]> {
    const { tenantId } = requireUser(principal);
    const labels = await deps.labelsFor(tenantId);
    const session = deps.driver.session({ database: deps.database, defaultAccessMode: "READ" });
    const params = { tenantId, markings: markingsParam(principal), q: search.toLowerCase(), raw: search, first: neo4j.int(first) };
    const visible = (v: string) => nodeVisible(v, { includeSuppressed: true });
    try {
      const out: CitableItem[] = [];
      for (const label of labels) {
        if (out.length >= first) break;
        if (kinds.has("ENTITY")) {
          const r = await session.executeRead(
            (tx) =>
              tx.run(
                `MATCH (n:\`${label}\`) WHERE n.tenantId = $tenantId AND ${visible("n")} AND ${MATCHES}
                 RETURN n.id AS id, ${ENTITY_NAME} AS name, n.source AS source LIMIT $first`,
                params,
              ),
            { timeout: 3000 },
          );
          for (const rec of r.records)
            out.push({
              kind: "ENTITY",
              ref: rec.get("id"),
              relationship: null,
              label: `${label} ${rec.get("name")}`,
              detail: rec.get("source") ? `source ${rec.get("source")}` : null,
            });
        }
        if (kinds.has("RELATIONSHIP")) {
          const r = await session.executeRead(
            (tx) =>
              tx.run(
                `MATCH (n:\`${label}\`)-[r]->(m) WHERE n.tenantId = $tenantId AND m.tenantId = $tenantId AND ${MATCHES} AND NOT m:Deleted
                   AND ${visible("n")} AND ${visible("m")} AND ${relationshipVisible("r")}
                 RETURN n.id AS fromId, type(r) AS type, m.id AS toId, ${ENTITY_NAME} AS fromName,
                        ${nameOf("m")} AS toName, r.source AS source LIMIT $first`,
                params,
              ),
            { timeout: 3000 },
          );
          for (const rec of r.records)
            out.push({
              kind: "RELATIONSHIP",
              ref: null,
              relationship: { fromId: rec.get("fromId"), type: rec.get("type"), toId: rec.get("toId") },
              label: `${rec.get("fromName")} ${rec.get("type")} ${rec.get("toName")}`,
              detail: rec.get("source") ? `source ${rec.get("source")}` : null,
            });
        }
      }
      return out;
    } finally {
      await session.close();
    }
  }

  return {
    async search(principal: Principal, raw: unknown): Promise<CitableItem[]> {
      const caller = requireUser(principal);
      const args = validateInput(input, raw);
      const first = args.first ?? 20;
      const kinds = new Set<EvidenceKind>(args.kinds?.length ? args.kinds : EVIDENCE_KINDS);
      const text = { $regex: escapeRegex(args.search), $options: "i" };
      const [items, snaps, jobs, events] = await Promise.all([
        kinds.has("ENTITY") || kinds.has("RELATIONSHIP") ? graph(principal, args.search, first, kinds) : [],
        kinds.has("QUERY_SNAPSHOT")
          ? lookup.snapshots
              .forTenant(caller.tenantId)
              .find({ $or: [{ question: text }, { _id: args.search }] } as never, { sort: { capturedAt: -1 }, limit: first })
          : [],
        kinds.has("INGEST_JOB")
          ? deps.store.jobs
              .forTenant(caller.tenantId)
              .find({ $or: [{ source: text }, { mappingName: text }, { _id: args.search }] } as never, {
                sort: { createdAt: -1 },
                limit: first,
              })
          : [],
        kinds.has("AUDIT_EVENT")
          ? audit
              .forTenant(caller.tenantId)
              .find({ $or: [{ action: text }, { _id: args.search }] } as never, { sort: { at: -1 }, limit: first })
          : [],
      ]);
      return [
        ...items,
        ...snaps.map((s): CitableItem => ({ kind: "QUERY_SNAPSHOT", ref: s._id, relationship: null, ...describeSnapshot(s) })),
        ...jobs.map((j): CitableItem => ({ kind: "INGEST_JOB", ref: j._id, relationship: null, ...describeJob(j) })),
        ...events.map((e): CitableItem => ({ kind: "AUDIT_EVENT", ref: e._id, relationship: null, ...describeEvent(e) })),
      ].slice(0, first);
    },
  };
}

export type CitableSearch = ReturnType<typeof createCitableSearch>;
