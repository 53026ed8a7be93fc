import { useClient } from "@urql/solid";
import { createEffect, createSignal, For, on, onCleanup, Show } from "solid-js";
import type { SetStoreFunction } from "solid-js/store";
import { PreviewPlaybookScheduleDocument, type PlaybookMissedRunPolicy } from "../api/generated/graphql.ts";
import { toConsoleError } from "../api/consoleError.ts";
import { formatTimestamp } from "../lib/format.ts";
import { debounce } from "./debounce.ts";
import { FieldProblems, hasProblem } from "./FieldProblems.tsx";
import type { DraftProblem, PlaybookDraft } from "./playbookDraft.ts";

const PREVIEW_DELAY_MS = 350;

/** Cron, time zone and missed-run policy, with the API's next-runs preview while typing. */
export function ScheduleEditor(props: {
  draft: PlaybookDraft;
  setDraft: SetStoreFunction<PlaybookDraft>;
  problems: readonly DraftProblem[];
}) {
  const client = useClient();
  const [preview, setPreview] = createSignal<readonly string[]>([]);
  const [previewError, setPreviewError] = createSignal("");
  let asked = 0;
  const ask = debounce((cron: string, timeZone: string) => {
    const mine = (asked += 1);
    void client
      .query(PreviewPlaybookScheduleDocument, { cron, timeZone, count: 5 }, { requestPolicy: "network-only" })
      .toPromise()
      .then((result) => {
        if (mine !== asked) return; // an answer to an older pattern
        if (result.data) {
          setPreview(result.data.previewPlaybookSchedule);
          setPreviewError("");
        } else {
          const error = toConsoleError(result.error);
          setPreview([]);
          setPreviewError(error.problems?.map((p) => p.message).join("; ") || error.message);
        }
      });
  }, PREVIEW_DELAY_MS);
  onCleanup(() => ask.cancel());
  createEffect(
    on(
      () => [props.draft.schedule.enabled, props.draft.schedule.cron.trim(), props.draft.schedule.timeZone.trim() || "UTC"] as const,
      ([enabled, cron, timeZone]) => {
        if (!enabled || !cron) {
          ask.cancel();
          setPreview([]);
          setPreviewError("");
          return;
        }
        ask.call(cron, timeZone);
      },
    ),
  );
  const set = (key: "cron" | "timeZone", value: string) => props.setDraft("schedule", key, value);

  return (
    <fieldset class="panel">
      <legend>Schedule</legend>
      <label class="choice">
        <input
          type="checkbox"
          checked={props.draft.schedule.enabled}
          onChange={(e) => props.setDraft("schedule", "enabled", e.currentTarget.checked)}
        />
        Run on a schedule
      </label>
      <Show when={props.draft.schedule.enabled}>
        <label>
          Cron pattern <span class="muted">(minute hour day month weekday)</span>
          <input
            name="cron"
            value={props.draft.schedule.cron}
            aria-invalid={hasProblem(props.problems, "schedule.cron") ?? (previewError() ? "true" : undefined)}
            aria-describedby="cron-preview"
            onInput={(e) => set("cron", e.currentTarget.value)}
          />
          <FieldProblems problems={props.problems} path="schedule.cron" />
        </label>
        <label>
          Time zone <span class="muted">(IANA, e.g. Europe/Berlin)</span>
          <input name="timeZone" value={props.draft.schedule.timeZone} onInput={(e) => set("timeZone", e.currentTarget.value)} />
          <FieldProblems problems={props.problems} path="schedule.timeZone" />
        </label>
        <label>
          Missed runs
          <select
            name="missedRunPolicy"
            value={props.draft.schedule.missedRunPolicy}
            onChange={(e) => props.setDraft("schedule", "missedRunPolicy", e.currentTarget.value as PlaybookMissedRunPolicy)}
          >
            <option value="SKIP">Skip runs missed while no worker was up</option>
            <option value="RUN_ONCE">Run the latest missed one once</option>
          </select>
        </label>
        <div id="cron-preview" aria-live="polite" data-testid="schedule-preview">
          <Show when={previewError()}>
            <p class="field-problem">{previewError()}</p>
          </Show>
          <Show when={preview().length > 0}>
            <p class="muted">Next runs:</p>
            <ol aria-label="Next runs">
              <For each={preview()}>{(at) => <li>{formatTimestamp(at)}</li>}</For>
            </ol>
          </Show>
        </div>
      </Show>
    </fieldset>
  );
}
