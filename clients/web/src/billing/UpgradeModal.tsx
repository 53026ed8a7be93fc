import { createMutation, createQuery } from "@urql/solid";
import { createEffect, createSignal, from, Match, on, Show, Switch } from "solid-js";
import { BillingAccountDocument, ChangePlanDocument, PlansDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { formatCount } from "../lib/format.ts";
import { formatMoney, metricLabel } from "./billingFormat.ts";
import { PlanCompare } from "./PlanCompare.tsx";
import { suggestedPlan, upgradeGate, type LimitDetails } from "./upgradeGate.ts";

/**
 * The one upgrade modal (mounted in App): shown while an action is blocked by
 * a quota or the budget, it says which limit and offers the plans; after
 * changePlan it closes and the upgrade gate retries the action.
 */
export function UpgradeModal() {
  const blocked = from<ReturnType<typeof upgradeGate.current>>((set) => upgradeGate.subscribe(set));
  const open = () => Boolean(blocked());
  const [plans] = createQuery({ query: PlansDocument, pause: () => !open() });
  const [account] = createQuery({ query: BillingAccountDocument, pause: () => !open(), requestPolicy: "network-only" });
  const [changing, changePlan] = createMutation(ChangePlanDocument);
  const [error, setError] = createSignal<unknown>(null);
  let dialog: HTMLDivElement | undefined;
  let returnFocus: Element | null = null;

  const currentId = () => account.data?.billingAccount.plan.id ?? blocked()?.limit.plan ?? null;
  const suggested = () => {
    const b = blocked();
    return b && plans.data ? suggestedPlan(plans.data.plans, currentId(), b.limit) : null;
  };

  createEffect(
    on(open, (isOpen) => {
      setError(null);
      if (isOpen) {
        returnFocus = document.activeElement;
        queueMicrotask(() => dialog?.focus());
      } else if (returnFocus instanceof HTMLElement) {
        returnFocus.focus();
        returnFocus = null;
      }
    }),
  );

  const upgrade = async (plan: string) => {
    setError(null);
    const result = await changePlan({ plan: plan as "FREE" | "TEAM" | "ENTERPRISE" });
    if (!result.data) return setError(result.error ?? new Error("The plan did not change."));
    upgradeGate.upgraded();
  };

  return (
    <Show when={blocked()}>
      {(b) => (
        <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && upgradeGate.dismiss()}>
          <div
            ref={dialog}
            class="modal upgrade-modal"
            role="dialog"
            aria-modal="true"
            aria-labelledby="upgrade-title"
            tabindex="-1"
            onKeyDown={(e) => {
              if (e.key === "Escape") upgradeGate.dismiss();
            }}
          >
            <div class="panel-head">
              <h2 id="upgrade-title">{b().limit.code === "QUOTA_EXCEEDED" ? "Monthly quota used up" : "Monthly budget spent"}</h2>
              <button type="button" class="small" onClick={() => upgradeGate.dismiss()}>
                Not now
              </button>
            </div>
            <LimitSummary limit={b().limit} />
            <Switch>
              <Match when={plans.error}>
                <ErrorPanel error={plans.error} title="The plans could not be loaded." />
              </Match>
              <Match when={!plans.data || account.fetching}>
                <SkeletonRows rows={6} label="Loading plans" />
              </Match>
              <Match when={plans.data}>
                <Show when={suggested()} fallback={<p class="muted">No plan lifts this limit; ask for an override.</p>}>
                  {(plan) => (
                    <p class="actions">
                      <button type="button" class="primary" disabled={changing.fetching} onClick={() => void upgrade(plan().id)}>
                        {changing.fetching ? "Upgrading…" : `Upgrade to ${plan().name}`}
                      </button>
                      <span class="muted">
                        {formatMoney(plan().monthlyFee, plan().currency)} a month; what you were doing continues afterwards.
                      </span>
                    </p>
                  )}
                </Show>
                <PlanCompare plans={plans.data!.plans} currentId={currentId()} />
              </Match>
            </Switch>
            <Show when={error()}>
              <ErrorPanel error={error()} title="The plan did not change." />
            </Show>
          </div>
        </div>
      )}
    </Show>
  );
}

/** The limit in words: the quota's use, cap and reset, or the budget's spend, cap and who can override it. */
function LimitSummary(props: { limit: LimitDetails }) {
  const l = () => props.limit;
  return (
    <div data-testid="limit-details">
      <p>{l().message}</p>
      <dl class="facts">
        <Show when={l().metric}>
          {(m) => (
            <>
              <dt>Metric</dt>
              <dd data-testid="limit-metric">{metricLabel(m())}</dd>
            </>
          )}
        </Show>
        <Show when={l().code === "QUOTA_EXCEEDED"}>
          <dt>Used</dt>
          <dd data-testid="limit-used">
            {formatCount(l().used)} of {formatCount(l().limit)}
          </dd>
        </Show>
        <Show when={l().code === "BUDGET_EXCEEDED"}>
          <dt>Spent</dt>
          <dd data-testid="limit-spent">
            {formatMoney(l().spent, l().currency)} of {formatMoney(l().budget, l().currency)}
          </dd>
        </Show>
        <Show when={l().resetsAt}>
          {(at) => (
            <>
              <dt>Resets</dt>
              <dd data-testid="limit-resets">{at().slice(0, 10)}</dd>
            </>
          )}
        </Show>
        <Show when={l().overrideBy}>
          {(who) => (
            <>
              <dt>Override</dt>
              <dd>{who()} can grant one.</dd>
            </>
          )}
        </Show>
      </dl>
    </div>
  );
}
