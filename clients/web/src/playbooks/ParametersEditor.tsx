import { For, Show } from "solid-js";
import type { SetStoreFunction } from "solid-js/store";
import type { PlaybookEntityType, PlaybookParameterType } from "../api/generated/graphql.ts";
import { FieldProblems, hasProblem } from "./FieldProblems.tsx";
import { newParameter, type DraftProblem, type PlaybookDraft } from "./playbookDraft.ts";

const TYPES: PlaybookParameterType[] = ["STRING", "NUMBER", "DATE", "ENUM", "ENTITY"];
const ENTITY_TYPES: PlaybookEntityType[] = ["Person", "Organization", "Domain", "IPAddress", "Indicator", "Incident"];

/** The playbook's parameters: name, type, required, default, enum options or entity type; added and removed. */
export function ParametersEditor(props: {
  draft: PlaybookDraft;
  setDraft: SetStoreFunction<PlaybookDraft>;
  problems: readonly DraftProblem[];
}) {
  const add = () => props.setDraft("parameters", (list) => [...list, newParameter()]);
  const remove = (index: number) => props.setDraft("parameters", (list) => list.filter((_, i) => i !== index));
  return (
    <fieldset class="panel" aria-labelledby="parameters-title">
      <legend id="parameters-title">Parameters</legend>
      <Show when={props.draft.parameters.length === 0}>
        <p class="empty">No parameters. Add one to ask for a value at each run; steps use it as {"{{params.<name>}}"}.</p>
      </Show>
      <For each={props.draft.parameters}>
        {(p, i) => {
          const at = (field: string) => `parameters.${i()}.${field}`;
          const label = () => `Parameter ${i() + 1}`;
          return (
            <div class="row" role="group" aria-label={label()} data-testid="parameter-row">
              <label>
                Name
                <input
                  value={p.name}
                  aria-invalid={hasProblem(props.problems, at("name"))}
                  onInput={(e) => props.setDraft("parameters", i(), "name", e.currentTarget.value)}
                />
                <FieldProblems problems={props.problems} path={at("name")} />
              </label>
              <label>
                Type
                <select
                  value={p.type}
                  onChange={(e) => props.setDraft("parameters", i(), "type", e.currentTarget.value as PlaybookParameterType)}
                >
                  <For each={TYPES}>{(t) => <option value={t}>{t.toLowerCase()}</option>}</For>
                </select>
              </label>
              <label class="choice">
                <input
                  type="checkbox"
                  checked={p.required}
                  onChange={(e) => props.setDraft("parameters", i(), "required", e.currentTarget.checked)}
                />
                Required
              </label>
              <Show when={p.type === "ENUM"}>
                <label>
                  Options <span class="muted">(comma separated)</span>
                  <input
                    value={p.options}
                    aria-invalid={hasProblem(props.problems, at("options"))}
                    onInput={(e) => props.setDraft("parameters", i(), "options", e.currentTarget.value)}
                  />
                  <FieldProblems problems={props.problems} path={at("options")} />
                </label>
              </Show>
              <Show when={p.type === "ENTITY"}>
                <label>
                  Entity type
                  <select
                    value={p.entityType}
                    onChange={(e) => props.setDraft("parameters", i(), "entityType", e.currentTarget.value as PlaybookEntityType)}
                  >
                    <For each={ENTITY_TYPES}>{(t) => <option value={t}>{t}</option>}</For>
                  </select>
                </label>
              </Show>
              <label>
                Default
                <input
                  value={p.default}
                  type={p.type === "NUMBER" ? "number" : "text"}
                  placeholder={p.type === "DATE" ? "2026-03-31" : ""}
                  aria-invalid={hasProblem(props.problems, at("default"))}
                  onInput={(e) => props.setDraft("parameters", i(), "default", e.currentTarget.value)}
                />
                <FieldProblems problems={props.problems} path={at("default")} />
              </label>
              <label>
                Description
                <input value={p.description} onInput={(e) => props.setDraft("parameters", i(), "description", e.currentTarget.value)} />
              </label>
              <button type="button" class="small" aria-label={`Remove ${label().toLowerCase()}`} onClick={() => remove(i())}>
                Remove
              </button>
            </div>
          );
        }}
      </For>
      <FieldProblems problems={props.problems.filter((p) => p.path === "parameters")} path="parameters" />
      <button type="button" onClick={add}>
        Add parameter
      </button>
    </fieldset>
  );
}
