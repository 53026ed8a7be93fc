/**
 * Contiguous completion: batches may finish out of order, the checkpoint may
 * not. A batch's counts join the job's totals, and the checkpoint moves, only
 * once every batch before it has landed too; updates are persisted one after
 * another, and the first one the store refuses marks the job lost.
 */
import { emptyTotals, type JobDoc, type JobTotals } from "./ingestStore.ts";
import type { PipelineOptions } from "./pipeline.ts";

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function addCounts(totals: JobTotals, counts: Partial<JobTotals>): void {
  for (const [k, v] of Object.entries(counts)) totals[k as keyof JobTotals] += v ?? 0;
}

export function createCheckpoints(
  job: JobDoc,
  options: {
    checkpoint: PipelineOptions["checkpoint"];
    /** Batch latencies so far (ms), summarised in each checkpoint. */
    latencies: readonly number[];
    /** The CSV header once read; stored so dead letters can be replayed. */
    csvHeader: () => string[] | undefined;
  },
) {
  const totals: JobTotals = { ...emptyTotals(), ...job.totals };
  const done = new Map<number, { end: number; bytes: number; counts: Partial<JobTotals> }>();
  let nextSeq = 0;
  let persisted = Promise.resolve();
  let lost = false;

  function advance() {
    let moved: { end: number; bytes: number } | null = null;
    while (done.has(nextSeq)) {
      const { end, bytes, counts } = done.get(nextSeq)!;
      done.delete(nextSeq++);
      addCounts(totals, counts);
      moved = { end, bytes };
    }
    if (!moved) return;
    const sorted = [...options.latencies].sort((a, b) => a - b);
    const csvHeader = options.csvHeader();
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
  }

  return {
    /** The job's totals: what it had, plus every batch counted so far. */
    totals,
    /** A batch landed with these counts. */
    landed(batch: { seq: number; end: number; bytes: number }, counts: Partial<JobTotals>) {
      done.set(batch.seq, { end: batch.end, bytes: batch.bytes, counts });
      advance();
    },
    /** True once the store refused a checkpoint: another worker owns the job now. */
    lost: () => lost,
    /** Resolves once every checkpoint so far is persisted. */
    persisted: () => persisted,
  };
}
