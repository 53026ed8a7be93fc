import { For, Match, Switch } from "solid-js";
import { FieldProblems, hasProblem } from "./FieldProblems.tsx";
import type { DraftProblem, StepDraft } from "./playbookDraft.ts";
import { STEP_KINDS, type ConfigField } from "./stepKinds.ts";

/** The config form of one step's kind (text, JSON, checkbox and choice fields). */
export function StepConfigFields(props: {
  step: StepDraft;
  path: string;
  problems: readonly DraftProblem[];
  onChange: (key: string, value: string | boolean) => void;
}) {
  const at = (field: ConfigField) => `${props.path}.config.${field.key}`;
  const text = (field: ConfigField) => String(props.step.values[field.key] ?? "");
  return (
    <For each={STEP_KINDS[props.step.kind].fields}>
      {(field) => (
        <Switch>
          <Match when={field.type === "boolean"}>
            <label class="choice">
              <input
                type="checkbox"
                checked={props.step.values[field.key] === true}
                onChange={(e) => props.onChange(field.key, e.currentTarget.checked)}
              />
              {field.label}
            </label>
          </Match>
          <Match when={field.type === "select"}>
            <label>
              {field.label}
              <select value={text(field)} onChange={(e) => props.onChange(field.key, e.currentTarget.value)}>
                <For each={field.options ?? []}>{(o) => <option value={o}>{o}</option>}</For>
              </select>
            </label>
          </Match>
          <Match when={field.type === "textarea" || field.type === "json"}>
            <label>
              {field.label}
              {field.required ? "" : " (optional)"}
              <textarea
                rows={field.type === "json" ? 4 : 3}
                class={field.type === "json" ? "raw" : undefined}
                value={text(field)}
                placeholder={field.placeholder}
                required={field.required}
                aria-invalid={hasProblem(props.problems, at(field))}
                onInput={(e) => props.onChange(field.key, e.currentTarget.value)}
              />
              <FieldProblems problems={props.problems} path={at(field)} />
            </label>
          </Match>
          <Match when={field.type === "text"}>
            <label>
              {field.label}
              {field.required ? "" : " (optional)"}
              <input
                value={text(field)}
                placeholder={field.placeholder}
                required={field.required}
                aria-invalid={hasProblem(props.problems, at(field))}
                onInput={(e) => props.onChange(field.key, e.currentTarget.value)}
              />
              <FieldProblems problems={props.problems} path={at(field)} />
            </label>
          </Match>
        </Switch>
      )}
    </For>
  );
}
