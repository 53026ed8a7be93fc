import { createMutation, createQuery } from "@urql/solid";
import { createMemo, createSignal, For, Match, Show, Switch } from "solid-js";
import {
  AuditSavedQueriesDocument,
  DeleteAuditSavedQueryDocument,
  RestoreAuditSavedQueryDocument,
  type SavedAuditQueryFragment,
} from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import type { SavedQueriesProps } from "../screens/AuditSearch.tsx";
import { SavedQueryItem } from "./SavedQueryItem.tsx";
import { SaveQueryForm } from "./SaveQueryForm.tsx";

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

  const [deleting, remove] = createMutation(DeleteAuditSavedQueryDocument);
  const [restoring, restore] = createMutation(RestoreAuditSavedQueryDocument);
  const busy = () => deleting.fetching || restoring.fetching;

  const [actionError, setActionError] = createSignal<unknown>(null);
  const [notice, setNotice] = createSignal("");
  const [undo, setUndo] = createSignal<{ id: string; name: string } | null>(null);
  let undoButton: HTMLButtonElement | undefined;

  const saved = (query: { name: string }) => {
    setUndo(null);
    setNotice(`Saved “${query.name}”.`);
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
              {(query) => (
                <SavedQueryItem
                  saved={query}
                  current={props.current}
                  busy={busy()}
                  onApply={props.apply}
                  onDelete={() => void deleteQuery(query)}
                  onRestore={() => void restoreQuery(query)}
                />
              )}
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
      <SaveQueryForm current={props.current} onSaving={() => setNotice("")} onSaved={saved} />
    </section>
  );
}
