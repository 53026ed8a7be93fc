/**
 * Where ingest keeps its state in the MongoDB-wire store: mappings, the
 * tenant's approved types, jobs (with checkpoints and leases), dead letters,
 * merge decisions, and uploaded files (GridFS, streamed in 255 KiB chunks).
 * Request paths use the tenant-scoped repositories; only the worker's claim
 * looks across tenants, and it hands each job back to its tenant's scope.
 */
import { GridFSBucket, type Collection, type Db } from "mongodb";
import { createTenantRepository, type TenantDocument } from "@intelgraph/kit";
import type { SchemaTypeRef } from "./graphModel.ts";
import type { MappingSpec, SourceFormat } from "./mappingSpec.ts";
import type { DeadLetterCode } from "./mapRecord.ts";

export type MappingState = "PENDING_APPROVAL" | "APPROVED" | "REJECTED";

export interface MappingDoc extends TenantDocument {
  name: string;
  format: SourceFormat;
  /** Empty for STIX, whose mapping is built in. */
  spec: MappingSpec | null;
  version: number;
  state: MappingState;
  newTypes: SchemaTypeRef[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  decision?: { by: string; at: Date; reason: string };
}

export interface SchemaTypeDoc extends TenantDocument {
  kind: SchemaTypeRef["kind"];
  name: string;
  approvedBy: string;
  approvedAt: Date;
  mappingId: string;
}

export type JobState = "AWAITING_UPLOAD" | "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
export const TERMINAL_STATES: readonly JobState[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

export interface JobTotals {
  recordsRead: number;
  recordsWritten: number;
  deadLettered: number;
  skipped: number;
  entitiesCreated: number;
  entitiesMerged: number;
  relationshipsWritten: number;
}

export const emptyTotals = (): JobTotals => ({
  recordsRead: 0,
  recordsWritten: 0,
  deadLettered: 0,
  skipped: 0,
  entitiesCreated: 0,
  entitiesMerged: 0,
  relationshipsWritten: 0,
});

export interface JobDoc extends TenantDocument {
  mappingId: string;
  mappingVersion: number;
  mappingName: string;
  format: SourceFormat;
  /** A file name or a connector's name: the `source` stamped on what the job writes. */
  source: string;
  state: JobState;
  createdBy: string;
  createdAt: Date;
  uploadExpiresAt?: Date;
  uploadedAt?: Date;
  bytesTotal?: number;
  sha256?: string;
  startedAt?: Date;
  finishedAt?: Date;
  attempts: number;
  worker?: string;
  leaseUntil?: Date;
  cancelRequested?: boolean;
  /** Set while the job waits in the queue for its tenant's quota or budget (QUOTA_EXCEEDED / BUDGET_EXCEEDED); cleared when it runs again. */
  blocked?: { code: string; message: string; at: Date };
  /** Every record before `records` is written or dead-lettered, and counted in `totals`. */
  checkpoint: { records: number; bytes: number };
  totals: JobTotals;
  /** Records already done when the current attempt started (0 unless it resumed). */
  resumedFrom: number;
  csvHeader?: string[];
  error?: string;
  approvalOverride?: { by: string; reason: string };
  batchLatencyMs?: { p50: number; p95: number; max: number; batches: number };
  /** Held while one upload streams in, so two cannot interleave. */
  uploadLockUntil?: Date;
  updatedAt: Date;
}

export interface DeadLetterDoc extends TenantDocument {
  jobId: string;
  recordIndex: number;
  line?: number;
  raw: string;
  reason: string;
  code: DeadLetterCode;
  state: "OPEN" | "REPLAYED";
  createdAt: Date;
  updatedAt: Date;
  attempts: number;
  editedBy?: string;
}

export interface MergeDoc extends TenantDocument {
  entityId: string;
  type: string;
  erKey: string;
  /** The spelling that was merged in, as the record had it. */
  rawKey: string;
  rule: string;
  record: { jobId: string; index: number; hash: string };
  /** The record that created the entity it merged into. */
  mergedInto: string;
  props: Record<string, unknown>;
  state: "MERGED" | "UNDONE";
  createdAt: Date;
  undo?: { by: string; at: Date; reason: string; splitEntityId: string };
}

export function createIngestStore(db: Db) {
  const mappings = createTenantRepository<MappingDoc>(db, "ingest_mappings", {
    indexes: [{ key: { tenantId: 1, name: 1 }, unique: true, name: "tenant_name" }],
  });
  const schemaTypes = createTenantRepository<SchemaTypeDoc>(db, "graph_schema_types");
  const jobs = createTenantRepository<JobDoc>(db, "ingest_jobs", { indexes: [{ key: { tenantId: 1, createdAt: -1 } }] });
  const deadLetters = createTenantRepository<DeadLetterDoc>(db, "ingest_dead_letters", {
    indexes: [{ key: { tenantId: 1, jobId: 1, recordIndex: 1 } }],
  });
  const merges = createTenantRepository<MergeDoc>(db, "ingest_merges", { indexes: [{ key: { tenantId: 1, createdAt: -1 } }] });
  const uploads = new GridFSBucket(db, { bucketName: "ingest_uploads" });
  /** Unscoped: for the worker's claim across tenants and bulk writes it scopes itself. */
  const raw = {
    jobs: db.collection<JobDoc>("ingest_jobs") as Collection<JobDoc>,
    deadLetters: db.collection<DeadLetterDoc>("ingest_dead_letters") as Collection<DeadLetterDoc>,
    merges: db.collection<MergeDoc>("ingest_merges") as Collection<MergeDoc>,
  };
  return {
    mappings,
    schemaTypes,
    jobs,
    deadLetters,
    merges,
    uploads,
    raw,
    async ensureIndexes() {
      await Promise.all([mappings, schemaTypes, jobs, deadLetters, merges].map((r) => r.ensureIndexes()));
      await raw.jobs.createIndex({ state: 1, leaseUntil: 1 }, { name: "claim" });
    },
  };
}

export type IngestStore = ReturnType<typeof createIngestStore>;
