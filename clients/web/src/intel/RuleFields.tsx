import { For } from "solid-js";
import type { SetStoreFunction } from "solid-js/store";
import { ALLOW_LISTS, typeOptions, type FieldProblem, type RuleForm } from "./suppressionForm.ts";

const toggle = <T extends string>(list: readonly T[], value: T, on: boolean): T[] =>
  on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value);

/** The rule form's fields, each with its problems (the console's or the API's) beneath it; "match" problems last. */
export function RuleFields(props: { form: RuleForm; setForm: SetStoreFunction<RuleForm>; problems: readonly FieldProblem[] }) {
  const form = props.form;
  const setForm = props.setForm;
  const problemsAt = (path: string) => props.problems.filter((p) => p.path === path);
  const invalid = (path: string) => (problemsAt(path).length ? "true" : undefined);
  const Problems = (p: { path: string }) => (
    <For each={problemsAt(p.path)}>
      {(problem) => (
        <span class="field-problem" data-testid={`problem-${p.path}`}>
          {problem.message}
        </span>
      )}
    </For>
  );
  return (
    <>
      <label>
        Rule name
        <input
          name="name"
          value={form.name}
          maxlength={120}
          aria-invalid={invalid("name")}
          onInput={(e) => setForm("name", e.currentTarget.value)}
        />
        <Problems path="name" />
      </label>
      <fieldset class="choices" aria-invalid={invalid("types")}>
        <legend>Observable types (any of)</legend>
        <For each={typeOptions(form)}>
          {(type) => (
            <label class="choice">
              <input
                type="checkbox"
                checked={form.types.includes(type)}
                onChange={(e) => setForm("types", toggle(form.types, type, e.currentTarget.checked))}
              />
              <code>{type}</code>
            </label>
          )}
        </For>
        <Problems path="types" />
      </fieldset>
      <label>
        Sources (any of, comma-separated)
        <input
          name="sources"
          value={form.sources}
          placeholder="e.g. open-feed, pastebin-scraper"
          aria-invalid={invalid("sources")}
          onInput={(e) => setForm("sources", e.currentTarget.value)}
        />
        <Problems path="sources" />
      </label>
      <label>
        Score below
        <input
          name="scoreBelow"
          type="number"
          min="1"
          max="101"
          step="1"
          value={form.scoreBelow}
          placeholder="e.g. 30 (unscored never matches)"
          aria-invalid={invalid("scoreBelow")}
          onInput={(e) => setForm("scoreBelow", e.currentTarget.value)}
        />
        <Problems path="scoreBelow" />
      </label>
      <label>
        Pattern (regular expression, case-insensitive)
        <input
          name="patternRegex"
          value={form.patternRegex}
          placeholder="e.g. \.invalid'\]$"
          aria-invalid={invalid("patternRegex")}
          onInput={(e) => setForm("patternRegex", e.currentTarget.value)}
        />
        <Problems path="patternRegex" />
      </label>
      <fieldset class="choices" aria-invalid={invalid("allowLists")}>
        <legend>On an allow-list (any of)</legend>
        <For each={ALLOW_LISTS}>
          {(a) => (
            <label class="choice">
              <input
                type="checkbox"
                checked={form.allowLists.includes(a.list)}
                onChange={(e) => setForm("allowLists", toggle(form.allowLists, a.list, e.currentTarget.checked))}
              />
              <span>
                {a.label} <span class="muted">— {a.detail}</span>
              </span>
            </label>
          )}
        </For>
        <Problems path="allowLists" />
      </fieldset>
      <Problems path="match" />
      <label class="choice">
        <input type="checkbox" name="enabled" checked={form.enabled} onChange={(e) => setForm("enabled", e.currentTarget.checked)} />
        Enabled: hide what it matches as soon as it is saved
      </label>
    </>
  );
}
