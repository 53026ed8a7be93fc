import { createMutation } from "@urql/solid";
import { createEffect, createSignal, For, on, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import {
  CreateSuppressionRuleDocument,
  UpdateSuppressionRuleDocument,
  type SuppressionMatchInput,
  type SuppressionRuleFieldsFragment,
} from "../api/generated/graphql.ts";
import { toConsoleError } from "../api/consoleError.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import {
  ALLOW_LISTS,
  emptyRuleForm,
  formProblems,
  matchInput,
  ruleFormOf,
  ruleInput,
  typeOptions,
  type FieldProblem,
  type RuleForm,
} from "./suppressionForm.ts";

/**
 * Creates or edits a rule: types, sources, score below, pattern, allow-lists
 * and enabled. "Dry run" asks what the form's match would hide, without
 * saving; the API's BAD_USER_INPUT problems show under their fields.
 */
export function RuleEditor(props: {
  rule: SuppressionRuleFieldsFragment | null;
  onSaved: (rule: SuppressionRuleFieldsFragment) => void;
  onCancel: () => void;
  onDryRun: (match: SuppressionMatchInput, label: string, onProblems: (problems: FieldProblem[]) => void) => void;
}) {
  const [creating, create] = createMutation(CreateSuppressionRuleDocument);
  const [updating, update] = createMutation(UpdateSuppressionRuleDocument);
  const [form, setForm] = createStore<RuleForm>(props.rule ? ruleFormOf(props.rule) : emptyRuleForm());
  const [problems, setProblems] = createSignal<FieldProblem[]>([]);
  const [error, setError] = createSignal<unknown>(null);
  createEffect(
    on(
      () => props.rule?.id,
      () => {
        setForm(reconcile(props.rule ? ruleFormOf(props.rule) : emptyRuleForm()));
        setProblems([]);
        setError(null);
      },
      { defer: true },
    ),
  );
  const problemsAt = (path: string) => problems().filter((p) => p.path === path);
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
  const toggle = <T extends string>(list: readonly T[], value: T, on: boolean): T[] =>
    on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value);

  const save = async () => {
    setError(null);
    const built = ruleInput(form);
    setProblems(built.problems);
    if (!built.input) return;
    const result = props.rule
      ? await update({ id: props.rule.id, input: built.input }).then((r) => ({ data: r.data?.updateSuppressionRule, error: r.error }))
      : await create({ input: built.input }).then((r) => ({ data: r.data?.createSuppressionRule, error: r.error }));
    if (!result.data) {
      setProblems(formProblems(toConsoleError(result.error).problems ?? []));
      return setError(result.error ?? new Error("The rule was not saved."));
    }
    props.onSaved(result.data);
    if (!props.rule) setForm(reconcile(emptyRuleForm()));
  };
  const dryRun = () => {
    setError(null);
    const built = matchInput(form);
    setProblems(built.problems);
    if (!built.match) return;
    props.onDryRun(built.match, form.name.trim() ? `“${form.name.trim()}” (not saved)` : "this form's rule (not saved)", setProblems);
  };

  return (
    <form
      class="panel"
      aria-label={props.rule ? "Edit suppression rule" : "New suppression rule"}
      novalidate
      onSubmit={(e) => (e.preventDefault(), void save())}
    >
      <h2>{props.rule ? `Edit “${props.rule.name}”` : "New rule"}</h2>
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
      <p class="muted">A rule matches an indicator when every condition it gives holds. Dry-run it before enabling.</p>
      <div class="actions">
        <button type="button" onClick={dryRun}>
          Dry run
        </button>
        <button type="submit" class="primary" disabled={creating.fetching || updating.fetching}>
          {creating.fetching || updating.fetching ? "Saving…" : props.rule ? "Save rule" : "Create rule"}
        </button>
        <Show when={props.rule}>
          <button type="button" class="link-button" onClick={() => props.onCancel()}>
            New rule instead
          </button>
        </Show>
      </div>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The rule was not saved." />
      </Show>
    </form>
  );
}
