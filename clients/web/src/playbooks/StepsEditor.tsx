import { createSignal, For, Show } from "solid-js";
import type { SetStoreFunction } from "solid-js/store";
import type { PlaybookStepKind } from "../api/generated/graphql.ts";
import { FieldProblems, hasProblem } from "./FieldProblems.tsx";
import { changeKind, moved, newStep, type DraftProblem, type PlaybookDraft } from "./playbookDraft.ts";
import { StepConfigFields } from "./StepConfigFields.tsx";
import { STEP_KIND_LIST, STEP_KINDS } from "./stepKinds.ts";

/** The ordered steps: add (by kind), remove, move up/down; each with its kind's config, a timeout and retries. */
export function StepsEditor(props: { draft: PlaybookDraft; setDraft: SetStoreFunction<PlaybookDraft>; problems: readonly DraftProblem[] }) {
  const [kind, setKind] = createSignal<PlaybookStepKind>("ASK");
  const add = () => props.setDraft("steps", (steps) => [...steps, newStep(kind(), steps)]);
  const remove = (index: number) => props.setDraft("steps", (steps) => steps.filter((_, i) => i !== index));
  const move = (from: number, to: number) => props.setDraft("steps", (steps) => moved(steps, from, to));
  return (
    <fieldset class="panel">
      <legend>Steps</legend>
      <Show when={props.draft.steps.length === 0}>
        <p class="empty">No steps yet. Pick a kind below and add the first; steps run in order, each can read earlier outputs.</p>
      </Show>
      <ol class="rows">
        <For each={props.draft.steps}>
          {(step, i) => {
            const path = () => `steps.${i()}`;
            const label = () => `Step ${i() + 1}`;
            return (
              <li class="step" role="group" aria-label={label()} data-testid="step-row">
                <div class="panel-head">
                  <strong>
                    {label()} · {STEP_KINDS[step.kind].label}
                  </strong>
                  <span class="actions">
                    <button
                      type="button"
                      class="small"
                      aria-label={`Move ${label().toLowerCase()} up`}
                      disabled={i() === 0}
                      onClick={() => move(i(), i() - 1)}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      class="small"
                      aria-label={`Move ${label().toLowerCase()} down`}
                      disabled={i() === props.draft.steps.length - 1}
                      onClick={() => move(i(), i() + 1)}
                    >
                      ↓
                    </button>
                    <button type="button" class="small" aria-label={`Remove ${label().toLowerCase()}`} onClick={() => remove(i())}>
                      Remove
                    </button>
                  </span>
                </div>
                <label>
                  Kind
                  <select
                    value={step.kind}
                    onChange={(e) => props.setDraft("steps", i(), (s) => changeKind(s, e.currentTarget.value as PlaybookStepKind))}
                  >
                    <For each={STEP_KIND_LIST}>{(k) => <option value={k}>{STEP_KINDS[k].label}</option>}</For>
                  </select>
                </label>
                <label>
                  Step id <span class="muted">(later steps read {`{{steps.${step.id}.…}}`})</span>
                  <input
                    value={step.id}
                    aria-invalid={hasProblem(props.problems, `${path()}.id`)}
                    onInput={(e) => props.setDraft("steps", i(), "id", e.currentTarget.value)}
                  />
                  <FieldProblems problems={props.problems} path={`${path()}.id`} />
                </label>
                <label>
                  Step name (optional)
                  <input value={step.name} onInput={(e) => props.setDraft("steps", i(), "name", e.currentTarget.value)} />
                </label>
                <StepConfigFields
                  step={step}
                  path={path()}
                  problems={props.problems}
                  onChange={(key, value) => props.setDraft("steps", i(), "values", key, value)}
                />
                <label>
                  Timeout (seconds)
                  <input
                    type="number"
                    min="1"
                    max="600"
                    value={step.timeoutSeconds}
                    aria-invalid={hasProblem(props.problems, `${path()}.timeoutMs`)}
                    onInput={(e) => props.setDraft("steps", i(), "timeoutSeconds", e.currentTarget.value)}
                  />
                  <FieldProblems problems={props.problems} path={`${path()}.timeoutMs`} />
                </label>
                <label>
                  Retries
                  <input
                    type="number"
                    min="0"
                    max="5"
                    value={step.retries}
                    aria-invalid={hasProblem(props.problems, `${path()}.retries`)}
                    onInput={(e) => props.setDraft("steps", i(), "retries", e.currentTarget.value)}
                  />
                  <FieldProblems problems={props.problems} path={`${path()}.retries`} />
                </label>
              </li>
            );
          }}
        </For>
      </ol>
      <FieldProblems problems={props.problems.filter((p) => p.path === "steps")} path="steps" />
      <div class="inline-form">
        <label>
          New step kind
          <select value={kind()} onChange={(e) => setKind(e.currentTarget.value as PlaybookStepKind)}>
            <For each={STEP_KIND_LIST}>{(k) => <option value={k}>{STEP_KINDS[k].label}</option>}</For>
          </select>
        </label>
        <button type="button" onClick={add}>
          Add step
        </button>
      </div>
    </fieldset>
  );
}
