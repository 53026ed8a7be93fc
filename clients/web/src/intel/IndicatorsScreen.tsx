import { createQuery } from "@urql/solid";
import { createEffect, createSignal, For, Match, on, onCleanup, Show, Switch } from "solid-js";
import { IndicatorsListDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { RelativeTime } from "../components/RelativeTime.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { navigate } from "../lib/navigation.ts";
import { hrefFor } from "../lib/route.ts";
import {
  DEFAULT_INDICATOR_ORDER,
  hidesUnscored,
  INDICATOR_ORDERS,
  INDICATOR_PAGE,
  indicatorsVariables,
  isIndicatorOrder,
  type IndicatorOrder,
} from "./indicatorList.ts";
import { MarkingBadge } from "./MarkingBadge.tsx";
import { ScoreBadge } from "./ScoreBadge.tsx";
import { ScoringSettings } from "./ScoringSettings.tsx";
import { useScoreThresholds } from "./useScoreThresholds.ts";

/** The tenant's indicators (suppressed ones left out) with marking and score, sorted by score unless chosen otherwise. */
export function IndicatorsScreen(props: { query: string; order: string }) {
  const order = (): IndicatorOrder => (isIndicatorOrder(props.order) ? props.order : DEFAULT_INDICATOR_ORDER);
  const [text, setText] = createSignal(props.query);
  const [pages, setPages] = createSignal(1);
  const go = (query: string, next: IndicatorOrder) =>
    navigate({ name: "indicators", query, order: next === DEFAULT_INDICATOR_ORDER ? "" : next }, { replace: true });
  createEffect(
    on(
      text,
      (value) => {
        const timer = setTimeout(() => go(value.trim(), order()), 250);
        onCleanup(() => clearTimeout(timer));
      },
      { defer: true },
    ),
  );
  createEffect(on([() => props.query, order], () => setPages(1), { defer: true }));
  const [result, refetch] = createQuery({
    query: IndicatorsListDocument,
    variables: () => indicatorsVariables(props.query, order(), pages()),
    requestPolicy: "cache-and-network",
    context: { additionalTypenames: ["Indicator"] },
  });
  const thresholds = useScoreThresholds();
  const rows = () => result.data?.indicators ?? [];
  const unscored = () => result.data?.unscored.totalCount ?? 0;

  return (
    <section class="screen" aria-labelledby="indicators-title">
      <div class="panel-head">
        <h1 id="indicators-title">Indicators</h1>
        <Link href={hrefFor({ name: "suppression-rules" })}>Suppression rules</Link>
      </div>
      <form class="inline-form" role="search" onSubmit={(e) => (e.preventDefault(), go(text().trim(), order()))}>
        <label>
          Pattern or description
          <input type="search" name="q" value={text()} onInput={(e) => setText(e.currentTarget.value)} placeholder="e.g. 203.0.113" />
        </label>
        <label>
          Sort by
          <select name="sort" value={order()} onChange={(e) => go(props.query, e.currentTarget.value as IndicatorOrder)}>
            <For each={Object.entries(INDICATOR_ORDERS)}>{([value, o]) => <option value={value}>{o.label}</option>}</For>
          </select>
        </label>
      </form>
      <p class="muted">Suppressed indicators are left out; the suppression rules screen lists what each rule hides.</p>
      <Switch>
        <Match when={result.error}>
          <ErrorPanel error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!result.data}>
          <SkeletonRows rows={6} label="Loading indicators" />
        </Match>
        <Match when={rows().length === 0 && unscored() === 0}>
          <p class="empty">
            {props.query
              ? `No indicators match “${props.query}”.`
              : "No indicators yet. Import a STIX bundle or ingest a file of indicators."}
          </p>
        </Match>
        <Match when={result.data}>
          <table class="table intel-table" aria-label="Indicators">
            <thead>
              <tr>
                <th scope="col">Pattern</th>
                <th scope="col">Marking</th>
                <th scope="col">Score</th>
                <th scope="col">Sources</th>
                <th scope="col">Last seen</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              <For each={rows()}>
                {(i) => (
                  <tr data-testid="indicator-row" data-id={i.id}>
                    <td>
                      <Link href={hrefFor({ name: "entity", id: i.id })}>
                        <code>{i.pattern}</code>
                      </Link>
                      <span class="muted"> {i.kind}</span>
                    </td>
                    <td>
                      <MarkingBadge marking={i.marking} />
                    </td>
                    <td>
                      <ScoreBadge score={i.score} thresholds={thresholds()} />
                    </td>
                    <td>{(i.sources?.length ? i.sources : [i.source ?? "—"]).join(", ")}</td>
                    <td>
                      <Show when={i.lastSeen} fallback="—">
                        {(at) => <RelativeTime at={at()} />}
                      </Show>
                    </td>
                    <td>{i.feedback ? i.feedback.toLowerCase().replace("_", " ") : "—"}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <Show when={rows().length === INDICATOR_PAGE * pages()}>
            <button type="button" onClick={() => setPages((n) => n + 1)} disabled={result.fetching}>
              Load more
            </button>
          </Show>
          <Show when={hidesUnscored(order()) && unscored() > 0}>
            <p class="muted" data-testid="unscored-count">
              {unscored()} indicator(s) not scored yet are not in this order;{" "}
              <Link href={hrefFor({ name: "indicators", query: props.query, order: "pattern" })}>sort by pattern</Link> to see them.
            </p>
          </Show>
        </Match>
      </Switch>
      <ScoringSettings />
    </section>
  );
}
