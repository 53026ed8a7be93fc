import { For, Show } from "solid-js";
import type { PlaybookStepRunFieldsFragment } from "../api/generated/graphql.ts";
import { StateBadge } from "../components/StateBadge.tsx";
import { formatTimestamp } from "../lib/format.ts";

const seconds = (ms: number | null) => (ms == null ? "—" : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** One step of a run: status, attempts, timings, its log lines, its output (or error). */
export function StepRunCard(props: { step: PlaybookStepRunFieldsFragment; index: number }) {
  return (
    <li
      class="panel step"
      aria-label={`Step ${props.index + 1}: ${props.step.name}`}
      data-testid="step-run"
      data-status={props.step.status}
    >
      <div class="panel-head">
        <h3>
          {props.index + 1}. {props.step.name} <span class="muted">({props.step.kind.toLowerCase().replace(/_/g, " ")})</span>
        </h3>
        <span data-testid="step-status">
          <StateBadge state={props.step.status} />
        </span>
      </div>
      <p class="muted" data-testid="step-timing">
        Attempts {props.step.attempts} · started {formatTimestamp(props.step.startedAt)} · finished {formatTimestamp(props.step.finishedAt)}{" "}
        · took {seconds(props.step.durationMs)}
      </p>
      <Show when={props.step.error}>
        <p class="field-problem" data-testid="step-error">
          <code>{props.step.errorCode ?? "ERROR"}</code> {props.step.error}
        </p>
      </Show>
      <Show when={props.step.logs.length > 0}>
        <details open={props.step.status !== "SUCCEEDED"}>
          <summary>Log ({props.step.logs.length} lines)</summary>
          <pre class="raw" data-testid="step-log">
            <For each={props.step.logs}>{(line) => `${line}\n`}</For>
          </pre>
        </details>
      </Show>
      <Show when={props.step.output !== null && props.step.output !== undefined}>
        <details open>
          <summary>Output{props.step.outputTruncated ? " (cut at 64 KiB)" : ""}</summary>
          <pre class="raw" data-testid="step-output">
            {JSON.stringify(props.step.output, null, 2)}
          </pre>
        </details>
      </Show>
    </li>
  );
}
