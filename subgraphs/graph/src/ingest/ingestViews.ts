/** Ingest documents as the API shows them: ids as `id`, dates as ISO strings. */
import type { DeadLetterDoc, JobDoc, MergeDoc } from "./ingestStore.ts";
import type { JobProgress } from "./jobProgress.ts";
import type { MappingWithApproval } from "./mappingApprovals.ts";

const iso = (d: Date | undefined | null) => (d ? new Date(d).toISOString() : null);

export const jobView = (job: JobDoc, progress: JobProgress, upload: { method: string; path: string; expiresAt: Date } | null) => ({
  id: job._id,
  mappingId: job.mappingId,
  mappingName: job.mappingName,
  mappingVersion: job.mappingVersion,
  format: job.format,
  source: job.source,
  state: job.state,
  createdBy: job.createdBy,
  createdAt: iso(job.createdAt),
  startedAt: iso(job.startedAt),
  finishedAt: iso(job.finishedAt),
  attempts: job.attempts,
  cancelRequested: job.cancelRequested === true,
  totals: job.totals,
  progress,
  batchLatencyMs: job.batchLatencyMs ?? null,
  sha256: job.sha256 ?? null,
  error: job.error ?? null,
  approvalOverride: job.approvalOverride ?? null,
  upload,
  blocked: job.blocked ? { ...job.blocked, at: iso(job.blocked.at) } : null,
});

export const mappingView = (m: MappingWithApproval) => ({
  id: m._id,
  name: m.name,
  format: m.format,
  spec: m.spec,
  version: m.version,
  state: m.state,
  newTypes: m.newTypes,
  createdBy: m.createdBy,
  createdAt: iso(m.createdAt),
  updatedAt: iso(m.updatedAt),
  decision: m.decision ? { ...m.decision, at: iso(m.decision.at) } : null,
});

export const letterView = (d: DeadLetterDoc) => ({
  id: d._id,
  jobId: d.jobId,
  recordIndex: d.recordIndex,
  line: d.line ?? null,
  raw: d.raw,
  reason: d.reason,
  code: d.code,
  state: d.state,
  attempts: d.attempts,
  createdAt: iso(d.createdAt),
  updatedAt: iso(d.updatedAt),
});

export const mergeView = (m: MergeDoc) => ({
  id: m._id,
  entityId: m.entityId,
  type: m.type,
  key: m.erKey.replaceAll("\u001f", ", "),
  rawKey: m.rawKey,
  rule: m.rule,
  record: m.record,
  mergedIntoRecord: m.mergedInto,
  state: m.state,
  createdAt: iso(m.createdAt),
  undo: m.undo ? { ...m.undo, at: iso(m.undo.at) } : null,
});
