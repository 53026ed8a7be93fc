/**
 * One ingest job, streamed: read → parse → validate/map → write in batches →
 * checkpoint. At most `maxInFlight` batches are being written at once; the
 * reader waits for a free slot, so a slow database slows the reader and memory
 * stays flat. The checkpoint only moves over a contiguous run of finished
 * batches, with their counts, so a crash loses nothing and counts nothing twice:
 * the next attempt re-reads from the start, skips what the checkpoint covers
 * and re-applies at most `maxInFlight` batches, which merge into themselves.
 */
import { Transform } from "node:stream";
import type { Driver } from "neo4j-driver";
import { insertNew, type Logger } from "@intelgraph/kit";
import { RecordRefusedError, writeBatch, type BatchRecord, type EntityMention } from "./graphWriter.ts";
import { emptyTotals, type DeadLetterDoc, type IngestStore, type JobDoc, type JobTotals, type MergeDoc } from "./ingestStore.ts";
import { mappingSpecSchema } from "./mappingSpec.ts";
import { mapRecord, RecordError, splitRuleKey, type DeadLetterCode, type MappedRecord } from "./mapRecord.ts";
import { readRecords, type SourceRecord } from "./records.ts";
import { createStixMapper, type PendingRelationship } from "./stix.ts";

export interface PipelineOptions {
  batchSize: number;
  maxInFlight: number;
  /** Persists the checkpoint; returns the job as stored, or null when this worker lost it. */
  checkpoint(update: Partial<JobDoc>): Promise<JobDoc | null>;
  /** True once the job should stop (cancelled, or the worker is shutting down). */
  shouldStop(): boolean;
}

export interface PipelineDeps {
  store: IngestStore;
  driver: Driver;
  database: string;
  logger: Logger;
}

interface DeadRecord {
  index: number;
  line?: number;
  raw: string;
  code: DeadLetterCode;
  reason: string;
}

interface Batch {
  seq: number;
  end: number;
  bytes: number;
  read: number;
  skipped: number;
  records: BatchRecord[];
  raws: Map<number, SourceRecord>;
  dead: DeadRecord[];
}

export type PipelineOutcome = { state: "SUCCEEDED" } | { state: "STOPPED" } | { state: "LOST" };

/** Dead letters as new documents; inserted insert-only, so a replayed batch leaves a letter someone already fixed alone. */
const deadLetterDocs = (job: JobDoc, dead: DeadRecord[], now: Date): DeadLetterDoc[] =>
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

/**
 * One decision per entity and spelling: which record merged in, by which rule,
 * into whose entity. `seen` carries over between batches so a spelling
 * repeated across a big file is written once; the documents are inserted
 * insert-only, so the first decision for a spelling stands.
 */
export function mergeDocs(
  job: Pick<JobDoc, "_id" | "tenantId">,
  merged: EntityMention[],
  now: Date,
  seen: Set<string> = new Set(),
): MergeDoc[] {
  const docs: MergeDoc[] = [];
  for (const m of merged) {
    const id = `${m.id}:${Buffer.from(m.rawKey).toString("base64url").slice(0, 120)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    docs.push({
      _id: id,
      tenantId: job.tenantId,
      entityId: m.id,
      type: m.type,
      erKey: m.erKey,
      rawKey: m.rawKey,
      rule: m.keyRules.length ? m.keyRules.join(", ") : "exact-key",
      record: { jobId: job._id, index: m.recordIndex, hash: m.recordHash },
      mergedInto: m.createdBy ?? "",
      props: m.props,
      state: "MERGED",
      createdAt: now,
    });
  }
  return docs;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runPipeline(job: JobDoc, deps: PipelineDeps, options: PipelineOptions): Promise<PipelineOutcome> {
  const { store, logger } = deps;
  const tenantId = job.tenantId;
  const mapping = await store.mappings.forTenant(tenantId).findOne({ _id: job.mappingId });
  if (!mapping) throw new Error(`mapping ${job.mappingId} no longer exists`);
  const spec = mapping.spec ? mappingSpecSchema.parse(mapping.spec) : null;
  const undone = await store.merges.forTenant(tenantId).find({ state: "UNDONE" });
  const splits = new Map(undone.map((m) => [splitRuleKey(m.type, m.erKey, m.rawKey), m.undo!.splitEntityId]));
  const ctx = { tenantId, splits };
  const stix = job.format === "STIX" ? createStixMapper(ctx) : null;
  const writeCtx = { tenantId, jobId: job._id, source: job.source, seenAt: (job.startedAt ?? new Date()).toISOString() };
  const startAt = job.checkpoint.records;

  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const download = store.uploads.openDownloadStream(job._id as never);
  download.on("error", (error) => counter.destroy(error));
  download.pipe(counter);
  let csvHeader: string[] | undefined;
  const records = readRecords(job.format, counter, {
    ...(spec?.recordsPath ? { recordsPath: spec.recordsPath } : {}),
    onCsvHeader: (columns) => (csvHeader = columns),
  });

  // Contiguous completion: batches may finish out of order, the checkpoint may not.
  const totals: JobTotals = { ...emptyTotals(), ...job.totals };
  const done = new Map<number, { batch: Batch; counts: Partial<JobTotals> }>();
  let nextSeq = 0;
  let persisted = Promise.resolve();
  let lost = false;
  const latencies: number[] = [];
  const recordedMerges = new Set<string>();
  let failure: Error | undefined;

  const advance = () => {
    let moved: { end: number; bytes: number } | null = null;
    while (done.has(nextSeq)) {
      const { batch, counts } = done.get(nextSeq)!;
      done.delete(nextSeq++);
      for (const [k, v] of Object.entries(counts)) totals[k as keyof JobTotals] += v ?? 0;
      moved = { end: batch.end, bytes: batch.bytes };
    }
    if (!moved) return;
    const sorted = [...latencies].sort((a, b) => a - b);
    const update: Partial<JobDoc> = {
      checkpoint: { records: moved.end, bytes: moved.bytes },
      totals: { ...totals },
      batchLatencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? 0, batches: sorted.length },
      ...(csvHeader ? { csvHeader } : {}),
    };
    persisted = persisted.then(async () => {
      if (lost) return;
      if (!(await options.checkpoint(update))) lost = true;
    });
  };

  async function landRecords(batch: Batch): Promise<Partial<JobTotals>> {
    const started = performance.now();
    let result;
    const failedWrites: DeadRecord[] = [];
    let records = batch.records;
    try {
      result = records.length ? await writeBatch(deps.driver, deps.database, writeCtx, records) : null;
    } catch (error) {
      if (!isRecordLevel(error)) throw error;
      // One bad record must not sink the batch: write one at a time and dead-letter the ones the database refuses.
      logger.warn({ err: error, jobId: job._id }, "batch refused by Neo4j; isolating the bad records");
      result = { entitiesCreated: 0, merged: [] as EntityMention[], relationshipsWritten: 0 };
      const landed: BatchRecord[] = [];
      for (const record of records) {
        try {
          const one = await writeBatch(deps.driver, deps.database, writeCtx, [record]);
          result.entitiesCreated += one.entitiesCreated;
          result.merged.push(...one.merged);
          result.relationshipsWritten += one.relationshipsWritten;
          landed.push(record);
        } catch (single) {
          if (!isRecordLevel(single)) throw single;
          const source = batch.raws.get(record.index)!;
          failedWrites.push({
            index: record.index,
            ...(source.line ? { line: source.line } : {}),
            raw: source.raw,
            code: single instanceof RecordRefusedError ? single.code : "WRITE_FAILED",
            reason: `the graph refused it: ${(single as Error).message.slice(0, 300)}`,
          });
        }
      }
      records = landed;
    }
    latencies.push(performance.now() - started);
    if (latencies.length > 20_000) latencies.splice(0, 10_000);
    const now = new Date();
    const dead = [...batch.dead, ...failedWrites];
    await insertNew(store.raw.deadLetters, deadLetterDocs(job, dead, now));
    await insertNew(store.raw.merges, mergeDocs(job, result?.merged ?? [], now, recordedMerges));
    if (recordedMerges.size > 200_000) recordedMerges.clear();
    return {
      recordsRead: batch.read,
      recordsWritten: records.length,
      deadLettered: dead.length,
      skipped: batch.skipped,
      entitiesCreated: result?.entitiesCreated ?? 0,
      entitiesMerged: result?.merged.length ?? 0,
      relationshipsWritten: result?.relationshipsWritten ?? 0,
    };
  }

  const inflight = new Set<Promise<void>>();
  const dispatch = async (batch: Batch) => {
    while (inflight.size >= options.maxInFlight) await Promise.race(inflight);
    if (failure) return;
    const task = landRecords(batch)
      .then((counts) => {
        done.set(batch.seq, { batch, counts });
        advance();
      })
      .catch((error: Error) => {
        failure ??= error;
      })
      .finally(() => inflight.delete(task));
    inflight.add(task);
  };

  let seq = 0;
  const newBatch = (end: number): Batch => ({ seq: seq++, end, bytes, read: 0, skipped: 0, records: [], raws: new Map(), dead: [] });
  let batch = newBatch(startAt);
  const pending: PendingRelationship[] = [];
  const dead = (record: SourceRecord, code: DeadLetterCode, reason: string) =>
    batch.dead.push({ index: record.index, ...(record.line ? { line: record.line } : {}), raw: record.raw, code, reason });

  let stopped = false;
  try {
    for await (const record of records) {
      if (record.index < startAt) {
        // Before the checkpoint: done already. STIX still needs its ids and relationships for the end.
        if (stix && record.value) {
          if (record.value["type"] === "relationship") pending.push({ index: record.index, raw: record.raw, value: record.value });
          else stix.remember(record.raw, record.value, record.index);
        }
        continue;
      }
      batch.end = record.index + 1;
      batch.bytes = bytes;
      if (record.error) {
        batch.read++;
        dead(record, "PARSE_ERROR", record.error);
      } else {
        try {
          let mapped: MappedRecord | null = null;
          if (stix) {
            const outcome = stix.map(record.raw, record.value!, record.index);
            if (outcome.kind === "entity") mapped = outcome.mapped;
            else if (outcome.kind === "deferred") pending.push(outcome.relationship);
            else batch.skipped++;
            if (outcome.kind !== "deferred") batch.read++;
          } else {
            batch.read++;
            mapped = mapRecord(spec!, record.value!, record.raw, ctx);
          }
          if (mapped) {
            batch.records.push({ index: record.index, mapped });
            batch.raws.set(record.index, record);
          }
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          if (stix) batch.read++;
          dead(record, error.code, error.message);
        }
      }
      if (batch.records.length + batch.dead.length + batch.skipped >= options.batchSize) {
        await dispatch(batch);
        batch = newBatch(batch.end);
      }
      if (failure || lost) break;
      if (options.shouldStop()) {
        stopped = true;
        break;
      }
    }
  } finally {
    if (failure || lost || stopped) download.destroy();
  }
  if (!failure && !lost && !stopped && (batch.read || batch.dead.length || batch.skipped)) await dispatch(batch);
  await Promise.all(inflight);
  await persisted;
  if (failure) throw failure;
  if (lost) return { state: "LOST" };
  if (stopped) return { state: "STOPPED" };

  if (stix && pending.length) {
    // Relationships last, once every object they may point at is written. Re-run whole after a crash; it merges into itself.
    const relTotals: Partial<JobTotals>[] = [];
    for (let i = 0; i < pending.length; i += options.batchSize) {
      const rels: Batch = { seq: -1, end: batch.end, bytes, read: 0, skipped: 0, records: [], raws: new Map(), dead: [] };
      for (const relationship of pending.slice(i, i + options.batchSize)) {
        rels.read++;
        const source: SourceRecord = { index: relationship.index, raw: relationship.raw, value: relationship.value };
        try {
          rels.records.push({ index: relationship.index, mapped: stix.resolve(relationship) });
          rels.raws.set(relationship.index, source);
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          rels.dead.push({ index: relationship.index, raw: relationship.raw, code: error.code, reason: error.message });
        }
      }
      relTotals.push(await landRecords(rels));
      if (options.shouldStop()) return { state: "STOPPED" };
    }
    for (const counts of relTotals) for (const [k, v] of Object.entries(counts)) totals[k as keyof JobTotals] += v ?? 0;
    if (!(await options.checkpoint({ totals: { ...totals } }))) return { state: "LOST" };
  }
  return { state: "SUCCEEDED" };
}

/** Errors about the data (a constraint, a property type) rather than the database being unwell. */
function isRecordLevel(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? "";
  return error instanceof RecordRefusedError || code.startsWith("Neo.ClientError.Schema") || code.startsWith("Neo.ClientError.Statement");
}
