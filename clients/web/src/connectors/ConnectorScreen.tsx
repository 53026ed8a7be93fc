import { createQuery } from "@urql/solid";
import { createSignal, Match, Switch } from "solid-js";
import { ConnectorDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { formatTimestamp } from "../lib/format.ts";
import { ConnectorConfigForm } from "./ConnectorConfigForm.tsx";
import { ConnectorHealthPanel } from "./ConnectorHealthPanel.tsx";
import { DeadLetterPanel } from "./DeadLetterPanel.tsx";
import { DeliveriesPanel } from "./DeliveriesPanel.tsx";
import { TestConnectionPanel } from "./TestConnectionPanel.tsx";

/** One connector: its configuration, a connection test, health over the last hour and the dead-letter queue. */
export function ConnectorScreen(props: { id: string }) {
  const [connector, refetch] = createQuery({ query: ConnectorDocument, variables: () => ({ id: props.id }) });
  const [healthKey, setHealthKey] = createSignal(0);
  return (
    <section class="screen" aria-labelledby="connector-title">
      <p>
        <Link href="/connectors">← Connectors</Link>
      </p>
      <Switch>
        <Match when={connector.error}>
          <ErrorPanel error={connector.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!connector.data}>
          <SkeletonRows rows={10} label="Loading the connector" />
        </Match>
        <Match when={connector.data?.connector === null}>
          <ErrorPanel
            error={{ graphQLErrors: [{ message: `No connector ${props.id} in your tenant.`, extensions: { code: "NOT_FOUND" } }] }}
            title="Not found."
          />
        </Match>
        <Match when={connector.data?.connector}>
          {(c) => (
            <>
              <h1 id="connector-title">{c().name}</h1>
              <p class="muted">
                ServiceNow · <code>{c().baseUrl}</code> ·{" "}
                {c().authKind === "BASIC" ? `basic auth as ${c().username ?? "—"}` : `OAuth client ${c().clientId ?? "—"}`} · secret{" "}
                {c().secretSource === "REFERENCE" ? `reference ${c().secretRef ?? ""}` : "stored encrypted"} · registered{" "}
                {formatTimestamp(c().createdAt)}
              </p>
              <div class="two-columns">
                <TestConnectionPanel connectorId={c().id} onTested={() => setHealthKey((k) => k + 1)} />
                <ConnectorHealthPanel connectorId={c().id} refreshKey={healthKey()} />
              </div>
              <DeadLetterPanel connectorId={c().id} onReplayed={() => setHealthKey((k) => k + 1)} />
              <DeliveriesPanel connectorId={c().id} refreshKey={healthKey()} onSynced={() => setHealthKey((k) => k + 1)} />
              <ConnectorConfigForm connector={c()} onSaved={() => setHealthKey((k) => k + 1)} />
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}
