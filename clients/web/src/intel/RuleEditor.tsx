import { createMutation } from "@urql/solid";
import { createEffect, createSignal, on, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import {
  CreateSuppressionRuleDocument,
  UpdateSuppressionRuleDocument,
  type SuppressionMatchInput,
  type SuppressionRuleFieldsFragment,
} from "../api/generated/graphql.ts";
import { toConsoleError } from "../api/consoleError.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { RuleFields } from "./RuleFields.tsx";
import { emptyRuleForm, formProblems, matchInput, ruleFormOf, ruleInput, type FieldProblem, type RuleForm } from "./suppressionForm.ts";

/**
 * Creates or edits a rule: types, sources, score below, pattern, allow-lists
 * and enabled. "Dry run" asks what the form's match would hide, without
 * saving; the API's BAD_USER_INPUT problems show under their fields.
 */
export function RuleEditor(props: {
  rule: SuppressionRuleFieldsFragment | null;
  /** Whether the caller may save rules (intel:manage); else the form only dry-runs. */
  canManage: boolean;
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
      <RuleFields form={form} setForm={setForm} problems={problems()} />
      <p class="muted">A rule matches an indicator when every condition it gives holds. Dry-run it before enabling.</p>
      <div class="actions">
        <button type="button" onClick={dryRun}>
          Dry run
        </button>
        <Show when={props.canManage} fallback={<span class="muted">Tenant admins create and change rules; you can dry-run one.</span>}>
          <button type="submit" class="primary" disabled={creating.fetching || updating.fetching}>
            {creating.fetching || updating.fetching ? "Saving…" : props.rule ? "Save rule" : "Create rule"}
          </button>
        </Show>
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
