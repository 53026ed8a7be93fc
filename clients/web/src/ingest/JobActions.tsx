import { createMutation } from "@urql/solid";
import { Show } from "solid-js";
import { CancelIngestJobDocument, RetryIngestJobDocument, type JobProgressFragment } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { isJobActive } from "./jobProgress.ts";

/** Cancel a queued or running job, retry a failed one; `onRetried` gets the job as the retry left it. */
export function JobActions(props: { jobId: string; job: JobProgressFragment; onRetried: (job: JobProgressFragment) => void }) {
  const [cancelState, cancel] = createMutation(CancelIngestJobDocument);
  const [retryState, retry] = createMutation(RetryIngestJobDocument);
  const doRetry = async () => {
    const result = await retry({ id: props.jobId });
    if (result.data) props.onRetried(result.data.retryIngestJob);
  };

  return (
    <>
      <div class="actions">
        <Show when={isJobActive(props.job)}>
          <button
            type="button"
            disabled={cancelState.fetching || props.job.cancelRequested}
            onClick={() => void cancel({ id: props.jobId })}
          >
            {props.job.cancelRequested ? "Cancelling…" : "Cancel job"}
          </button>
        </Show>
        <Show when={props.job.state === "FAILED"}>
          <button type="button" class="primary" disabled={retryState.fetching} onClick={() => void doRetry()}>
            Retry job
          </button>
        </Show>
      </div>
      <Show when={cancelState.error ?? retryState.error}>{(error) => <ErrorPanel error={error()} />}</Show>
    </>
  );
}
