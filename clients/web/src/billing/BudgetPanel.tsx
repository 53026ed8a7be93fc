import { createMutation } from "@urql/solid";
import { createSignal, Show } from "solid-js";
import { SetBudgetDocument, type BudgetStatusFieldsFragment } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { formatMoney, formatResets, parseThresholds, progressPercent } from "./billingFormat.ts";
import { OverrideLine } from "./QuotaPanel.tsx";
import { ProgressBar } from "./ProgressBar.tsx";

/** The monthly budget: spend against it as a bar, and a form for the limit and alert thresholds. */
export function BudgetPanel(props: { budget: BudgetStatusFieldsFragment; currency: string; onChanged: () => void }) {
  const [saving, setBudget] = createMutation(SetBudgetDocument);
  const [limit, setLimit] = createSignal(props.budget.monthlyLimit == null ? "" : String(props.budget.monthlyLimit));
  const [thresholds, setThresholds] = createSignal(props.budget.thresholds.join(", "));
  const [error, setError] = createSignal<unknown>(null);
  const [saved, setSaved] = createSignal(false);
  const percent = () => progressPercent(props.budget.spent, props.budget.monthlyLimit);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    setSaved(false);
    const parsed = parseThresholds(thresholds());
    const amount = limit().trim() === "" ? null : Number(limit());
    if (parsed === null) return setError(new Error("Thresholds are whole percentages from 1 to 100, e.g. 50, 80, 100."));
    if (amount !== null && (!Number.isFinite(amount) || amount < 0))
      return setError(new Error("The monthly limit is an amount of 0 or more."));
    const result = await setBudget({ input: { monthlyLimit: amount, ...(parsed.length ? { thresholds: parsed } : {}) } });
    if (!result.data) return setError(result.error ?? new Error("The budget was not saved."));
    setSaved(true);
    props.onChanged();
  };

  return (
    <section class="panel" aria-labelledby="budget-title">
      <h2 id="budget-title">Budget</h2>
      <p class="muted" data-testid="budget-status">
        {props.budget.monthlyLimit == null
          ? `No budget set · ${formatMoney(props.budget.spent, props.currency)} of usage charges this month`
          : `${formatMoney(props.budget.spent, props.currency)} of ${formatMoney(props.budget.monthlyLimit, props.currency)} · ${percent()}% · ${formatResets(props.budget.resetsAt)}`}
      </p>
      <Show when={props.budget.monthlyLimit != null}>
        <ProgressBar label="Budget spent" percent={percent()} />
      </Show>
      <Show when={props.budget.override}>{(o) => <OverrideLine override={o()} onRevoked={props.onChanged} />}</Show>
      <form class="form-grid budget-form" aria-label="Budget" onSubmit={(e) => void submit(e)}>
        <label>
          Monthly limit ({props.currency}, empty for none)
          <input name="monthlyLimit" inputmode="decimal" value={limit()} onInput={(e) => setLimit(e.currentTarget.value)} />
        </label>
        <label>
          Alert thresholds (%)
          <input name="thresholds" value={thresholds()} onInput={(e) => setThresholds(e.currentTarget.value)} placeholder="50, 80, 100" />
        </label>
        <div class="actions">
          <button type="submit" class="primary" disabled={saving.fetching}>
            {saving.fetching ? "Saving…" : "Save budget"}
          </button>
          <Show when={saved()}>
            <span role="status" class="muted">
              Saved.
            </span>
          </Show>
        </div>
      </form>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The budget was not saved." />
      </Show>
    </section>
  );
}
