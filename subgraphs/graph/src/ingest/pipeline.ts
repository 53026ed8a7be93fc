/**
 * One ingest job, streamed: read → parse → validate/map → write in batches →
 * checkpoint. At most `maxInFlight` batches are being written at once; the
 * reader waits for a free slot, so a slow database slows the reader and memory
 * stays flat. The checkpoint only moves over a contiguous run of finished
 * batches, with their counts, so a crash loses nothing and counts nothing twice:
 * the next attempt re-reads from the start, skips what the checkpoint covers
 * and re-applies at most `maxInFlight` batches, which merge into themselves.
 *
 * The parts: a batch and how records join it (pipelineBatch.ts), landing a
 * batch (landBatch.ts), the checkpoint (checkpoints.ts) and STIX
 * relationships at the end (stixRelationships.ts).
 */
import { Transform } from "node:stream";
import type { Driver } from "neo4j-driver";
import { systemClock, type Clock, type Logger } from "@intelgraph/kit";
import { addCounts, createCheckpoints } from "./checkpoints.ts";
import type { IngestStore, JobDoc } from "./ingestStore.ts";
import { createBatchLander } from "./landBatch.ts";
import { mappingSpecSchema } from "./mappingSpec.ts";
import { splitRules } from "./mergeDecisions.ts";
import { addRecord, emptyBatch, rememberDone, type Batch, type RecordMapper } from "./pipelineBatch.ts";
import { readRecords } from "./records.ts";
import { createStixMapper } from "./stix.ts";
import { landStixRelationships } from "./stixRelationships.ts";

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
  /**
   * Timestamps of dead letters and merge decisions, and first/last seen when the job has no start time.
   * @default systemClock
   */
  now?: Clock;
}

export type PipelineOutcome = { state: "SUCCEEDED" } | { state: "STOPPED" } | { state: "LOST" };

/** The job's source file, streamed from the store, with a count of the bytes read so far. */
function openSource(store: IngestStore, job: JobDoc) {
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
  return { stream: counter, bytes: () => bytes, close: () => download.destroy() };
}

/** Runs batches, at most `maxInFlight` at once; the first failure stops further dispatch. */
function createDispatcher(maxInFlight: number, run: (batch: Batch) => Promise<void>) {
  const inflight = new Set<Promise<void>>();
  let failure: Error | undefined;
  return {
    async dispatch(batch: Batch) {
      while (inflight.size >= maxInFlight) await Promise.race(inflight);
      if (failure) return;
      const task = run(batch)
        .catch((error: Error) => {
          failure ??= error;
        })
        .finally(() => inflight.delete(task));
      inflight.add(task);
    },
    failure: () => failure,
    drained: () => Promise.all(inflight),
  };
}

export async function runPipeline(job: JobDoc, deps: PipelineDeps, options: PipelineOptions): Promise<PipelineOutcome> {
  const { store } = deps;
  const now = deps.now ?? systemClock;
  const tenantId = job.tenantId;
  const mapping = await store.mappings.forTenant(tenantId).findOne({ _id: job.mappingId });
  if (!mapping) throw new Error(`mapping ${job.mappingId} no longer exists`);
  const ctx = { tenantId, splits: await splitRules(store, tenantId) };
  const mapper: RecordMapper = {
    spec: mapping.spec ? mappingSpecSchema.parse(mapping.spec) : null,
    stix: job.format === "STIX" ? createStixMapper(ctx) : null,
    ctx,
    pending: [],
  };
  const writeCtx = { tenantId, jobId: job._id, source: job.source, seenAt: (job.startedAt ?? new Date(now())).toISOString() };
  const startAt = job.checkpoint.records;

  const source = openSource(store, job);
  let csvHeader: string[] | undefined;
  const records = readRecords(job.format, source.stream, {
    ...(mapper.spec?.recordsPath ? { recordsPath: mapper.spec.recordsPath } : {}),
    onCsvHeader: (columns) => (csvHeader = columns),
  });
  const lander = createBatchLander({ ...deps, now }, job, writeCtx);
  const checkpoints = createCheckpoints(job, { checkpoint: options.checkpoint, latencies: lander.latencies, csvHeader: () => csvHeader });
  const batches = createDispatcher(options.maxInFlight, async (batch) => checkpoints.landed(batch, await lander.land(batch)));

  let seq = 0;
  let batch = emptyBatch(seq++, startAt, source.bytes());
  let stopped = false;
  try {
    for await (const record of records) {
      if (record.index < startAt) {
        rememberDone(record, mapper);
        continue;
      }
      batch.end = record.index + 1;
      batch.bytes = source.bytes();
      addRecord(batch, record, mapper);
      if (batch.records.length + batch.dead.length + batch.skipped >= options.batchSize) {
        await batches.dispatch(batch);
        batch = emptyBatch(seq++, batch.end, source.bytes());
      }
      if (batches.failure() || checkpoints.lost()) break;
      if (options.shouldStop()) {
        stopped = true;
        break;
      }
    }
  } finally {
    if (batches.failure() || checkpoints.lost() || stopped) source.close();
  }
  if (!batches.failure() && !checkpoints.lost() && !stopped && (batch.read || batch.dead.length || batch.skipped))
    await batches.dispatch(batch);
  await batches.drained();
  await checkpoints.persisted();
  const failure = batches.failure();
  if (failure) throw failure;
  if (checkpoints.lost()) return { state: "LOST" };
  if (stopped) return { state: "STOPPED" };

  if (mapper.stix && mapper.pending.length) {
    const relTotals = await landStixRelationships(mapper.pending, mapper.stix, {
      batchSize: options.batchSize,
      end: batch.end,
      bytes: source.bytes(),
      land: lander.land,
      shouldStop: options.shouldStop,
    });
    if (!relTotals) return { state: "STOPPED" };
    const { totals } = checkpoints;
    for (const counts of relTotals) addCounts(totals, counts);
    if (!(await options.checkpoint({ totals: { ...totals } }))) return { state: "LOST" };
  }
  return { state: "SUCCEEDED" };
}
