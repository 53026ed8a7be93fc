/**
 * A batch of a running ingest job: the records it will write, the ones that
 * went to the dead-letter store, and where in the source it ends.
 */
import type { BatchRecord } from "./graphWriter.ts";
import type { DeadLetterDoc, JobDoc } from "./ingestStore.ts";
import type { MappingSpec } from "./mappingSpec.ts";
import { mapRecord, RecordError, type DeadLetterCode, type MapContext, type MappedRecord } from "./mapRecord.ts";
import type { SourceRecord } from "./records.ts";
import { isDeferredStixObject, type PendingRelationship, type StixMapper } from "./stix.ts";

export interface DeadRecord {
  index: number;
  line?: number;
  raw: string;
  code: DeadLetterCode;
  reason: string;
}

export interface Batch {
  seq: number;
  /** The index after the batch's last record: the checkpoint once it and every batch before it landed. */
  end: number;
  /** Bytes read from the source when the batch closed. */
  bytes: number;
  read: number;
  skipped: number;
  records: BatchRecord[];
  raws: Map<number, SourceRecord>;
  dead: DeadRecord[];
}

export const emptyBatch = (seq: number, end: number, bytes: number): Batch => ({
  seq,
  end,
  bytes,
  read: 0,
  skipped: 0,
  records: [],
  raws: new Map(),
  dead: [],
});

/** Dead letters as new documents; inserted insert-only, so a replayed batch leaves a letter someone already fixed alone. */
export const deadLetterDocs = (job: JobDoc, dead: DeadRecord[], now: Date): DeadLetterDoc[] =>
  dead.map((d) => ({
    _id: `${job._id}:${d.index}`,
    tenantId: job.tenantId,
    jobId: job._id,
    recordIndex: d.index,
    ...(d.line ? { line: d.line } : {}),
    raw: d.raw,
    reason: d.reason,
    code: d.code,
    state: "OPEN" as const,
    createdAt: now,
    updatedAt: now,
    attempts: 0,
  }));

export interface RecordMapper {
  /** The job's spec (CSV, JSON, NDJSON) or null for STIX. */
  spec: MappingSpec | null;
  stix: StixMapper | null;
  ctx: MapContext;
  /** STIX relationships, written once every object they may point at is. */
  pending: PendingRelationship[];
}

/** Maps one source record into the batch: to write, skipped, deferred (a STIX relationship) or dead-lettered. */
export function addRecord(batch: Batch, record: SourceRecord, mapper: RecordMapper): void {
  const dead = (code: DeadLetterCode, reason: string) =>
    batch.dead.push({ index: record.index, ...(record.line ? { line: record.line } : {}), raw: record.raw, code, reason });
  if (record.error) {
    batch.read++;
    dead("PARSE_ERROR", record.error);
    return;
  }
  const { stix } = mapper;
  try {
    let mapped: MappedRecord | null = null;
    if (stix) {
      const outcome = stix.map(record.raw, record.value!, record.index);
      if (outcome.kind === "entity") mapped = outcome.mapped;
      else if (outcome.kind === "deferred") mapper.pending.push(outcome.relationship);
      else batch.skipped++;
      if (outcome.kind !== "deferred") batch.read++;
    } else {
      batch.read++;
      mapped = mapRecord(mapper.spec!, record.value!, record.raw, mapper.ctx);
    }
    if (mapped) {
      batch.records.push({ index: record.index, mapped });
      batch.raws.set(record.index, record);
    }
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    if (stix) batch.read++;
    dead(error.code, error.message);
  }
}

/** A record before the checkpoint is done already; STIX still needs its ids, relationships and reports for the end. */
export function rememberDone(record: SourceRecord, mapper: RecordMapper): void {
  if (!mapper.stix || !record.value) return;
  if (isDeferredStixObject(record.value)) mapper.pending.push({ index: record.index, raw: record.raw, value: record.value });
  else mapper.stix.remember(record.raw, record.value, record.index);
}
