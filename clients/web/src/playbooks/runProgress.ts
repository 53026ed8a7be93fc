/** How far a run has got, as a number that only grows: orders a query's answer against the subscription's. */
import type { PlaybookRunStatus, PlaybookStepStatus } from "../api/generated/graphql.ts";

const RUN_RANK: Record<PlaybookRunStatus, number> = { QUEUED: 0, RUNNING: 1, SUCCEEDED: 2, FAILED: 2 };
const STEP_RANK: Record<PlaybookStepStatus, number> = { PENDING: 0, RUNNING: 1, SUCCEEDED: 2, FAILED: 2, SKIPPED: 2 };

export function runProgress(run: {
  status: PlaybookRunStatus;
  steps: ReadonlyArray<{ status: PlaybookStepStatus; attempts: number }>;
}): number {
  const steps = run.steps.reduce((sum, s) => sum + STEP_RANK[s.status] * 100 + s.attempts, 0);
  return RUN_RANK[run.status] * 1_000_000 + steps;
}
