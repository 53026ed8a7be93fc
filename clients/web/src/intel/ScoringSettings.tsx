import { createMutation, createQuery } from "@urql/solid";
import { createEffect, createSignal, For, Match, Show, Switch } from "solid-js";
import {
  ScoringSettingsDocument,
  SetScoreThresholdsDocument,
  SetSourceReliabilityDocument,
  type AdmiraltyGrade,
} from "../api/generated/graphql.ts";
import { toConsoleError } from "../api/consoleError.ts";
import { canApprove } from "../api/session.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";

const GRADES: readonly AdmiraltyGrade[] = ["A", "B", "C", "D", "E", "F"];

/**
 * The tenant's scoring settings: each source's Admiralty grade (ungraded ones
 * count as F) and the score bands. Admins change them (the API rescores the
 * source's indicators at once); everyone else reads them.
 */
export function ScoringSettings() {
  const [settings, refetch] = createQuery({ query: ScoringSettingsDocument, requestPolicy: "cache-and-network" });
  const [grading, grade] = createMutation(SetSourceReliabilityDocument);
  const [saving, save] = createMutation(SetScoreThresholdsDocument);
  const [high, setHigh] = createSignal("");
  const [low, setLow] = createSignal("");
  const [problems, setProblems] = createSignal<Array<{ path: string; message: string }>>([]);
  const [error, setError] = createSignal<unknown>(null);
  const [notice, setNotice] = createSignal("");
  createEffect(() => {
    const t = settings.data?.scoreThresholds;
    if (t) (setHigh(String(t.high)), setLow(String(t.low)));
  });
  const problemAt = (path: string) => problems().find((p) => p.path === path)?.message;

  const setGrade = async (source: string, value: AdmiraltyGrade) => {
    setError(null);
    setNotice("");
    const result = await grade({ source, grade: value }, { additionalTypenames: ["Indicator"] });
    if (!result.data) return setError(result.error ?? new Error("The grade was not saved."));
    const r = result.data.setSourceReliability;
    setNotice(`${r.source} graded ${r.grade}: ${r.indicatorsRescored ?? 0} indicator(s) rescored.`);
    refetch({ requestPolicy: "network-only" });
  };
  const saveBands = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    setNotice("");
    setProblems([]);
    const result = await save({ high: Number(high()), low: Number(low()) });
    if (!result.data) {
      setProblems(toConsoleError(result.error).problems ?? []);
      return setError(result.error ?? new Error("The bands were not saved."));
    }
    setNotice(`Bands saved: high from ${result.data.setScoreThresholds.high}, low below ${result.data.setScoreThresholds.low}.`);
  };

  return (
    <details class="panel scoring-settings">
      <summary>
        <h2>Scoring settings</h2>
      </summary>
      <Switch>
        <Match when={settings.error}>
          <ErrorPanel error={settings.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!settings.data}>
          <SkeletonRows rows={3} label="Loading scoring settings" />
        </Match>
        <Match when={settings.data}>
          <form class="inline-form" aria-label="Score bands" novalidate onSubmit={(e) => void saveBands(e)}>
            <label>
              High from
              <input
                type="number"
                name="high"
                min="1"
                max="100"
                value={high()}
                disabled={!canApprove()}
                aria-invalid={problemAt("high") ? "true" : undefined}
                onInput={(e) => (setHigh(e.currentTarget.value), setProblems([]))}
              />
              <Show when={problemAt("high")}>{(m) => <span class="field-problem">{m()}</span>}</Show>
            </label>
            <label>
              Low below
              <input
                type="number"
                name="low"
                min="0"
                max="99"
                value={low()}
                disabled={!canApprove()}
                aria-invalid={problemAt("low") ? "true" : undefined}
                onInput={(e) => (setLow(e.currentTarget.value), setProblems([]))}
              />
              <Show when={problemAt("low")}>{(m) => <span class="field-problem">{m()}</span>}</Show>
            </label>
            <Show when={canApprove()}>
              <button type="submit" disabled={saving.fetching}>
                Save bands
              </button>
            </Show>
          </form>
          <Show when={settings.data!.sourceReliabilities.length > 0} fallback={<p class="empty">No sources on your indicators yet.</p>}>
            <table class="table source-grades" aria-label="Source reliability">
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">Grade</th>
                  <th scope="col">Meaning</th>
                </tr>
              </thead>
              <tbody>
                <For each={settings.data!.sourceReliabilities}>
                  {(s) => (
                    <tr data-testid="source-grade">
                      <td>
                        <code>{s.source}</code>
                      </td>
                      <td>
                        <select
                          aria-label={`Grade of ${s.source}`}
                          value={s.grade}
                          disabled={!canApprove() || grading.fetching}
                          onChange={(e) => void setGrade(s.source, e.currentTarget.value as AdmiraltyGrade)}
                        >
                          <For each={GRADES}>{(g) => <option value={g}>{g}</option>}</For>
                        </select>
                      </td>
                      <td>
                        {s.meaning}{" "}
                        <span class="muted">
                          (weight {s.weight.toFixed(2)}
                          {s.assigned ? "" : ", not graded yet"})
                        </span>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
          <Show when={!canApprove()}>
            <p class="muted">Tenant admins grade sources and set the bands.</p>
          </Show>
        </Match>
      </Switch>
      <p class="muted" role="status" data-testid="scoring-notice">
        {notice()}
      </p>
      <Show when={error()}>
        <ErrorPanel error={error()} title="That change was not made." />
      </Show>
    </details>
  );
}
