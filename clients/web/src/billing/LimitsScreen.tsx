import { createQuery } from "@urql/solid";
import { Match, Switch } from "solid-js";
import { BillingAccountDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { AlertChannelsPanel } from "./AlertChannelsPanel.tsx";
import { AlertsPanel } from "./AlertsPanel.tsx";
import { BillingLayout } from "./BillingLayout.tsx";
import { BudgetPanel } from "./BudgetPanel.tsx";
import { OverrideForm } from "./OverrideForm.tsx";
import { QuotaPanel } from "./QuotaPanel.tsx";

/** Quotas and budget: use against each cap, the budget and its thresholds, alert channels, overrides and recent alerts. */
export function LimitsScreen() {
  const [account, refetch] = createQuery({
    query: BillingAccountDocument,
    requestPolicy: "cache-and-network",
    context: { additionalTypenames: ["BillingOverride"] },
  });
  const reload = () => refetch({ requestPolicy: "network-only" });
  return (
    <BillingLayout title="Quotas and budget">
      <Switch>
        <Match when={account.error}>
          <ErrorPanel error={account.error} onRetry={reload} />
        </Match>
        <Match when={!account.data}>
          <SkeletonRows rows={8} label="Loading quotas and budget" />
        </Match>
        <Match when={account.data?.billingAccount}>
          {(a) => (
            <>
              <QuotaPanel account={a()} onChanged={reload} />
              <div class="two-columns billing-columns">
                <BudgetPanel budget={a().budget} currency={a().plan.currency} onChanged={reload} />
                <AlertChannelsPanel channels={a().channels} onChanged={reload} />
              </div>
              <OverrideForm metrics={a().quotas.map((q) => q.metric)} onGranted={reload} />
            </>
          )}
        </Match>
      </Switch>
      <AlertsPanel />
    </BillingLayout>
  );
}
