import type { JobDoc } from "./ingestStore.ts";

/** How far a job has come, how fast, and how long it may still take. */
export interface JobProgress {
  recordsDone: number;
  bytesRead: number;
  bytesTotal: number | null;
  /** Of the file read, 0–1; exactly 1 only once the job succeeded. */
  fraction: number | null;
  ratePerSecond: number | null;
  etaSeconds: number | null;
  resumedFrom: number;
}

/**
 * A job's progress at `now` (ms since the epoch): the rate counts only this
 * attempt's records, and the ETA comes from the bytes read so far.
 */
export function jobProgress(job: JobDoc, now: number): JobProgress {
  const elapsed = job.startedAt
    ? ((job.finishedAt ? new Date(job.finishedAt).getTime() : now) - new Date(job.startedAt).getTime()) / 1000
    : 0;
  const doneThisAttempt = job.checkpoint.records - (job.resumedFrom ?? 0);
  const rate = elapsed > 0 && doneThisAttempt > 0 ? doneThisAttempt / elapsed : null;
  const finished = job.state === "SUCCEEDED";
  // Bytes read run ahead of records written by the reader's buffer (64 KiB); near the end only "done" is exact.
  const fraction = job.bytesTotal ? Math.min(0.99, job.checkpoint.bytes / job.bytesTotal) : null;
  const eta = finished ? 0 : fraction && fraction > 0 && fraction < 0.99 && elapsed > 0 ? (elapsed * (1 - fraction)) / fraction : null;
  return {
    recordsDone: job.checkpoint.records,
    bytesRead: job.checkpoint.bytes,
    bytesTotal: job.bytesTotal ?? null,
    fraction: finished ? 1 : fraction,
    ratePerSecond: rate,
    etaSeconds: eta,
    resumedFrom: job.resumedFrom ?? 0,
  };
}
