/**
 * The files of a subject access export: subject.json, neighbourhood.json,
 * entities.csv, relationships.csv, audit.json and provenance.json, then
 * manifest.json with each file's size and checksum.
 */
import { createHash } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import type { AuditEvent, Residency } from "@intelgraph/kit";
import type { JobDoc, MergeDoc } from "../ingest/ingestStore.ts";
import type { SubjectGraph } from "./collectSubject.ts";

export interface ExportFile {
  name: string;
  bytes: number;
  sha256: string;
  content: string;
}

export interface SubjectExportCounts {
  subjects: number;
  entities: number;
  relationships: number;
  auditEvents: number;
  truncated: boolean;
}

const file = (name: string, content: string): ExportFile => ({
  name,
  bytes: Buffer.byteLength(content),
  sha256: createHash("sha256").update(content).digest("hex"),
  content,
});

const json = (value: unknown) => JSON.stringify(value, null, 2);

const provenanceOf = (p: Record<string, unknown>) => ({
  source: p["source"] ?? null,
  sources: p["sources"] ?? [],
  ingestJobIds: p["ingestJobIds"] ?? [],
  firstSeen: p["firstSeen"] ?? null,
  lastSeen: p["lastSeen"] ?? null,
  recordHash: p["recordHash"] ?? null,
  createdAt: p["createdAt"] ?? null,
});

const ENTITY_COLUMNS = [
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
];

function entitiesCsv(found: SubjectGraph, subjectIds: Set<string>): string {
  const rows = found.nodes.map((n) => ({
    id: n.id,
    type: n.type,
    subject: subjectIds.has(n.id),
    name: n.properties["name"] ?? n.properties["title"] ?? n.properties["address"] ?? n.properties["pattern"] ?? "",
    email: n.properties["email"] ?? "",
    ...Object.fromEntries(Object.entries(provenanceOf(n.properties)).map(([k, v]) => [k, Array.isArray(v) ? v.join(" ") : (v ?? "")])),
  }));
  return stringify(rows, { header: true, columns: ENTITY_COLUMNS });
}

function relationshipsCsv(found: SubjectGraph): string {
  const rows = found.rels.map((r) => ({
    from: r.from,
    type: r.type,
    to: r.to,
    confidence: r.properties["confidence"] ?? "",
    source: r.properties["source"] ?? "",
    jobId: r.properties["jobId"] ?? "",
  }));
  return stringify(rows, { header: true, columns: ["from", "type", "to", "confidence", "source", "jobId"] });
}

export interface SubjectExportContent {
  exportId: string;
  tenantId: string;
  identifier: string;
  hops: number;
  destinationRegion: string;
  requestedBy: string;
  at: Date;
  residency: Residency;
  found: SubjectGraph;
  /** The audit events naming the subject, at most `maxAudit` of them exported. */
  events: AuditEvent[];
  maxAudit: number;
  truncated: boolean;
  jobDocs: JobDoc[];
  mergeDocs: MergeDoc[];
}

/** The export's files (manifest last) and counts. */
export function subjectExportFiles(c: SubjectExportContent): { files: ExportFile[]; counts: SubjectExportCounts } {
  const subjectIds = new Set(c.found.subjectIds);
  const subjects = c.found.nodes.filter((n) => subjectIds.has(n.id));
  const audit = c.events.slice(0, c.maxAudit).map((e) => ({
    id: e._id,
    seq: e.seq ?? null,
    at: e.at,
    action: e.action,
    actor: e.actor,
    targetIds: e.targetIds,
    outcome: e.outcome,
    arguments: e.arguments,
    hash: e.hash ?? null,
  }));
  const provenance = {
    entities: subjects.map((n) => ({ id: n.id, type: n.type, ...provenanceOf(n.properties) })),
    ingestJobs: c.jobDocs.map((j) => ({
      id: j._id,
      source: j.source,
      mapping: j.mappingName,
      createdAt: j.createdAt,
      createdBy: j.createdBy,
    })),
    mergeDecisions: c.mergeDocs,
  };
  const files = [
    file("subject.json", json({ identifier: c.identifier, entities: subjects })),
    file("neighbourhood.json", json({ hops: c.hops, entities: c.found.nodes, relationships: c.found.rels })),
    file("entities.csv", entitiesCsv(c.found, subjectIds)),
    file("relationships.csv", relationshipsCsv(c.found)),
    file("audit.json", json(audit)),
    file("provenance.json", json(provenance)),
  ];
  const counts = {
    subjects: subjects.length,
    entities: c.found.nodes.length,
    relationships: c.found.rels.length,
    auditEvents: Math.min(c.events.length, c.maxAudit),
    truncated: c.truncated,
  };
  const manifest = {
    exportId: c.exportId,
    kind: "subject-access-export/v1",
    tenantId: c.tenantId,
    identifier: c.identifier,
    generatedAt: c.at.toISOString(),
    requestedBy: c.requestedBy,
    residency: c.residency,
    policyId: c.residency.policyId,
    destinationRegion: c.destinationRegion,
    counts,
    files: files.map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 })),
  };
  files.push(file("manifest.json", json(manifest)));
  return { files, counts };
}
