/**
 * Lands one batch in the graph: written in one transaction, or — when the
 * database refuses something in it — one record at a time, so one bad record
 * is dead-lettered instead of sinking the batch. Its dead letters and merge
 * decisions are stored with it.
 */
import { insertNew, type Clock } from "@intelgraph/kit";
import {
  RecordRefusedError,
  writeBatch,
  type BatchRecord,
  type BatchResult,
  type EntityMention,
  type WriteContext,
} from "./graphWriter.ts";
import type { JobDoc, JobTotals } from "./ingestStore.ts";
import { mergeDocs } from "./mergeDecisions.ts";
import type { PipelineDeps } from "./pipeline.ts";
import { deadLetterDocs, type Batch, type DeadRecord } from "./pipelineBatch.ts";

/** Errors about the data (a constraint, a property type) rather than the database being unwell. */
function isRecordLevel(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? "";
  return error instanceof RecordRefusedError || code.startsWith("Neo.ClientError.Schema") || code.startsWith("Neo.ClientError.Statement");
}

export function createBatchLander(deps: PipelineDeps & { now: Clock }, job: JobDoc, writeCtx: WriteContext) {
  const { store, logger } = deps;
  /** Milliseconds per batch written, for the job's latency percentiles. */
  const latencies: number[] = [];
  const recordedMerges = new Set<string>();

  /** Writes one at a time; the records the database refuses come back as dead records. */
  async function isolate(batch: Batch) {
    const result: BatchResult = { entitiesCreated: 0, merged: [] as EntityMention[], relationshipsWritten: 0 };
    const landed: BatchRecord[] = [];
    const failedWrites: DeadRecord[] = [];
    for (const record of batch.records) {
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
    return { result, landed, failedWrites };
  }

  async function land(batch: Batch): Promise<Partial<JobTotals>> {
    const started = performance.now();
    let result: BatchResult | null;
    let failedWrites: DeadRecord[] = [];
    let records = batch.records;
    try {
      result = records.length ? await writeBatch(deps.driver, deps.database, writeCtx, records) : null;
    } catch (error) {
      if (!isRecordLevel(error)) throw error;
      logger.warn({ err: error, jobId: job._id }, "batch refused by Neo4j; isolating the bad records");
      const isolated = await isolate(batch);
      result = isolated.result;
      records = isolated.landed;
      failedWrites = isolated.failedWrites;
    }
    latencies.push(performance.now() - started);
    if (latencies.length > 20_000) latencies.splice(0, 10_000);
    const now = new Date(deps.now());
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

  return { land, latencies };
}

export type BatchLander = ReturnType<typeof createBatchLander>;
