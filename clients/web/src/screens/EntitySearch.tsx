import { createQuery } from "@urql/solid";
import { createEffect, createSignal, For, Match, on, onCleanup, Show, Switch } from "solid-js";
import { SearchEntitiesDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { KindBadge } from "../components/KindBadge.tsx";
import { Link } from "../components/Link.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { hitsOf, searchVariables } from "../entities/entityKinds.ts";
import { MarkingBadge } from "../intel/MarkingBadge.tsx";
import { ScoreBadge } from "../intel/ScoreBadge.tsx";
import { navigate } from "../lib/navigation.ts";
import { hrefFor } from "../lib/route.ts";

/** Search every entity type by its name (or address, pattern, title); the text lives in the URL. */
export function EntitySearch(props: { query: string }) {
  const [text, setText] = createSignal(props.query);
  // Typing updates the URL (replace, so Back leaves the screen) once it pauses.
  createEffect(
    on(
      text,
      (value) => {
        const timer = setTimeout(() => navigate({ name: "entities", query: value.trim() }, { replace: true }), 250);
        onCleanup(() => clearTimeout(timer));
      },
      { defer: true },
    ),
  );
  const [result, refetch] = createQuery({
    query: SearchEntitiesDocument,
    variables: () => searchVariables(props.query, 10),
    pause: () => props.query.trim().length === 0,
  });
  const hits = () => (result.data ? hitsOf(result.data) : []);

  return (
    <section class="screen" aria-labelledby="search-title">
      <h1 id="search-title">Entity search</h1>
      <form role="search" onSubmit={(e) => (e.preventDefault(), navigate({ name: "entities", query: text().trim() }, { replace: true }))}>
        <label>
          Name, e-mail, domain, address, indicator, incident, threat actor, malware, ATT&CK or CVE id
          <input type="search" name="q" autofocus value={text()} onInput={(e) => setText(e.currentTarget.value)} placeholder="e.g. acme" />
        </label>
      </form>
      <div class="results" aria-live="polite">
        <Switch>
          <Match when={!props.query.trim()}>
            <p class="empty">Type to search the graph. Matching is case-insensitive for whole words typed in one case.</p>
          </Match>
          <Match when={result.error}>
            <ErrorPanel error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
          </Match>
          <Match when={!result.data || (result.fetching && result.stale)}>
            <SkeletonRows rows={5} label="Searching" />
          </Match>
          <Match when={hits().length === 0}>
            <p class="empty">No entities match “{props.query}”. Try part of the name, or ingest data first.</p>
          </Match>
          <Match when={hits().length > 0}>
            <ul class="rows" aria-label="Matching entities">
              <For each={hits()}>
                {(hit) => (
                  <li class="row">
                    <KindBadge kind={hit.kind} />
                    <Link href={hrefFor({ name: "entity", id: hit.id })}>{hit.label}</Link>
                    <span class="muted">{hit.detail ?? ""}</span>
                    <span class="entity-badges row-end">
                      <MarkingBadge marking={hit.marking} />
                      <Show when={hit.kind === "Indicator" || hit.score != null}>
                        <ScoreBadge score={hit.score} />
                      </Show>
                    </span>
                  </li>
                )}
              </For>
            </ul>
          </Match>
        </Switch>
      </div>
    </section>
  );
}
