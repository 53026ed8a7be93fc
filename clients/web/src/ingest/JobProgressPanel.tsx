import { createMemo, Show } from "solid-js";
import type { JobProgressFragment } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { formatPercent } from "../lib/format.ts";
import { JobActions } from "./JobActions.tsx";
import { jobFraction } from "./jobProgress.ts";
import { JobStats } from "./JobStats.tsx";
import { JobTotals } from "./JobTotals.tsx";

/** The job's progress bar, figures and totals, why it failed, and what can be done with it. */
export function JobProgressPanel(props: {
  jobId: string;
  job: JobProgressFragment;
  /** Why the live progress subscription ended, if it did. */
  liveError: unknown;
  onResubscribe: () => void;
  onRetried: (job: JobProgressFragment) => void;
}) {
  const fraction = createMemo(() => jobFraction(props.job));
  const percent = () => Math.floor((fraction() ?? 0) * 100);

  return (
    <section class="panel" aria-labelledby="progress-title">
      <h2 id="progress-title">Progress</h2>
      <div
        class="progress"
        role="progressbar"
        aria-label="Ingest progress"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow={percent()}
        aria-valuetext={formatPercent(fraction())}
      >
        <div class="progress-fill" style={{ width: `${percent()}%` }} data-state={props.job.state} />
      </div>
      <JobStats job={props.job} fraction={fraction()} />
      <JobTotals totals={props.job.totals} />
      <Show when={props.liveError}>
        {(error) => <ErrorPanel error={error()} title="Live progress stopped." onRetry={() => props.onResubscribe()} />}
      </Show>
      <Show when={props.job.error}>
        <p class="field-problem" role="alert">
          The job failed: {props.job.error}
        </p>
      </Show>
      <JobActions jobId={props.jobId} job={props.job} onRetried={props.onRetried} />
    </section>
  );
}
