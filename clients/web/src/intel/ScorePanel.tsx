import { createQuery } from "@urql/solid";
import { For, Match, Show, Switch } from "solid-js";
import { IndicatorScoreDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import type { Entity } from "../entities/entityOf.ts";
import { formatTimestamp } from "../lib/format.ts";
import { hrefFor } from "../lib/route.ts";
import { FeedbackButtons } from "./FeedbackButtons.tsx";
import { derivedScoreOf, formatDays, partLabel, partValue } from "./scoreBreakdown.ts";
import { ScoreBadge } from "./ScoreBadge.tsx";
import type { ScoreThresholds } from "./scoreBands.ts";

/** The entity page's score panel: an indicator's parts and the feedback buttons; another object's best indicator. */
export function ScorePanel(props: { id: string; entity: Entity; thresholds: ScoreThresholds }) {
  return (
    <section class="panel" aria-labelledby="score-title" data-testid="score-panel">
      <h2 id="score-title">Confidence score</h2>
      <Show when={props.entity.indicator} fallback={<DerivedScore entity={props.entity} thresholds={props.thresholds} />}>
        {(indicator) => (
          <>
            <IndicatorBreakdown id={props.id} thresholds={props.thresholds} />
            <FeedbackButtons id={props.id} state={indicator()} />
          </>
        )}
      </Show>
    </section>
  );
}

/** An indicator's score with each part's value and sentence, re-read when feedback changes it. */
function IndicatorBreakdown(props: { id: string; thresholds: ScoreThresholds }) {
  const [result, refetch] = createQuery({
    query: IndicatorScoreDocument,
    variables: () => ({ id: props.id }),
    requestPolicy: "cache-and-network",
    // setIndicatorFeedback returns the Indicator: its score changed, so this is stale.
    context: { additionalTypenames: ["Indicator"] },
  });
  const thresholds = () => result.data?.scoreThresholds ?? props.thresholds;
  return (
    <Switch>
      <Match when={result.error}>
        <ErrorPanel error={result.error} title="The score did not load." onRetry={() => refetch({ requestPolicy: "network-only" })} />
      </Match>
      <Match when={!result.data}>
        <SkeletonRows rows={5} label="Loading the score" />
      </Match>
      <Match when={!result.data?.indicatorScore}>
        <p class="empty">Not scored yet. Scores are computed when an ingest job finishes and every hour.</p>
      </Match>
      <Match when={result.data?.indicatorScore}>
        {(s) => (
          <>
            <p class="score-headline" data-testid="score-headline">
              <ScoreBadge score={s().score} thresholds={thresholds()} />{" "}
              <span class="muted">
                of 100 · bands: high from {thresholds().high}, low below {thresholds().low}
              </span>
            </p>
            <table class="table score-parts" aria-label="Score breakdown">
              <thead>
                <tr>
                  <th scope="col">Part</th>
                  <th scope="col">Value</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                <For each={s().parts}>
                  {(part) => (
                    <tr data-testid="score-part" data-part={part.name}>
                      <th scope="row">{partLabel(part.name)}</th>
                      <td>{partValue(part.name, part.value)}</td>
                      <td>{part.sentence}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <dl class="facts">
              <dt>Sources</dt>
              <dd>
                {s()
                  .sources.map((src) => `${src.source} (${src.grade})`)
                  .join(", ") || "—"}
              </dd>
              <dt>Type, half-life</dt>
              <dd>
                {s().indicatorType}, {formatDays(s().halfLifeDays)}
              </dd>
              <dt>Age</dt>
              <dd>{formatDays(s().ageDays)}</dd>
              <dt>Computed</dt>
              <dd>
                {formatTimestamp(s().computedAt)} <span class="muted">({s().model})</span>
              </dd>
            </dl>
          </>
        )}
      </Match>
    </Switch>
  );
}

/** An object's score is the best of its visible indicators; name that one. */
function DerivedScore(props: { entity: Entity; thresholds: ScoreThresholds }) {
  const derived = () => derivedScoreOf(props.entity.intel.scoreBreakdown);
  return (
    <Show
      when={derived()}
      fallback={
        <p class="empty">
          {props.entity.intel.score == null ? "Not scored: no indicator points at it." : `Score ${props.entity.intel.score}.`}
        </p>
      }
    >
      {(d) => (
        <p>
          <ScoreBadge score={d().score} thresholds={props.thresholds} /> the best of {d().indicators} indicator(s) pointing at it:{" "}
          <Link href={hrefFor({ name: "entity", id: d().indicatorId })}>its breakdown</Link>
          <Show when={d().computedAt}>{(at) => <span class="muted"> · computed {formatTimestamp(at())}</span>}</Show>
        </p>
      )}
    </Show>
  );
}
