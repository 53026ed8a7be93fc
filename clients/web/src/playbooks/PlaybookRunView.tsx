import { createQuery, createSubscription } from "@urql/solid";
import { createEffect, createSignal, For, onCleanup, Show } from "solid-js";
import { PlaybookRunDocument, PlaybookRunUpdatedDocument, type PlaybookRunFieldsFragment } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { formatTimestamp } from "../lib/format.ts";
import { hrefFor } from "../lib/route.ts";
import { RunExportButtons } from "./RunExportButtons.tsx";
import { runProgress } from "./runProgress.ts";
import { StepRunCard } from "./StepRunCard.tsx";

const ended = (run: PlaybookRunFieldsFragment) => run.status === "SUCCEEDED" || run.status === "FAILED";
/** The query's re-check while a run is going on, in case an update fell between the query and the subscription. */
const RECHECK_MS = 10_000;

/** One run, live: `playbookRunUpdated` sends the run on every step change until it ends. */
export function PlaybookRunView(props: { id: string }) {
  const [initial, refetch] = createQuery({ query: PlaybookRunDocument, variables: { id: props.id }, requestPolicy: "network-only" });
  const [live, resubscribe] = createSubscription({ query: PlaybookRunUpdatedDocument, variables: { runId: props.id } });
  const [latest, setLatest] = createSignal<PlaybookRunFieldsFragment | null>(null);
  // The query and the subscription can answer in either order: a later state never gives way to an earlier one.
  const take = (run: PlaybookRunFieldsFragment) => {
    const current = latest();
    if (!current || runProgress(run) >= runProgress(current)) setLatest(run);
  };
  createEffect(() => {
    const fromQuery = initial.data?.playbookRun;
    if (fromQuery) take(fromQuery);
  });
  const timer = setInterval(() => {
    const current = latest();
    if (current && !ended(current)) refetch({ requestPolicy: "network-only" });
  }, RECHECK_MS);
  onCleanup(() => clearInterval(timer));
  createEffect(() => {
    const event = live.data?.playbookRunUpdated;
    if (event) take(event);
  });

  return (
    <section class="screen" aria-labelledby="run-title">
      <Show
        when={!initial.error || latest()}
        fallback={<ErrorPanel error={initial.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      >
        <Show
          when={initial.data?.playbookRun !== null || latest()}
          fallback={
            <ErrorPanel
              error={{ graphQLErrors: [{ message: `No playbook run ${props.id} that you may view.`, extensions: { code: "NOT_FOUND" } }] }}
              title="Not found."
            />
          }
        >
          <Show when={latest()} fallback={<SkeletonRows rows={8} label="Loading the run" />}>
            {(run) => (
              <>
                <p>
                  <Link href={hrefFor({ name: "playbook", id: run().playbookId })}>← The playbook</Link>
                </p>
                <h1 id="run-title">
                  Run of version {run().version}{" "}
                  <span data-testid="run-status">
                    <StateBadge state={run().status} />
                  </span>
                </h1>
                <p class="muted">
                  {run().trigger.toLowerCase().replace("_", " ")} · requested by <code>{run().requestedBy}</code> · queued{" "}
                  {formatTimestamp(run().queuedAt)} · started {formatTimestamp(run().startedAt)} · finished{" "}
                  {formatTimestamp(run().finishedAt)}
                  {run().scheduledFor ? ` · slot ${formatTimestamp(run().scheduledFor)}` : ""}
                </p>
                <p class="muted">
                  Parameters: <code data-testid="run-parameters">{JSON.stringify(run().parameters)}</code>
                </p>
                <Show when={run().error}>
                  <p class="field-problem" role="alert" data-testid="run-error">
                    <code>{run().errorCode ?? "ERROR"}</code> {run().error}
                  </p>
                </Show>
                <Show when={live.error && !ended(run())}>
                  <div class="notice">
                    The live view stopped; the run goes on.{" "}
                    <button type="button" class="small" onClick={() => resubscribe()}>
                      Reconnect
                    </button>
                  </div>
                </Show>
                <Show when={run().reportId}>
                  {(reportId) => (
                    <p>
                      <Link href={hrefFor({ name: "report", id: reportId() })}>Open the report this run made</Link>
                    </p>
                  )}
                </Show>
                <RunExportButtons runId={run().id} hasReport={Boolean(run().reportId)} finished={ended(run())} />
                <ol class="rows" aria-label="Steps">
                  <For each={run().steps}>{(step, i) => <StepRunCard step={step} index={i()} />}</For>
                </ol>
              </>
            )}
          </Show>
        </Show>
      </Show>
    </section>
  );
}
