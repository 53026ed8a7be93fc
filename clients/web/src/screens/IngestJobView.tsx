import { createQuery, createSubscription } from "@urql/solid";
import { createEffect, createSignal, Show } from "solid-js";
import { IngestJobDocument, IngestProgressDocument, type JobProgressFragment } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { DeadLetterList } from "../ingest/DeadLetterList.tsx";
import { JobProgressPanel } from "../ingest/JobProgressPanel.tsx";
import { formatCount, formatTimestamp } from "../lib/format.ts";

/** One ingest job, live: the subscription sends the job on every checkpoint and state change until it ends. */
export function IngestJobView(props: { jobId: string }) {
  const [initial, refetchInitial] = createQuery({ query: IngestJobDocument, variables: { id: props.jobId } });
  const [live, resubscribe] = createSubscription({ query: IngestProgressDocument, variables: { jobId: props.jobId } });
  const [latest, setLatest] = createSignal<JobProgressFragment | null>(null);
  createEffect(() => {
    const fromQuery = initial.data?.ingestJob;
    if (fromQuery && !latest()) setLatest(fromQuery);
  });
  createEffect(() => {
    const event = live.data?.ingestProgress;
    if (event) setLatest(event);
  });
  const retried = (job: JobProgressFragment) => {
    setLatest(job);
    resubscribe();
  };

  return (
    <section class="screen" aria-labelledby="job-title">
      <Show
        when={!initial.error || latest()}
        fallback={<ErrorPanel error={initial.error} onRetry={() => refetchInitial({ requestPolicy: "network-only" })} />}
      >
        <Show
          when={initial.data?.ingestJob !== null}
          fallback={
            <ErrorPanel
              error={{ graphQLErrors: [{ message: `No ingest job ${props.jobId} in your tenant.`, extensions: { code: "NOT_FOUND" } }] }}
            />
          }
        >
          <Show when={latest()} fallback={<SkeletonRows rows={8} label="Loading the job" />}>
            {(j) => (
              <>
                <h1 id="job-title">
                  {j().source} <StateBadge state={j().state} />
                </h1>
                <p class="muted">
                  {j().format} · mapping {j().mappingName} v{j().mappingVersion} · started {formatTimestamp(j().startedAt ?? j().createdAt)}
                  {j().attempts > 1 ? ` · attempt ${j().attempts}, resumed at record ${formatCount(j().progress.resumedFrom)}` : ""}
                </p>
                <Show when={j().approvalOverride}>{(o) => <p class="notice">Started without approval: “{o().reason}”</p>}</Show>

                <JobProgressPanel
                  jobId={props.jobId}
                  job={j()}
                  liveError={live.error}
                  onResubscribe={() => resubscribe()}
                  onRetried={retried}
                />

                <DeadLetterList jobId={props.jobId} count={j().totals.deadLettered} />
              </>
            )}
          </Show>
        </Show>
      </Show>
    </section>
  );
}
