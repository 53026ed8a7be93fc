import { createMutation } from "@urql/solid";
import { createSignal, For, Show } from "solid-js";
import { GrantBillingOverrideDocument, type BillingAlertKind, type UsageMetric } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { metricLabel } from "./billingFormat.ts";

/** datetime-local value (UTC) a week from `now`. */
const inAWeek = (now: Date) => new Date(now.getTime() + 7 * 86_400_000).toISOString().slice(0, 16);

/**
 * A time-boxed override of a quota (with its metric) or of the budget's soft
 * stop, with a reason. Who may not grant one gets FORBIDDEN, shown here.
 */
export function OverrideForm(props: { metrics: UsageMetric[]; onGranted: () => void }) {
  const [granting, grant] = createMutation(GrantBillingOverrideDocument);
  const [kind, setKind] = createSignal<BillingAlertKind>("QUOTA");
  const [metric, setMetric] = createSignal<UsageMetric | "">(props.metrics[0] ?? "");
  const [until, setUntil] = createSignal(inAWeek(new Date()));
  const [reason, setReason] = createSignal("");
  const [error, setError] = createSignal<unknown>(null);
  const [granted, setGranted] = createSignal("");

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    setGranted("");
    const result = await grant({
      input: {
        kind: kind(),
        ...(kind() === "QUOTA" && metric() ? { metric: metric() as UsageMetric } : {}),
        until: new Date(`${until()}:00Z`).toISOString(),
        reason: reason().trim(),
      },
    });
    if (!result.data) return setError(result.error ?? new Error("The override was not granted."));
    setGranted(`Override granted until ${result.data.grantBillingOverride.until.replace("T", " ").slice(0, 16)} UTC.`);
    setReason("");
    props.onGranted();
  };

  return (
    <section class="panel" aria-labelledby="override-title">
      <h2 id="override-title">Grant an override</h2>
      <form class="form-grid" aria-label="Override" onSubmit={(e) => void submit(e)}>
        <label>
          Kind
          <select name="kind" value={kind()} onChange={(e) => setKind(e.currentTarget.value as BillingAlertKind)}>
            <option value="QUOTA">A quota</option>
            <option value="BUDGET">The budget's stop</option>
          </select>
        </label>
        <Show when={kind() === "QUOTA"}>
          <label>
            Metric
            <select name="metric" value={metric()} onChange={(e) => setMetric(e.currentTarget.value as UsageMetric)}>
              <For each={props.metrics}>{(m) => <option value={m}>{metricLabel(m)}</option>}</For>
            </select>
          </label>
        </Show>
        <label>
          Until (UTC, at most 31 days ahead)
          <input name="until" type="datetime-local" required value={until()} onInput={(e) => setUntil(e.currentTarget.value)} />
        </label>
        <label>
          Reason
          <input
            name="reason"
            required
            value={reason()}
            onInput={(e) => setReason(e.currentTarget.value)}
            placeholder="e.g. quarter-end review"
          />
        </label>
        <div class="actions">
          <button type="submit" class="primary" disabled={granting.fetching || !reason().trim()}>
            {granting.fetching ? "Granting…" : "Grant override"}
          </button>
          <Show when={granted()}>
            <span role="status" class="muted">
              {granted()}
            </span>
          </Show>
        </div>
      </form>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The override was not granted." />
      </Show>
    </section>
  );
}
