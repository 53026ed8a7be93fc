import { createMutation, createQuery } from "@urql/solid";
import { createMemo, createSignal, For, Match, Show, Switch } from "solid-js";
import {
  AuditSavedQueriesDocument,
  DeleteAuditSavedQueryDocument,
  RestoreAuditSavedQueryDocument,
  SaveAuditQueryDocument,
  type SavedAuditQueryFragment,
} from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import type { SavedQueriesProps } from "../screens/AuditSearch.tsx";
import { auditFilterOf, auditQueryFromSaved, describeAuditQuery, sameAuditQuery } from "./auditQuery.ts";

/**
 * The tenant's saved audit queries, above the audit filters: click one to put
 * its filters in the form and the URL (which runs it), save the search on
 * screen under a name, delete (soft, with Undo) and restore deleted ones.
 */
export function SavedAuditQueries(props: SavedQueriesProps) {
  const [showDeleted, setShowDeleted] = createSignal(false);
  const [list, refetch] = createQuery({ query: AuditSavedQueriesDocument, variables: () => ({ includeDeleted: showDeleted() }) });
  // Keep the last list while another one loads (toggling "Show deleted"), so the panel does not collapse.
  const rows = createMemo<SavedAuditQueryFragment[] | undefined>((last) => list.data?.auditSavedQueries ?? last);
  const reload = () => refetch({ requestPolicy: "network-only" });

  const [saving, save] = createMutation(SaveAuditQueryDocument);
  const [deleting, remove] = createMutation(DeleteAuditSavedQueryDocument);
  const [restoring, restore] = createMutation(RestoreAuditSavedQueryDocument);
  const busy = () => deleting.fetching || restoring.fetching;

  const [name, setName] = createSignal("");
  const [description, setDescription] = createSignal("");
  const [saveError, setSaveError] = createSignal<unknown>(null);
  const [actionError, setActionError] = createSignal<unknown>(null);
  const [notice, setNotice] = createSignal("");
  const [undo, setUndo] = createSignal<{ id: string; name: string } | null>(null);
  let undoButton: HTMLButtonElement | undefined;
  let nameInput: HTMLInputElement | undefined;

  const built = () => auditFilterOf(props.current);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const filter = built().filter;
    if (!filter) return;
    setSaveError(null);
    setNotice("");
    const result = await save({ input: { name: name(), description: description().trim() || null, filter } });
    const saved = result.data?.saveAuditQuery;
    if (!saved) {
      setSaveError(result.error ?? new Error("The query was not saved."));
      nameInput?.focus();
      return;
    }
    setName("");
    setDescription("");
    setUndo(null);
    setNotice(`Saved “${saved.name}”.`);
    reload();
  };

  const deleteQuery = async (query: SavedAuditQueryFragment) => {
    setActionError(null);
    const result = await remove({ id: query.id });
    if (!result.data) return setActionError(result.error);
    setNotice(`Deleted “${query.name}”.`);
    setUndo({ id: query.id, name: query.name });
    reload();
    // The row (and its button) may be gone: keep the keyboard on the panel.
    undoButton?.focus();
  };

  const restoreQuery = async (query: { id: string; name: string }) => {
    setActionError(null);
    const result = await restore({ id: query.id });
    if (!result.data) return setActionError(result.error);
    setUndo(null);
    setNotice(`Restored “${query.name}”.`);
    reload();
  };

  return (
    <section class="saved-queries" aria-labelledby="saved-queries-title">
      <div class="panel-head">
        <h2 id="saved-queries-title">Saved queries</h2>
        <label class="inline small">
          <input type="checkbox" name="showDeleted" checked={showDeleted()} onChange={(e) => setShowDeleted(e.currentTarget.checked)} />
          Show deleted
        </label>
      </div>
      <Switch>
        <Match when={list.error && !rows()}>
          <ErrorPanel error={list.error} title="Saved queries did not load." onRetry={reload} />
        </Match>
        <Match when={!rows()}>
          <SkeletonRows rows={3} label="Loading saved queries" />
        </Match>
        <Match when={rows()!.length === 0}>
          <p class="empty">No saved queries yet. Search, then save the filters under a name below.</p>
        </Match>
        <Match when={rows()}>
          <ul class="plain saved-list" aria-label="Saved queries" aria-busy={list.fetching}>
            <For each={rows()}>
              {(saved) => {
                const query = () => auditQueryFromSaved(saved.filter);
                const summary = () => describeAuditQuery(query());
                return (
                  <li class="saved-item" classList={{ deleted: Boolean(saved.deletedAt) }} data-testid="saved-query">
                    <Show
                      when={!saved.deletedAt}
                      fallback={
                        <span class="saved-name">
                          {saved.name} <span class="muted">(deleted)</span>
                        </span>
                      }
                    >
                      <button
                        type="button"
                        class="link-button saved-name"
                        aria-current={sameAuditQuery(query(), props.current) ? "true" : undefined}
                        title={summary()}
                        onClick={() => props.apply(query())}
                      >
                        {saved.name}
                      </button>
                    </Show>
                    <span class="saved-summary muted">
                      {saved.description ? `${saved.description} — ` : ""}
                      {summary()}
                    </span>
                    <Show
                      when={saved.deletedAt}
                      fallback={
                        <button
                          type="button"
                          class="small"
                          disabled={busy()}
                          aria-label={`Delete ${saved.name}`}
                          onClick={() => void deleteQuery(saved)}
                        >
                          Delete
                        </button>
                      }
                    >
                      <button
                        type="button"
                        class="small"
                        disabled={busy()}
                        aria-label={`Restore ${saved.name}`}
                        onClick={() => void restoreQuery(saved)}
                      >
                        Restore
                      </button>
                    </Show>
                  </li>
                );
              }}
            </For>
          </ul>
        </Match>
      </Switch>
      <div class="saved-notice" role="status" data-testid="saved-notice">
        {notice()}{" "}
        <Show when={undo()}>
          {(deleted) => (
            <button type="button" class="small" ref={undoButton} disabled={busy()} onClick={() => void restoreQuery(deleted())}>
              Undo
            </button>
          )}
        </Show>
      </div>
      <Show when={actionError()}>
        <ErrorPanel error={actionError()} title="That did not work." />
      </Show>
      <form class="save-query" aria-label="Save current filters" onSubmit={(e) => void submit(e)}>
        <label>
          Name
          <input name="savedName" required maxLength={100} ref={nameInput} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <details class="saved-description" open={Boolean(description())}>
          <summary>Add a description</summary>
          <label>
            Description <span class="muted">(optional)</span>
            <input name="savedDescription" maxLength={500} value={description()} onInput={(e) => setDescription(e.currentTarget.value)} />
          </label>
        </details>
        <p class="muted saved-what">Saves: {describeAuditQuery(props.current)}</p>
        <button type="submit" disabled={saving.fetching || !built().filter}>
          {saving.fetching ? "Saving…" : "Save current filters"}
        </button>
        <Show when={saveError()}>
          <ErrorPanel error={saveError()} title="The query was not saved." />
        </Show>
      </form>
    </section>
  );
}
