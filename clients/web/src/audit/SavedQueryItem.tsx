import { Show } from "solid-js";
import type { SavedAuditQueryFragment } from "../api/generated/graphql.ts";
import { auditQueryFromSaved, describeAuditQuery, sameAuditQuery, type AuditQuery } from "./auditQuery.ts";

/**
 * One saved query: its name runs it (marked when it is the search on screen),
 * its description and filters in words, and Delete — or, once deleted, Restore.
 */
export function SavedQueryItem(props: {
  saved: SavedAuditQueryFragment;
  current: AuditQuery;
  busy: boolean;
  onApply: (query: AuditQuery) => void;
  onDelete: () => void;
  onRestore: () => void;
}) {
  const query = () => auditQueryFromSaved(props.saved.filter);
  const summary = () => describeAuditQuery(query());
  const action = () => (props.saved.deletedAt ? "Restore" : "Delete");
  return (
    <li class="saved-item" classList={{ deleted: Boolean(props.saved.deletedAt) }} data-testid="saved-query">
      <Show
        when={!props.saved.deletedAt}
        fallback={
          <span class="saved-name">
            {props.saved.name} <span class="muted">(deleted)</span>
          </span>
        }
      >
        <button
          type="button"
          class="link-button saved-name"
          aria-current={sameAuditQuery(query(), props.current) ? "true" : undefined}
          title={summary()}
          onClick={() => props.onApply(query())}
        >
          {props.saved.name}
        </button>
      </Show>
      <span class="saved-summary muted">
        {props.saved.description ? `${props.saved.description} — ` : ""}
        {summary()}
      </span>
      <button
        type="button"
        class="small"
        disabled={props.busy}
        aria-label={`${action()} ${props.saved.name}`}
        onClick={() => (props.saved.deletedAt ? props.onRestore() : props.onDelete())}
      >
        {action()}
      </button>
    </li>
  );
}
