import type { CreateQueryState } from "@urql/solid";
import { For, Show } from "solid-js";
import type { NeighbourhoodQuery, NeighbourhoodQueryVariables } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { GraphView } from "../components/GraphView.tsx";
import { KindBadge } from "../components/KindBadge.tsx";
import { Link } from "../components/Link.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { hrefFor } from "../lib/route.ts";

/** The entities within 1–3 hops: drawn as a graph and listed, with the hop count to choose. */
export function NeighbourhoodPanel(props: {
  id: string;
  hops: number;
  onHops: (hops: number) => void;
  hood: CreateQueryState<NeighbourhoodQuery, NeighbourhoodQueryVariables>;
  onRetry: () => void;
}) {
  const neighbours = () => (props.hood.data?.neighbourhood.nodes ?? []).filter((n) => n.id !== props.id);
  return (
    <section class="panel graph-panel" aria-labelledby="hood-title">
      <div class="panel-head">
        <h2 id="hood-title">Neighbourhood</h2>
        <label class="inline">
          Hops
          <select value={props.hops} onChange={(ev) => props.onHops(Number(ev.currentTarget.value))}>
            <option value="1">1</option>
            <option value="2">2</option>
            <option value="3">3</option>
          </select>
        </label>
      </div>
      <Show when={!props.hood.error} fallback={<ErrorPanel error={props.hood.error} onRetry={() => props.onRetry()} />}>
        <div class="graph-frame" aria-busy={props.hood.fetching}>
          <Show when={props.hood.data} fallback={<SkeletonRows rows={1} label="Loading the neighbourhood" />}>
            {(h) => <GraphView nodes={h().neighbourhood.nodes} edges={h().neighbourhood.edges} centreId={props.id} />}
          </Show>
        </div>
        <Show when={props.hood.data?.neighbourhood.truncated}>
          <p class="muted">More entities are within reach than shown (limit 60).</p>
        </Show>
        <Show when={props.hood.data && neighbours().length === 0}>
          <p class="empty">
            No relationships within {props.hops} hop{props.hops > 1 ? "s" : ""}.
          </p>
        </Show>
        <ul class="rows compact" aria-label="Neighbours">
          <For each={neighbours()}>
            {(n) => (
              <li class="row">
                <KindBadge kind={n.type} />
                <Link href={hrefFor({ name: "entity", id: n.id })}>{n.label}</Link>
                <span class="muted">
                  {n.hops} hop{n.hops > 1 ? "s" : ""}
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
