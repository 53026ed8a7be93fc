import { createQuery } from "@urql/solid";
import { For, Match, Switch } from "solid-js";
import { BillingAlertsDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { RelativeTime } from "../components/RelativeTime.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { StateBadge } from "../components/StateBadge.tsx";

/** Recent budget and quota alerts, newest first, with each delivery's status. */
export function AlertsPanel() {
  const [alerts, refetch] = createQuery({
    query: BillingAlertsDocument,
    variables: { first: 20 },
    requestPolicy: "cache-and-network",
    context: { additionalTypenames: ["BillingAlert"] },
  });
  return (
    <section class="panel" aria-labelledby="alerts-title">
      <div class="panel-head">
        <h2 id="alerts-title">Recent alerts</h2>
        <button type="button" class="small" onClick={() => refetch({ requestPolicy: "network-only" })}>
          Refresh
        </button>
      </div>
      <Switch>
        <Match when={alerts.error}>
          <ErrorPanel error={alerts.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!alerts.data}>
          <SkeletonRows rows={3} label="Loading alerts" />
        </Match>
        <Match when={alerts.data?.billingAlerts.length === 0}>
          <p class="empty">No alerts this period. They are raised at each budget threshold and at 80 % and 100 % of a quota.</p>
        </Match>
        <Match when={alerts.data}>
          <ul class="rows">
            <For each={alerts.data!.billingAlerts}>
              {(alert) => (
                <li class="row billing-alert" data-testid="billing-alert">
                  <code>
                    {alert.kind} {alert.threshold}%
                  </code>
                  <span>{alert.message}</span>
                  <RelativeTime at={alert.raisedAt} />
                  <ul class="deliveries" aria-label="Deliveries">
                    <For each={alert.deliveries} fallback={<li class="muted">No channels were set.</li>}>
                      {(d) => (
                        <li>
                          <StateBadge state={d.status} /> {d.channel} → {d.target}
                          <span class="muted">
                            {" "}
                            · {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
                            {d.lastStatusCode ? ` · HTTP ${d.lastStatusCode}` : ""}
                            {d.lastError ? ` · ${d.lastError}` : ""}
                          </span>
                        </li>
                      )}
                    </For>
                  </ul>
                </li>
              )}
            </For>
          </ul>
        </Match>
      </Switch>
    </section>
  );
}
