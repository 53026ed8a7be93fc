import { For, Match, Switch } from "solid-js";
import type { SetStoreFunction } from "solid-js/store";
import type { PlaybookParameterFieldsFragment } from "../api/generated/graphql.ts";
import { problemsFor } from "./runParameters.ts";

/** One labelled input per parameter (a choice for ENUM), with its hints and the API's problems beneath. */
export function ParameterInputs(props: {
  parameters: readonly PlaybookParameterFieldsFragment[];
  values: Record<string, string>;
  setValues: SetStoreFunction<Record<string, string>>;
  problems: ReadonlyArray<{ path: string; message: string }>;
}) {
  return (
    <For each={props.parameters}>
      {(p) => {
        const problems = () => problemsFor(props.problems, p.name);
        const hint = () =>
          [p.type === "ENTITY" ? `${p.entityType ?? "entity"} id` : p.type.toLowerCase(), p.required ? "required" : "optional"].join(", ");
        return (
          <label>
            {p.name} <span class="muted">({hint()})</span>
            <Switch
              fallback={
                <input
                  name={`param-${p.name}`}
                  type={p.type === "NUMBER" ? "number" : "text"}
                  step={p.type === "NUMBER" ? "any" : undefined}
                  placeholder={p.type === "DATE" ? "2026-03-31" : (p.description ?? "")}
                  value={props.values[p.name] ?? ""}
                  aria-invalid={problems().length ? "true" : undefined}
                  onInput={(e) => props.setValues(p.name, e.currentTarget.value)}
                />
              }
            >
              <Match when={p.type === "ENUM"}>
                <select
                  name={`param-${p.name}`}
                  value={props.values[p.name] ?? ""}
                  aria-invalid={problems().length ? "true" : undefined}
                  onChange={(e) => props.setValues(p.name, e.currentTarget.value)}
                >
                  <option value="">—</option>
                  <For each={p.options ?? []}>{(o) => <option value={o}>{o}</option>}</For>
                </select>
              </Match>
            </Switch>
            <For each={problems()}>{(m) => <span class="field-problem">{m}</span>}</For>
          </label>
        );
      }}
    </For>
  );
}
