import { createMutation, createQuery } from "@urql/solid";
import { createEffect, createSignal, For, Match, on, Show, Switch } from "solid-js";
import { ConnectorDeliveriesDocument, SyncServiceNowIncidentsDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { formatTimestamp } from "../lib/format.ts";

/** The latest outbound deliveries (what was sent, ServiceNow's number, attempts) and "Sync now" for pull mode. */
export function DeliveriesPanel(props: { connectorId: string; refreshKey: number; onSynced: () => void }) {
  const [deliveries, refetch] = createQuery({
    query: ConnectorDeliveriesDocument,
    variables: () => ({ connectorId: props.connectorId, limit: 20 }),
    requestPolicy: "network-only",
  });
  const reload = () => refetch({ requestPolicy: "network-only" });
  createEffect(on(() => props.refreshKey, reload, { defer: true }));
  const [syncing, sync] = createMutation(SyncServiceNowIncidentsDocument);
  const [notice, setNotice] = createSignal("");
  const [error, setError] = createSignal<unknown>(null);
  const onSync = async () => {
    setError(null);
    setNotice("");
    const result = await sync({ connectorId: props.connectorId });
    if (!result.data) return setError(result.error ?? new Error("The sync did not run."));
    const s = result.data.syncServiceNowIncidents;
    setNotice(`Fetched ${s.fetched} incident(s) in ${s.pages} page(s), ${s.upserted} upserted; cursor ${s.cursor ?? "—"}.`);
    props.onSynced();
  };

  return (
    <section class="panel" aria-labelledby="deliveries-title">
      <div class="panel-head">
        <h2 id="deliveries-title">Deliveries</h2>
        <button type="button" class="small" onClick={reload}>
          Refresh
        </button>
        <button type="button" onClick={() => void onSync()} disabled={syncing.fetching}>
          {syncing.fetching ? "Syncing…" : "Sync now (pull)"}
        </button>
      </div>
      <Show when={notice()}>
        <p class="muted" role="status" data-testid="sync-notice">
          {notice()}
        </p>
      </Show>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The sync did not run." />
      </Show>
      <Switch>
        <Match when={deliveries.error}>
          <ErrorPanel error={deliveries.error} onRetry={reload} />
        </Match>
        <Match when={!deliveries.data}>
          <SkeletonRows rows={3} label="Loading deliveries" />
        </Match>
        <Match when={deliveries.data?.connectorDeliveries.length === 0}>
          <p class="empty">Nothing sent yet. Incidents are pushed by a playbook step or pushIncidentToServiceNow.</p>
        </Match>
        <Match when={deliveries.data}>
          <table class="table" aria-label="Deliveries">
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Action</th>
                <th scope="col">Status</th>
                <th scope="col">ServiceNow</th>
                <th scope="col">Attempts</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              <For each={deliveries.data!.connectorDeliveries}>
                {(d) => (
                  <tr data-testid="delivery-row">
                    <td>
                      <code>{d.incidentId}</code>
                    </td>
                    <td>{d.action.toLowerCase()}</td>
                    <td>
                      <StateBadge state={d.status} /> {d.created ? "" : <span class="muted">(already there)</span>}
                    </td>
                    <td>{d.number ?? d.sysId ?? "—"}</td>
                    <td>
                      {d.attempts}
                      {d.lastError ? <span class="muted"> · {d.lastError}</span> : null}
                    </td>
                    <td>{formatTimestamp(d.deliveredAt ?? d.createdAt)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Match>
      </Switch>
    </section>
  );
}
