import { createQuery } from "@urql/solid";
import { For, Match, Show, Switch } from "solid-js";
import { SuppressedIndicatorsDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { formatTimestamp } from "../lib/format.ts";
import { MarkingBadge } from "./MarkingBadge.tsx";
import { ScoreBadge } from "./ScoreBadge.tsx";

/** The explicit filter that shows suppressed indicators (left out everywhere else), each with the rule that hides it. */
export function SuppressedPanel(props: { ruleId: string | null; ruleName: string | null; onAll: () => void }) {
  const [result, refetch] = createQuery({
    query: SuppressedIndicatorsDocument,
    variables: () => ({ ...(props.ruleId ? { ruleId: props.ruleId } : {}), limit: 50, offset: 0 }),
    requestPolicy: "cache-and-network",
    context: { additionalTypenames: ["SuppressionRule", "SuppressedIndicator"] },
  });
  return (
    <section class="panel" aria-labelledby="suppressed-title">
      <div class="panel-head">
        <h2 id="suppressed-title">Hidden indicators{props.ruleName ? `: ${props.ruleName}` : ""}</h2>
        <span class="actions">
          <Show when={props.ruleId}>
            <button type="button" class="small" onClick={() => props.onAll()}>
              All rules
            </button>
          </Show>
          <button type="button" class="small" onClick={() => refetch({ requestPolicy: "network-only" })}>
            Refresh
          </button>
        </span>
      </div>
      <Switch>
        <Match when={result.error}>
          <ErrorPanel error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!result.data}>
          <SkeletonRows rows={3} label="Loading hidden indicators" />
        </Match>
        <Match when={result.data?.suppressedIndicators.total === 0}>
          <p class="empty">No indicator is hidden{props.ruleName ? " by this rule" : ""}.</p>
        </Match>
        <Match when={result.data}>
          <p class="muted" data-testid="suppressed-total">
            {result.data!.suppressedIndicators.total} hidden
          </p>
          <ul class="rows compact" aria-label="Hidden indicators">
            <For each={result.data!.suppressedIndicators.nodes}>
              {(i) => (
                <li class="row" data-testid="suppressed-row">
                  <code title={i.id}>{i.pattern ?? i.id}</code>
                  <Show when={i.marking}>{(m) => <MarkingBadge marking={m()} />}</Show>
                  <ScoreBadge score={i.score} />
                  <span class="muted row-end">
                    by {i.suppressedByName ?? i.suppressedBy} · {formatTimestamp(i.suppressedAt)}
                  </span>
                </li>
              )}
            </For>
          </ul>
        </Match>
      </Switch>
    </section>
  );
}
