import { createMutation } from "@urql/solid";
import { createSignal, For, Show } from "solid-js";
import { SetIndicatorFeedbackDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import type { IndicatorState } from "../entities/entityOf.ts";
import { formatTimestamp } from "../lib/format.ts";
import { VERDICTS, verdictOf, type Verdict } from "./scoreBreakdown.ts";

/** Confirm / False positive / Clear: the analyst's verdict, which rescoring takes in (CONFIRMED ≥ 90, FALSE_POSITIVE 0). */
export function FeedbackButtons(props: { id: string; state: IndicatorState }) {
  const [sending, send] = createMutation(SetIndicatorFeedbackDocument);
  const [note, setNote] = createSignal("");
  const [error, setError] = createSignal<unknown>(null);
  const [notice, setNotice] = createSignal("");
  const current = () => verdictOf(props.state.feedback);

  const give = async (verdict: Verdict) => {
    setError(null);
    setNotice("");
    const text = note().trim();
    const result = await send({ id: props.id, verdict, ...(text ? { note: text } : {}) });
    if (!result.data) return setError(result.error ?? new Error("The verdict was not saved."));
    setNote("");
    const score = result.data.setIndicatorFeedback.score;
    setNotice(`Saved. Score now ${score ?? "not scored"}.`);
  };

  return (
    <div class="feedback" role="group" aria-label="Analyst feedback">
      <p class="muted">
        Verdict: <strong data-testid="verdict">{VERDICTS.find((v) => v.verdict === current())!.pressed}</strong>
        <Show when={props.state.feedbackAt}>
          {(at) => (
            <>
              {" "}
              by <code>{props.state.feedbackBy}</code> at {formatTimestamp(at())}
            </>
          )}
        </Show>
      </p>
      <label>
        Note (optional)
        <input name="feedback-note" value={note()} maxlength={500} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <div class="actions">
        <For each={VERDICTS}>
          {(v) => (
            <button
              type="button"
              aria-pressed={current() === v.verdict}
              disabled={sending.fetching || (v.verdict === "NONE" && current() === "NONE")}
              onClick={() => void give(v.verdict)}
            >
              {v.label}
            </button>
          )}
        </For>
        <span class="muted" role="status" data-testid="feedback-status">
          {sending.fetching ? "Saving…" : notice()}
        </span>
      </div>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The verdict was not saved." />
      </Show>
    </div>
  );
}
