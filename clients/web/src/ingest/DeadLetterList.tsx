import { createMutation, createQuery } from "@urql/solid";
import { createEffect, createSignal, For, on, Show } from "solid-js";
import { DeadLettersDocument, EditDeadLetterDocument, ReplayDeadLettersDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { formatCount } from "../lib/format.ts";
import { DeadLetterItem } from "./DeadLetterItem.tsx";

/** The job's dead letters with code and reason; open ones can be fixed and replayed. */
export function DeadLetterList(props: { jobId: string; count: number }) {
  const [letters, refetch] = createQuery({ query: DeadLettersDocument, variables: () => ({ jobId: props.jobId, first: 50 }) });
  const reload = () => refetch({ requestPolicy: "network-only" });
  // New dead letters arrive with the progress events: fetch the list again when their number changes.
  createEffect(on(() => props.count, reload, { defer: true }));
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
      reload();
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
      <Show when={!letters.error} fallback={<ErrorPanel error={letters.error} onRetry={reload} />}>
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
                    <DeadLetterItem
                      letter={letter}
                      editing={editing() === letter.id}
                      draft={draft()}
                      onDraft={setDraft}
                      onEdit={() => {
                        setDraft(letter.raw);
                        setEditing(letter.id);
                      }}
                      onSave={() => void saveAndReplay(letter.id)}
                      onCancel={() => setEditing(null)}
                    />
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
