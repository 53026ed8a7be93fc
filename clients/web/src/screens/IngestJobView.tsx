import { createMutation, createQuery, createSubscription } from "@urql/solid";
import { createEffect, createMemo, createSignal, For, on, Show } from "solid-js";
import {
  CancelIngestJobDocument,
  DeadLettersDocument,
  EditDeadLetterDocument,
  IngestJobDocument,
  IngestProgressDocument,
  ReplayDeadLettersDocument,
  RetryIngestJobDocument,
  type JobProgressFragment,
} from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { formatBytes, formatCount, formatDuration, formatPercent, formatRate, formatTimestamp } from "../lib/format.ts";

const ENDED = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

/** How far the job is, 0…1: bytes read of the file, and a finished job is whole. */
export function jobFraction(job: JobProgressFragment): number | null {
  if (job.state === "SUCCEEDED") return 1;
  return job.progress.fraction ?? null;
}

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
  const job = () => latest();

  const [cancelState, cancel] = createMutation(CancelIngestJobDocument);
  const [retryState, retry] = createMutation(RetryIngestJobDocument);
  const doRetry = async () => {
    const result = await retry({ id: props.jobId });
    if (result.data) {
      setLatest(result.data.retryIngestJob);
      resubscribe();
    }
  };

  const fraction = createMemo(() => (job() ? jobFraction(job()!) : null));
  const percent = () => Math.floor((fraction() ?? 0) * 100);

  return (
    <section class="screen" aria-labelledby="job-title">
      <Show
        when={!initial.error || job()}
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
          <Show when={job()} fallback={<SkeletonRows rows={8} label="Loading the job" />}>
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
                    <div class="progress-fill" style={{ width: `${percent()}%` }} data-state={j().state} />
                  </div>
                  <dl class="stats">
                    <div>
                      <dt>Done</dt>
                      <dd data-testid="job-percent">{formatPercent(fraction())}</dd>
                    </div>
                    <div>
                      <dt>Rate</dt>
                      <dd data-testid="job-rate">{formatRate(j().progress.ratePerSecond)}</dd>
                    </div>
                    <div>
                      <dt>ETA</dt>
                      <dd data-testid="job-eta">{ENDED.has(j().state) ? "—" : formatDuration(j().progress.etaSeconds)}</dd>
                    </div>
                    <div>
                      <dt>Read</dt>
                      <dd>
                        {formatBytes(j().progress.bytesRead)} of {formatBytes(j().progress.bytesTotal)}
                      </dd>
                    </div>
                  </dl>
                  <dl class="stats totals" data-testid="job-totals">
                    <div>
                      <dt>Records read</dt>
                      <dd data-testid="total-recordsRead">{formatCount(j().totals.recordsRead)}</dd>
                    </div>
                    <div>
                      <dt>Written</dt>
                      <dd data-testid="total-recordsWritten">{formatCount(j().totals.recordsWritten)}</dd>
                    </div>
                    <div>
                      <dt>Dead-lettered</dt>
                      <dd data-testid="total-deadLettered">{formatCount(j().totals.deadLettered)}</dd>
                    </div>
                    <div>
                      <dt>Skipped</dt>
                      <dd>{formatCount(j().totals.skipped)}</dd>
                    </div>
                    <div>
                      <dt>Entities created</dt>
                      <dd>{formatCount(j().totals.entitiesCreated)}</dd>
                    </div>
                    <div>
                      <dt>Merged</dt>
                      <dd>{formatCount(j().totals.entitiesMerged)}</dd>
                    </div>
                    <div>
                      <dt>Relationships</dt>
                      <dd>{formatCount(j().totals.relationshipsWritten)}</dd>
                    </div>
                  </dl>
                  <Show when={live.error}>
                    {(error) => <ErrorPanel error={error()} title="Live progress stopped." onRetry={() => resubscribe()} />}
                  </Show>
                  <Show when={j().error}>
                    <p class="field-problem" role="alert">
                      The job failed: {j().error}
                    </p>
                  </Show>
                  <div class="actions">
                    <Show when={j().state === "RUNNING" || j().state === "QUEUED"}>
                      <button
                        type="button"
                        disabled={cancelState.fetching || j().cancelRequested}
                        onClick={() => void cancel({ id: props.jobId })}
                      >
                        {j().cancelRequested ? "Cancelling…" : "Cancel job"}
                      </button>
                    </Show>
                    <Show when={j().state === "FAILED"}>
                      <button type="button" class="primary" disabled={retryState.fetching} onClick={() => void doRetry()}>
                        Retry job
                      </button>
                    </Show>
                  </div>
                  <Show when={cancelState.error ?? retryState.error}>{(error) => <ErrorPanel error={error()} />}</Show>
                </section>

                <DeadLetterList jobId={props.jobId} count={j().totals.deadLettered} />
              </>
            )}
          </Show>
        </Show>
      </Show>
    </section>
  );
}

/** The job's dead letters with code and reason; open ones can be fixed and replayed. */
function DeadLetterList(props: { jobId: string; count: number }) {
  const [letters, refetch] = createQuery({ query: DeadLettersDocument, variables: () => ({ jobId: props.jobId, first: 50 }) });
  // New dead letters arrive with the progress events: fetch the list again when their number changes.
  createEffect(
    on(
      () => props.count,
      () => refetch({ requestPolicy: "network-only" }),
      { defer: true },
    ),
  );
  const [editing, setEditing] = createSignal<string | null>(null);
  const [draft, setDraft] = createSignal("");
  const [editState, edit] = createMutation(EditDeadLetterDocument);
  const [replayState, replay] = createMutation(ReplayDeadLettersDocument);
  const [replayed, setReplayed] = createSignal<string | null>(null);

  const replayIds = async (ids?: string[]) => {
    const result = await replay({ jobId: props.jobId, ...(ids ? { ids } : {}) });
    if (result.data) {
      const { replayed: ok, stillFailing } = result.data.replayDeadLetters;
      setReplayed(`${ok} replayed, ${stillFailing} still failing.`);
      refetch({ requestPolicy: "network-only" });
    }
  };
  const saveAndReplay = async (id: string) => {
    const result = await edit({ id, raw: draft() });
    if (result.data) {
      setEditing(null);
      await replayIds([id]);
    }
  };

  return (
    <section class="panel" aria-labelledby="dead-title">
      <h2 id="dead-title">Dead letters</h2>
      <Show
        when={!letters.error}
        fallback={<ErrorPanel error={letters.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      >
        <Show when={letters.data} fallback={<SkeletonRows rows={2} label="Loading dead letters" />}>
          {(data) => (
            <Show
              when={data().deadLetters.totalCount > 0}
              fallback={<p class="empty">No dead letters: every record landed or was skipped.</p>}
            >
              <p>
                {formatCount(data().deadLetters.totalCount)} record{data().deadLetters.totalCount === 1 ? "" : "s"} could not be ingested.{" "}
                <button type="button" disabled={replayState.fetching} onClick={() => void replayIds()}>
                  Replay all open
                </button>
              </p>
              <Show when={replayed()}>
                <p role="status">{replayed()}</p>
              </Show>
              <Show when={editState.error ?? replayState.error}>{(error) => <ErrorPanel error={error()} />}</Show>
              <ol class="dead-letters">
                <For each={data().deadLetters.nodes}>
                  {(letter) => (
                    <li class="dead-letter" data-testid="dead-letter">
                      <p>
                        <strong>Record {letter.recordIndex + 1}</strong>
                        {letter.line ? <span class="muted"> (line {letter.line})</span> : null} <code>{letter.code}</code>{" "}
                        <span class="reason">{letter.reason}</span> <StateBadge state={letter.state} />
                      </p>
                      <Show
                        when={editing() === letter.id}
                        fallback={
                          <>
                            <pre class="raw">{letter.raw}</pre>
                            <Show when={letter.state === "OPEN"}>
                              <button
                                type="button"
                                onClick={() => {
                                  setDraft(letter.raw);
                                  setEditing(letter.id);
                                }}
                              >
                                Fix and replay
                              </button>
                            </Show>
                          </>
                        }
                      >
                        <label>
                          Raw record
                          <textarea rows={3} value={draft()} spellcheck={false} onInput={(e) => setDraft(e.currentTarget.value)} />
                        </label>
                        <div class="actions">
                          <button type="button" class="primary" onClick={() => void saveAndReplay(letter.id)}>
                            Save and replay
                          </button>
                          <button type="button" onClick={() => setEditing(null)}>
                            Cancel
                          </button>
                        </div>
                      </Show>
                    </li>
                  )}
                </For>
              </ol>
            </Show>
          )}
        </Show>
      </Show>
    </section>
  );
}
