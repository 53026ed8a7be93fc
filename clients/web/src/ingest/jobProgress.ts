/** How far an ingest job is, from the progress it reports on every checkpoint. */
import type { JobProgressFragment } from "../api/generated/graphql.ts";

const ENDED = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

/** How far the job is, 0…1: bytes read of the file, and a finished job is whole. */
export function jobFraction(job: Pick<JobProgressFragment, "state" | "progress">): number | null {
  if (job.state === "SUCCEEDED") return 1;
  return job.progress.fraction ?? null;
}

/** A job that has ended (succeeded, failed or was cancelled) has no ETA and takes no more progress. */
export const isJobEnded = (job: Pick<JobProgressFragment, "state">) => ENDED.has(job.state);

/** A job that is queued or running, and can be cancelled. */
export const isJobActive = (job: Pick<JobProgressFragment, "state">) => job.state === "RUNNING" || job.state === "QUEUED";
