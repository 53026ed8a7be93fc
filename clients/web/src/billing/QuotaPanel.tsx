import { createMutation } from "@urql/solid";
import { createSignal, For, Show } from "solid-js";
import {
  RevokeBillingOverrideDocument,
  type BillingAccountFieldsFragment,
  type BillingOverrideFieldsFragment,
} from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { formatCount, formatTimestamp } from "../lib/format.ts";
import { formatResets, metricLabel, progressPercent } from "./billingFormat.ts";
import { ProgressBar } from "./ProgressBar.tsx";

/** This month's quotas as bars (used / limit, %, reset), each with its active override and a Revoke. */
export function QuotaPanel(props: { account: BillingAccountFieldsFragment; onChanged: () => void }) {
  return (
    <section class="panel" aria-labelledby="quotas-title">
      <h2 id="quotas-title">
        Quotas ({props.account.plan.name} plan, {props.account.period})
      </h2>
      <Show when={props.account.quotas.length} fallback={<p class="empty">Your plan has no monthly quotas.</p>}>
        <ul class="rows quota-list">
          <For each={props.account.quotas}>
            {(quota) => {
              const percent = () => progressPercent(quota.used, quota.limit);
              return (
                <li class="quota" data-testid={`quota-${quota.metric}`}>
                  <div class="quota-head">
                    <strong>{metricLabel(quota.metric)}</strong>
                    <span class="muted">
                      {formatCount(quota.used)} / {formatCount(quota.limit)} · {percent()}% · {formatResets(quota.resetsAt)}
                    </span>
                  </div>
                  <ProgressBar label={`${metricLabel(quota.metric)} quota used`} percent={percent()} />
                  <Show when={quota.override}>{(o) => <OverrideLine override={o()} onRevoked={props.onChanged} />}</Show>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
    </section>
  );
}

/** An active override: until when, why, and Revoke (FORBIDDEN for those who may not). */
export function OverrideLine(props: { override: BillingOverrideFieldsFragment; onRevoked: () => void }) {
  const [revoking, revoke] = createMutation(RevokeBillingOverrideDocument);
  const [error, setError] = createSignal<unknown>(null);
  const run = async () => {
    setError(null);
    const result = await revoke({ id: props.override.id });
    if (result.error || !result.data?.revokeBillingOverride) return setError(result.error ?? new Error("The override was not revoked."));
    props.onRevoked();
  };
  return (
    <div class="override-line" data-testid="override">
      <span>
        Override until {formatTimestamp(props.override.until)}: {props.override.reason}
      </span>
      <button type="button" class="small" disabled={revoking.fetching} onClick={() => void run()}>
        {revoking.fetching ? "Revoking…" : "Revoke"}
      </button>
      <Show when={error()}>
        <ErrorPanel error={error()} title="Not revoked." />
      </Show>
    </div>
  );
}
