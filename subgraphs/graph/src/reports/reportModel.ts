/**
 * What a report is made of, as stored: a draft (title, sections, findings
 * with evidence, annotations) that changes with a revision counter, and
 * published versions that never change. Inputs are validated here; ids of
 * sections, findings and evidence are the service's, kept across edits so
 * annotations and cross-references stay attached.
 */
import { z } from "zod";
import type { TlpMarking } from "@intelgraph/kit";

export const EVIDENCE_KINDS = ["ENTITY", "RELATIONSHIP", "QUERY_SNAPSHOT", "INGEST_JOB", "AUDIT_EVENT"] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

const id = z.string().trim().min(1).max(100);
const text = (max: number) => z.string().max(max, `at most ${max} characters`);
const relationshipShape = z.object({
  fromId: id,
  type: z.string().regex(/^[A-Z][A-Z0-9_]{0,59}$/, "a relationship type such as MEMBER_OF"),
  toId: id,
});

export const evidenceInput = z
  .object({
    id: id.nullish(),
    kind: z.enum(EVIDENCE_KINDS),
    ref: id.nullish(),
    relationship: relationshipShape.nullish(),
    note: text(2000).nullish(),
  })
  .superRefine((e, ctx) => {
    // Evidence already in the draft is named by its id alone (reportDrafts.ts keeps what it cites).
    if (e.id) return;
    if (e.kind === "RELATIONSHIP" && !e.relationship)
      ctx.addIssue({ code: "custom", path: ["relationship"], message: "a RELATIONSHIP cites { fromId, type, toId }" });
    if (e.kind !== "RELATIONSHIP" && !e.ref) ctx.addIssue({ code: "custom", path: ["ref"], message: `a ${e.kind} cites its id as ref` });
  });

const sectionInput = z.object({ id: id.nullish(), title: text(200).trim().min(1, "a section needs a title"), body: text(20_000) });
export const findingInput = z.object({
  id: id.nullish(),
  title: text(200).trim().min(1, "a finding needs a title"),
  body: text(20_000),
  evidence: z.array(evidenceInput).max(50, "at most 50 pieces of evidence per finding"),
});

const title = text(200).trim().min(3, "a title of at least 3 characters");
export const createReportInput = z.object({
  title,
  sections: z.array(sectionInput).max(50).nullish(),
  findings: z.array(findingInput).max(100).nullish(),
});
export const draftInput = z.object({
  title,
  sections: z.array(sectionInput).max(50, "at most 50 sections"),
  findings: z.array(findingInput).max(100, "at most 100 findings"),
});
export const annotateInput = z.object({
  reportId: id,
  findingId: id,
  evidenceId: id,
  text: text(2000).trim().min(1, "say something"),
  highlight: text(500).nullish(),
});
export const publishInput = z.object({
  reportId: id,
  expectedRevision: z.number().int().nullish(),
  force: z.boolean().nullish(),
  justification: text(2000).trim().nullish(),
});

export interface CitedRelationship {
  fromId: string;
  type: string;
  toId: string;
}

export interface Evidence {
  id: string;
  kind: EvidenceKind;
  ref: string | null;
  relationship: CitedRelationship | null;
  /** How the cited thing read when it was cited. */
  label: string;
  note: string | null;
  /** An entity's or relationship's marking when it was cited (readers above it see the evidence redacted). */
  marking?: TlpMarking;
}

export interface Section {
  id: string;
  title: string;
  body: string;
}

export interface Finding {
  id: string;
  title: string;
  body: string;
  evidence: Evidence[];
}

export interface Annotation {
  id: string;
  findingId: string;
  evidenceId: string;
  text: string;
  highlight: string | null;
  author: string;
  at: Date;
}

export interface BrokenLink {
  location: string;
  findingId: string | null;
  sectionId: string | null;
  evidenceId: string | null;
  kind: EvidenceKind | "CROSS_REFERENCE";
  ref: string | null;
  reason: string;
  fix: string;
}

export interface ReportContent {
  title: string;
  sections: Section[];
  findings: Finding[];
  annotations: Annotation[];
}

export interface ReportDoc extends ReportContent {
  _id: string;
  tenantId: string;
  revision: number;
  latestVersion: number | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReportVersionDoc extends ReportContent {
  /** `<reportId>:v<version>` */
  _id: string;
  tenantId: string;
  reportId: string;
  version: number;
  publishedBy: string;
  publishedAt: Date;
  forced: boolean;
  justification: string | null;
  brokenAtPublish: BrokenLink[];
}

export interface QuerySnapshotDoc {
  _id: string;
  tenantId: string;
  question: string;
  interpretation: string | null;
  cypher: string;
  parameters: Record<string, unknown>;
  columns: string[];
  rows: Array<Record<string, unknown>>;
  truncated: boolean;
  resultHash: string;
  entityIds: string[];
  capturedBy: string;
  capturedAt: Date;
}

export const versionId = (reportId: string, version: number) => `${reportId}:v${version}`;
