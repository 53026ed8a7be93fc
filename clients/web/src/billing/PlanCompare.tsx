import { For, Show, type JSX } from "solid-js";
import type { BillingPlanFieldsFragment, UsageMetric } from "../api/generated/graphql.ts";
import { formatCount } from "../lib/format.ts";
import { formatMoney, formatUnitPrice, metricLabel } from "./billingFormat.ts";

type Plan = BillingPlanFieldsFragment;

/** Every metric any plan caps or prices, in the order the plans list them. */
function metricsOf(plans: readonly Plan[], pick: (p: Plan) => ReadonlyArray<{ metric: UsageMetric }>): UsageMetric[] {
  return [...new Set(plans.flatMap((p) => pick(p).map((x) => x.metric)))];
}

/**
 * The compare table: one column per plan (cheapest first), rows for the fee,
 * each quota, each price (included units, then the price per step) and the
 * features; the current plan's column is marked. `action` renders a plan's button.
 */
export function PlanCompare(props: { plans: readonly Plan[]; currentId: string | null; action?: (plan: Plan) => JSX.Element }) {
  const plans = () => [...props.plans].sort((a, b) => a.monthlyFee - b.monthlyFee);
  const quotaMetrics = () => metricsOf(plans(), (p) => p.quotas);
  const priceMetrics = () => metricsOf(plans(), (p) => p.prices);
  const features = () => [...new Set(plans().flatMap((p) => p.features))];
  const isCurrent = (plan: Plan) => plan.id === props.currentId;
  return (
    <div class="plan-compare-frame">
      <table class="table plan-compare" aria-label="Plans">
        <thead>
          <tr>
            <th scope="col">Plan</th>
            <For each={plans()}>
              {(plan) => (
                <th scope="col" data-plan={plan.id} data-current={isCurrent(plan) ? "true" : "false"}>
                  {plan.name}
                  <Show when={isCurrent(plan)}>
                    {" "}
                    <span class="plan-current">Current plan</span>
                  </Show>
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Monthly fee</th>
            <For each={plans()}>{(plan) => <td>{formatMoney(plan.monthlyFee, plan.currency)}</td>}</For>
          </tr>
          <For each={quotaMetrics()}>
            {(metric) => (
              <tr>
                <th scope="row">{metricLabel(metric)} a month</th>
                <For each={plans()}>{(plan) => <td>{formatQuota(plan.quotas.find((q) => q.metric === metric)?.limit)}</td>}</For>
              </tr>
            )}
          </For>
          <For each={priceMetrics()}>
            {(metric) => (
              <tr class="plan-price">
                <th scope="row">{plans()[0]?.prices.find((p) => p.metric === metric)?.label ?? metricLabel(metric)}</th>
                <For each={plans()}>
                  {(plan) => {
                    const price = plan.prices.find((p) => p.metric === metric);
                    return (
                      <td>
                        {price
                          ? `${formatCount(price.included)} included, then ${formatUnitPrice(price.unitPrice, plan.currency)} per ${formatCount(price.per)}`
                          : "—"}
                      </td>
                    );
                  }}
                </For>
              </tr>
            )}
          </For>
          <For each={features()}>
            {(feature) => (
              <tr>
                <th scope="row">{feature}</th>
                <For each={plans()}>{(plan) => <td>{plan.features.includes(feature) ? "✓" : "—"}</td>}</For>
              </tr>
            )}
          </For>
          <Show when={props.action}>
            <tr>
              <th scope="row">
                <span class="visually-hidden">Change</span>
              </th>
              <For each={plans()}>{(plan) => <td>{props.action!(plan)}</td>}</For>
            </tr>
          </Show>
        </tbody>
      </table>
    </div>
  );
}

const formatQuota = (limit: number | undefined) => (limit == null ? "Unlimited" : formatCount(limit));
