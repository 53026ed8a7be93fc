import { createQuery } from "@urql/solid";
import { createEffect, createSignal, For, Match, on, onCleanup, Switch } from "solid-js";
import { CitableItemsDocument, type CitableItemsQuery, type EvidenceKind } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";

type Citable = CitableItemsQuery["citableItems"][number];

const KINDS: Array<{ value: EvidenceKind | ""; label: string }> = [
  { value: "", label: "Anything" },
  { value: "ENTITY", label: "Entities" },
  { value: "RELATIONSHIP", label: "Relationships" },
  { value: "QUERY_SNAPSHOT", label: "Query snapshots" },
  { value: "INGEST_JOB", label: "Ingest jobs" },
  { value: "AUDIT_EVENT", label: "Audit events" },
];

/** The evidence picker: searches what can be cited (citableItems) as you type; Cite adds an item to the finding. */
export function EvidencePicker(props: { label: string; isCited: (item: Citable) => boolean; onPick: (item: Citable) => void }) {
  const [text, setText] = createSignal("");
  const [search, setSearch] = createSignal("");
  const [kind, setKind] = createSignal<EvidenceKind | "">("");
  createEffect(
    on(text, (value) => {
      const timer = setTimeout(() => setSearch(value.trim()), 250);
      onCleanup(() => clearTimeout(timer));
    }),
  );
  const [items, refetch] = createQuery({
    query: CitableItemsDocument,
    variables: () => ({ search: search(), first: 10, ...(kind() ? { kinds: [kind() as EvidenceKind] } : {}) }),
    pause: () => search().length < 2,
    requestPolicy: "cache-and-network",
  });
  return (
    <div class="picker" role="group" aria-label={props.label}>
      <div class="form-grid">
        <label class="small">
          Find evidence to cite
          <input
            type="search"
            value={text()}
            placeholder="a name, e-mail, job or question"
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <label class="small">
          Kind
          <select value={kind()} onChange={(e) => setKind(e.currentTarget.value as EvidenceKind | "")}>
            <For each={KINDS}>{(k) => <option value={k.value}>{k.label}</option>}</For>
          </select>
        </label>
      </div>
      <Switch>
        <Match when={search().length < 2}>{null}</Match>
        <Match when={items.error}>
          <ErrorPanel error={items.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!items.data}>
          <p class="muted" role="status">
            Searching…
          </p>
        </Match>
        <Match when={items.data?.citableItems.length === 0}>
          <p class="empty">Nothing citable matches “{search()}”.</p>
        </Match>
        <Match when={items.data}>
          <ul class="rows compact" aria-label="Citable items">
            <For each={items.data!.citableItems}>
              {(item) => (
                <li class="row" data-testid="citable-item">
                  <span>{item.label}</span>
                  <span class="muted">{item.detail ?? ""}</span>
                  <button
                    type="button"
                    class="small cite-button"
                    aria-label={`Cite ${item.label}`}
                    disabled={props.isCited(item)}
                    onClick={() => props.onPick(item)}
                  >
                    {props.isCited(item) ? "Cited" : "Cite"}
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Match>
      </Switch>
    </div>
  );
}
