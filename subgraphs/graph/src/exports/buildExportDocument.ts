/**
 * Builds the format-neutral export document of a published version: reads
 * every cited thing's provenance inside the tenant (entities and
 * relationships from Neo4j; snapshots, ingest jobs and audit events from the
 * Mongo-wire store) and collects what redaction may need to replace (names of
 * people, chosen property values) from the cited and snapshot-shown entities.
 * Everything is read for the exporter (`scope`: their tenant and clearance);
 * the version comes without the evidence above it (`withheld` counts it), and
 * the document carries the highest marking of what it shows.
 */
import { DEFAULT_ENTITY_MARKING, highestMarking, type Residency, type TlpMarking } from "@intelgraph/kit";
import type { EvidenceLookup, EvidenceLookupDeps, LookupScope } from "../reports/evidenceLookup.ts";
import type { QuerySnapshotDoc, ReportVersionDoc } from "../reports/reportModel.ts";
import {
  localeFormat,
  type Branding,
  type DocEvidence,
  type ExportDocument,
  type ExportLocale,
  type ProvenanceRow,
} from "./exportModel.ts";

export interface EntityFacts {
  kind: string;
  properties: Record<string, unknown>;
}

export interface Subjects {
  /** Names of the people cited or shown. */
  personNames: string[];
  /** Every value of each property of the cited or shown entities. */
  values(property: string): string[];
}

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : v ? [String(v)] : []);

export interface BuildInput {
  version: ReportVersionDoc;
  /** Pieces of evidence left out of `version` for being above the exporter's clearance. */
  withheld: number;
  branding: Branding;
  residency: Residency;
  locale: ExportLocale;
  generatedAt: Date;
}

export async function buildExportDocument(deps: EvidenceLookupDeps, lookup: EvidenceLookup, scope: LookupScope, input: BuildInput) {
  const { version } = input;
  const { tenantId } = scope;
  const fmt = localeFormat(input.locale);
  const evidence = version.findings.flatMap((f) => f.evidence);
  const snapshotIds = evidence.filter((e) => e.kind === "QUERY_SNAPSHOT").map((e) => e.ref!);
  const snapshots = new Map<string, QuerySnapshotDoc>(
    (snapshotIds.length ? await lookup.snapshots.forTenant(tenantId).find({ _id: { $in: snapshotIds } } as never) : []).map((s) => [
      s._id,
      s,
    ]),
  );
  const citedIds = evidence.filter((e) => e.kind === "ENTITY").map((e) => e.ref!);
  const shownIds = [...snapshots.values()].flatMap((s) => s.entityIds);
  const relIds = evidence.flatMap((e) => (e.relationship ? [e.relationship.fromId, e.relationship.toId] : []));
  // Through the evidence lookup the validator uses: live entities and relationships only, with their properties.
  const entities = new Map<string, EntityFacts>();
  const markings: TlpMarking[] = [];
  for (const [id, f] of await lookup.entities(scope, [...new Set([...citedIds, ...shownIds, ...relIds])]))
    if (f.status === "live" && f.kind) {
      entities.set(id, { kind: f.kind, properties: f.properties ?? {} });
      markings.push(f.marking ?? DEFAULT_ENTITY_MARKING);
    }
  const cited = evidence.flatMap((e) =>
    e.relationship ? [{ kind: "RELATIONSHIP" as const, ref: null, relationship: e.relationship }] : [],
  );
  const rels = new Map<string, Record<string, unknown>>();
  for (const [key, f] of await lookup.resolve(scope, cited))
    if (f.status === "live") {
      rels.set(key.slice("RELATIONSHIP:".length), f.properties ?? {});
      markings.push(f.marking ?? DEFAULT_ENTITY_MARKING);
    }
  // What the cited evidence was marked when it was cited counts too (it may have been lowered since, or purged).
  for (const e of evidence) if (e.marking) markings.push(e.marking);
  const jobIds = evidence.filter((e) => e.kind === "INGEST_JOB").map((e) => e.ref!);
  const jobs = new Map(
    (jobIds.length ? await deps.store.jobs.forTenant(tenantId).find({ _id: { $in: jobIds } } as never) : []).map((j) => [j._id, j]),
  );

  const provenance: ProvenanceRow[] = [];
  const findings = version.findings.map((f, fi) => ({
    number: fi + 1,
    title: f.title,
    body: f.body,
    evidence: f.evidence.map((e, ei): DocEvidence => {
      const key = `E${fi + 1}.${ei + 1}`;
      const snap = e.kind === "QUERY_SNAPSHOT" ? snapshots.get(e.ref!) : undefined;
      const p =
        e.kind === "ENTITY"
          ? entities.get(e.ref!)?.properties
          : e.relationship
            ? rels.get(`${e.relationship.fromId}-${e.relationship.type}->${e.relationship.toId}`)
            : undefined;
      const job = e.kind === "INGEST_JOB" ? jobs.get(e.ref!) : undefined;
      provenance.push({
        key,
        kind: e.kind,
        label: e.label,
        source: str(p?.["source"]) ?? job?.source ?? (snap ? "question" : null),
        ingestJobs: p ? list(p["ingestJobIds"] ?? p["jobId"]) : job ? [job._id] : [],
        recordHash: str(p?.["recordHash"]) ?? job?.sha256 ?? snap?.resultHash ?? null,
        firstSeen: fmt.date(str(p?.["firstSeen"]) ?? (job?.createdAt ?? snap?.capturedAt)?.toISOString() ?? null) || null,
        lastSeen: fmt.date(str(p?.["lastSeen"]) ?? (job?.finishedAt ?? snap?.capturedAt)?.toISOString() ?? null) || null,
      });
      return {
        key,
        kind: e.kind,
        label: e.label,
        note: e.note,
        score: e.kind === "ENTITY" && typeof p?.["score"] === "number" ? p["score"] : null,
        annotations: version.annotations
          .filter((a) => a.findingId === f.id && a.evidenceId === e.id)
          .map((a) => (a.highlight ? `${a.text} (on ${a.highlight})` : a.text)),
        snapshot: snap
          ? {
              question: snap.question,
              cypher: snap.cypher,
              columns: snap.columns,
              rows: snap.rows.map((r) => snap.columns.map((c) => fmt.cell(r[c]))),
              truncated: snap.truncated,
              resultHash: snap.resultHash,
              capturedAt: fmt.date(snap.capturedAt.toISOString()),
            }
          : null,
      };
    }),
  }));
  const document: ExportDocument = {
    title: version.title,
    reportId: version.reportId,
    version: version.version,
    publishedAt: fmt.date(version.publishedAt.toISOString()),
    publishedBy: version.publishedBy,
    forced: version.forced,
    justification: version.justification,
    generatedAt: fmt.date(input.generatedAt.toISOString()),
    locale: input.locale,
    residency: input.residency,
    marking: highestMarking(markings),
    withheld: input.withheld,
    branding: input.branding,
    sections: version.sections.map((s, i) => ({ number: i + 1, title: s.title, body: s.body })),
    findings,
    provenance,
  };
  const facts = [...entities.values()];
  const subjects: Subjects = {
    personNames: facts.filter((e) => e.kind === "Person").flatMap((e) => list(e.properties["name"])),
    values: (property) => facts.flatMap((e) => list(e.properties[property])),
  };
  return { document, subjects };
}
