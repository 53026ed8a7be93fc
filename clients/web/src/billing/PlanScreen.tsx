import { createMutation, createQuery } from "@urql/solid";
import { createSignal, Match, Show, Switch } from "solid-js";
import { BillingAccountDocument, ChangePlanDocument, PlansDocument, type BillingPlanFieldsFragment } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { BillingLayout } from "./BillingLayout.tsx";
import { formatMoney } from "./billingFormat.ts";
import { PlanCompare } from "./PlanCompare.tsx";

/** Plan and upgrade: the compare table with the current plan marked, and a change that asks to be confirmed. */
export function PlanScreen() {
  const [plans, refetchPlans] = createQuery({ query: PlansDocument });
  const [account, refetchAccount] = createQuery({ query: BillingAccountDocument, requestPolicy: "cache-and-network" });
  const [changing, changePlan] = createMutation(ChangePlanDocument);
  const [confirming, setConfirming] = createSignal<BillingPlanFieldsFragment | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const [done, setDone] = createSignal("");
  const currentId = () => account.data?.billingAccount.plan.id ?? null;

  const confirm = async () => {
    const plan = confirming();
    if (!plan) return;
    setError(null);
    const result = await changePlan({ plan: plan.id });
    if (!result.data) return setError(result.error ?? new Error("The plan did not change."));
    setConfirming(null);
    setDone(`You are on the ${result.data.changePlan.plan.name} plan now; its quotas and prices apply at once.`);
  };

  return (
    <BillingLayout title="Plan">
      <Switch>
        <Match when={plans.error || account.error}>
          <ErrorPanel
            error={plans.error ?? account.error}
            onRetry={() => {
              refetchPlans({ requestPolicy: "network-only" });
              refetchAccount({ requestPolicy: "network-only" });
            }}
          />
        </Match>
        <Match when={!plans.data || !account.data}>
          <SkeletonRows rows={10} label="Loading plans" />
        </Match>
        <Match when={plans.data && account.data}>
          <Show when={done()}>
            <p class="notice" role="status" data-testid="plan-changed">
              {done()}
            </p>
          </Show>
          <PlanCompare
            plans={plans.data!.plans}
            currentId={currentId()}
            action={(plan) => (
              <Show when={plan.id !== currentId()} fallback={<span class="muted">Your plan</span>}>
                <button
                  type="button"
                  class={plan.monthlyFee > (account.data?.billingAccount.plan.monthlyFee ?? 0) ? "primary" : ""}
                  disabled={changing.fetching}
                  onClick={() => {
                    setDone("");
                    setError(null);
                    setConfirming(plan);
                  }}
                >
                  Switch to {plan.name}
                </button>
              </Show>
            )}
          />
          <Show when={confirming()}>
            {(plan) => (
              <div class="panel confirm-panel" role="group" aria-label="Confirm the plan change">
                <p>
                  Change to <strong>{plan().name}</strong> ({formatMoney(plan().monthlyFee, plan().currency)} a month)? The new quotas and
                  prices apply at once.
                </p>
                <div class="actions">
                  <button type="button" class="primary" disabled={changing.fetching} onClick={() => void confirm()}>
                    {changing.fetching ? "Changing…" : `Confirm: change to ${plan().name}`}
                  </button>
                  <button type="button" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </div>
              </div>
            )}
          </Show>
          <Show when={error()}>
            <ErrorPanel error={error()} title="The plan did not change." />
          </Show>
        </Match>
      </Switch>
    </BillingLayout>
  );
}
