import { createQuery } from "@urql/solid";
import { createEffect, createMemo, createSignal, For, Match, on, Show, Switch, type Component } from "solid-js";
import { AuditEventsDocument, type AuditEventFilter } from "../api/generated/graphql.ts";
import { canReadAudit } from "../api/session.ts";
import { auditFilterOf, auditQueryFromSearch, auditQueryToSearch, EMPTY_AUDIT_QUERY, type AuditQuery } from "../audit/auditQuery.ts";
import { ExportAuditCsv } from "../audit/ExportAuditCsv.tsx";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { formatTimestamp } from "../lib/format.ts";
import { navigate } from "../lib/navigation.ts";

const PAGE = 25;

/** What a saved-queries panel gets: the search on screen, and a way to run another. */
export interface SavedQueriesProps {
  current: AuditQuery;
  apply: (query: AuditQuery) => void;
}

/**
 * Audit search: filters on the left (kept in the URL), results on the right,
 * pages appended with "Load more". Saved queries plug in as `savedQueries`,
 * a panel above the filters that reads and applies an `AuditQuery`.
 */
export function AuditSearch(props: { search: string; savedQueries?: Component<SavedQueriesProps> }) {
  const query = createMemo(() => auditQueryFromSearch(props.search));
  const [draft, setDraft] = createSignal<AuditQuery>(query());
  createEffect(on(query, (q) => setDraft(q), { defer: true }));
  const built = createMemo(() => auditFilterOf(query()));
  const apply = (next: AuditQuery) => navigate({ name: "audit", search: auditQueryToSearch(next) });
  const field = (key: keyof AuditQuery) => ({
    value: draft()[key],
    onInput: (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) => setDraft({ ...draft(), [key]: e.currentTarget.value }),
  });
  // Cursors of the pages after the first, appended by "Load more"; a new search starts over.
  const [cursors, setCursors] = createSignal<string[]>([]);
  createEffect(
    on(
      () => props.search,
      () => setCursors([]),
      { defer: true },
    ),
  );

  return (
    <section class="screen" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <Show
        when={canReadAudit()}
        fallback={<p class="empty">The audit log is for admins and compliance staff; ask a tenant admin for access.</p>}
      >
        <div class="audit-layout">
          <aside class="audit-filters">
            <Show when={props.savedQueries} keyed>
              {(Saved) => <Saved current={query()} apply={apply} />}
            </Show>
            <form
              class="filters"
              aria-label="Audit filters"
              onSubmit={(e) => {
                e.preventDefault();
                apply(draft());
              }}
            >
              <label>
                Action
                <input name="action" placeholder="e.g. createIngestJob" {...field("action")} />
              </label>
              <label>
                Actor (user id)
                <input name="actorId" {...field("actorId")} />
              </label>
              <label>
                Target type
                <input name="targetType" placeholder="e.g. Person, IngestJob" {...field("targetType")} />
              </label>
              <label>
                Target id
                <input name="targetId" {...field("targetId")} />
              </label>
              <label>
                Outcome
                <select name="outcome" {...field("outcome")}>
                  <option value="">Any</option>
                  <option value="SUCCESS">Success</option>
                  <option value="FAILURE">Failure</option>
                </select>
              </label>
              <label>
                From (UTC)
                <input name="since" type="datetime-local" {...field("since")} />
              </label>
              <label>
                To (UTC)
                <input name="until" type="datetime-local" {...field("until")} />
              </label>
              <label>
                Text in reasons
                <input name="text" placeholder="at least 2 characters" {...field("text")} />
              </label>
              <div class="actions">
                <button type="submit" class="primary">
                  Search
                </button>
                <button type="button" onClick={() => apply(EMPTY_AUDIT_QUERY)}>
                  Clear
                </button>
              </div>
            </form>
          </aside>
          <div class="audit-results" aria-live="polite">
            <Show
              when={built().filter}
              fallback={
                <p class="field-problem" role="alert">
                  {built().problem}
                </p>
              }
            >
              {(filter) => (
                <>
                  <ExportAuditCsv filter={filter()} />
                  <table class="table" data-testid="audit-results">
                    <thead>
                      <tr>
                        <th scope="col">Time (UTC)</th>
                        <th scope="col">Action</th>
                        <th scope="col">Outcome</th>
                        <th scope="col">Actor</th>
                        <th scope="col">Targets</th>
                      </tr>
                    </thead>
                    <AuditPage filter={filter()} after={null} first />
                    <For each={cursors()}>{(after) => <AuditPage filter={filter()} after={after} />}</For>
                    <AuditMore filter={filter()} after={cursors().at(-1) ?? null} onMore={(c) => setCursors([...cursors(), c])} />
                  </table>
                </>
              )}
            </Show>
          </div>
        </div>
      </Show>
    </section>
  );
}

function useAuditPage(props: { filter: AuditEventFilter; after: string | null }) {
  return createQuery({ query: AuditEventsDocument, variables: () => ({ filter: props.filter, first: PAGE, after: props.after }) });
}

/** One page of results as table rows. */
function AuditPage(props: { filter: AuditEventFilter; after: string | null; first?: boolean }) {
  const [page, refetch] = useAuditPage(props);
  const [open, setOpen] = createSignal<string | null>(null);
  return (
    <tbody>
      <Switch>
        <Match when={page.error}>
          <tr>
            <td colSpan={5}>
              <ErrorPanel error={page.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
            </td>
          </tr>
        </Match>
        <Match when={!page.data}>
          <tr>
            <td colSpan={5}>
              <SkeletonRows rows={props.first ? 8 : 3} label="Loading audit events" />
            </td>
          </tr>
        </Match>
        <Match when={props.first && page.data?.auditEvents.nodes.length === 0}>
          <tr>
            <td colSpan={5} class="empty">
              No audit events match these filters.
            </td>
          </tr>
        </Match>
        <Match when={page.data}>
          <For each={page.data!.auditEvents.nodes}>
            {(event) => (
              <>
                <tr data-testid="audit-row">
                  <td>
                    <time datetime={event.at}>{formatTimestamp(event.at)}</time>
                  </td>
                  <td>
                    <button
                      type="button"
                      class="link-button"
                      aria-expanded={open() === event.id}
                      onClick={() => setOpen(open() === event.id ? null : event.id)}
                    >
                      {event.action}
                    </button>
                  </td>
                  <td>
                    <StateBadge state={event.outcome} />
                    {event.errorCode ? <code> {event.errorCode}</code> : null}
                  </td>
                  <td>
                    {event.actor.kind}
                    {event.actor.userId ? <code class="id"> {event.actor.userId}</code> : null}
                  </td>
                  <td>
                    {event.targetType ? `${event.targetType} ` : ""}
                    <span class="muted">{event.targetIds.length ? event.targetIds.join(", ") : "—"}</span>
                  </td>
                </tr>
                <Show when={open() === event.id}>
                  <tr class="details">
                    <td colSpan={5}>
                      <p class="muted">
                        {event.service} · request <code>{event.requestId}</code>
                      </p>
                      <pre class="raw">{event.arguments}</pre>
                    </td>
                  </tr>
                </Show>
              </>
            )}
          </For>
        </Match>
      </Switch>
    </tbody>
  );
}

/** "Load more" under the last page, while the API says there is one. */
function AuditMore(props: { filter: AuditEventFilter; after: string | null; onMore: (cursor: string) => void }) {
  const [page] = useAuditPage(props);
  const info = () => page.data?.auditEvents.pageInfo;
  return (
    <tfoot>
      <tr>
        <td colSpan={5}>
          <Show when={info()?.hasNextPage && info()?.endCursor}>
            {(cursor) => (
              <button type="button" onClick={() => props.onMore(cursor())}>
                Load more
              </button>
            )}
          </Show>
        </td>
      </tr>
    </tfoot>
  );
}
