import { createQuery } from "@urql/solid";
import { For, Match, Switch } from "solid-js";
import { ConnectorsDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { RelativeTime } from "../components/RelativeTime.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { hrefFor } from "../lib/route.ts";
import { RegisterConnectorForm } from "./RegisterConnectorForm.tsx";

const AUTH_LABEL = { BASIC: "Basic", OAUTH_CLIENT_CREDENTIALS: "OAuth client" } as const;

/** The tenant's connectors and a form to register a ServiceNow one. */
export function ConnectorsScreen() {
  const [connectors, refetch] = createQuery({
    query: ConnectorsDocument,
    requestPolicy: "cache-and-network",
    context: { additionalTypenames: ["Connector"] },
  });
  return (
    <section class="screen" aria-labelledby="connectors-title">
      <h1 id="connectors-title">Connectors</h1>
      <Switch>
        <Match when={connectors.error}>
          <ErrorPanel error={connectors.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!connectors.data}>
          <SkeletonRows rows={3} label="Loading connectors" />
        </Match>
        <Match when={connectors.data?.connectors.length === 0}>
          <p class="empty">No connectors yet. Register your ServiceNow instance below to exchange incidents both ways.</p>
        </Match>
        <Match when={connectors.data}>
          <table class="table" aria-label="Connectors">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Instance</th>
                <th scope="col">Auth</th>
                <th scope="col">Changed</th>
              </tr>
            </thead>
            <tbody>
              <For each={connectors.data!.connectors}>
                {(c) => (
                  <tr data-testid="connector-row">
                    <td>
                      <Link href={hrefFor({ name: "connector", id: c.id })}>{c.name}</Link>
                    </td>
                    <td>{c.kind === "SERVICENOW" ? "ServiceNow" : c.kind}</td>
                    <td>
                      <code>{c.baseUrl}</code>
                    </td>
                    <td>{AUTH_LABEL[c.authKind]}</td>
                    <td>
                      <RelativeTime at={c.updatedAt ?? c.createdAt} />
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Match>
      </Switch>
      <RegisterConnectorForm />
    </section>
  );
}
