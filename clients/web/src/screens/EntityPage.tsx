import { createQuery } from "@urql/solid";
import { createMemo, createSignal, For, Show } from "solid-js";
import { EntityByIdDocument, NeighbourhoodDocument, type EntityByIdQuery } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { GraphView } from "../components/GraphView.tsx";
import { KindBadge } from "../components/KindBadge.tsx";
import { Link } from "../components/Link.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { formatTimestamp } from "../lib/format.ts";

interface Provenance {
  createdAt: string;
  source: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  sources: string[] | null;
  ingestJobIds: string[] | null;
  recordHash: string | null;
}

interface Entity {
  kind: string;
  label: string;
  properties: Array<[string, string]>;
  provenance: Provenance;
}

/** The one entity the query found, whatever its type. */
function entityOf(data: EntityByIdQuery): Entity | null {
  const text = (v: string | number | null | undefined) => (v == null || v === "" ? "—" : String(v));
  const [p] = data.people;
  if (p) return { kind: "Person", label: p.name, properties: [["E-mail", text(p.email)]], provenance: p };
  const [o] = data.organizations;
  if (o) return { kind: "Organization", label: o.name, properties: [["Sector", text(o.sector)]], provenance: o };
  const [d] = data.domains;
  if (d) return { kind: "Domain", label: d.name, properties: [], provenance: d };
  const [a] = data.ipAddresses;
  if (a) return { kind: "IPAddress", label: a.address, properties: [["Version", text(a.version)]], provenance: a };
  const [i] = data.indicators;
  if (i)
    return {
      kind: "Indicator",
      label: i.pattern,
      properties: [
        ["Kind", i.kind],
        ["Description", text(i.description)],
      ],
      provenance: i,
    };
  const [n] = data.incidents;
  if (n)
    return {
      kind: "Incident",
      label: n.title,
      properties: [
        ["Severity", text(n.severity)],
        ["Status", text(n.status)],
      ],
      provenance: n,
    };
  return null;
}

/** An entity: its properties, its neighbourhood drawn as a graph (and listed), and where it came from. */
export function EntityPage(props: { id: string }) {
  const [result, refetch] = createQuery({ query: EntityByIdDocument, variables: { id: props.id } });
  const [hops, setHops] = createSignal(1);
  const [hood, refetchHood] = createQuery({ query: NeighbourhoodDocument, variables: () => ({ id: props.id, hops: hops(), limit: 60 }) });
  const entity = createMemo(() => (result.data ? entityOf(result.data) : null));
  const neighbours = () => (hood.data?.neighbourhood.nodes ?? []).filter((n) => n.id !== props.id);

  return (
    <section class="screen" aria-labelledby="entity-title">
      <Show when={!result.error} fallback={<ErrorPanel error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}>
        <Show when={result.data} fallback={<SkeletonRows rows={6} label="Loading the entity" />}>
          <Show
            when={entity()}
            fallback={
              <ErrorPanel
                error={{ graphQLErrors: [{ message: `No entity ${props.id} in your tenant.`, extensions: { code: "NOT_FOUND" } }] }}
                title="Not found."
              />
            }
          >
            {(e) => (
              <>
                <h1 id="entity-title">
                  <KindBadge kind={e().kind} /> {e().label}
                </h1>
                <div class="entity-layout">
                  <section class="panel graph-panel" aria-labelledby="hood-title">
                    <div class="panel-head">
                      <h2 id="hood-title">Neighbourhood</h2>
                      <label class="inline">
                        Hops
                        <select value={hops()} onChange={(ev) => setHops(Number(ev.currentTarget.value))}>
                          <option value="1">1</option>
                          <option value="2">2</option>
                          <option value="3">3</option>
                        </select>
                      </label>
                    </div>
                    <Show
                      when={!hood.error}
                      fallback={<ErrorPanel error={hood.error} onRetry={() => refetchHood({ requestPolicy: "network-only" })} />}
                    >
                      <div class="graph-frame" aria-busy={hood.fetching}>
                        <Show when={hood.data} fallback={<SkeletonRows rows={1} label="Loading the neighbourhood" />}>
                          {(h) => <GraphView neighbourhood={h().neighbourhood} centreId={props.id} />}
                        </Show>
                      </div>
                      <Show when={hood.data?.neighbourhood.truncated}>
                        <p class="muted">More entities are within reach than shown (limit 60).</p>
                      </Show>
                      <Show when={hood.data && neighbours().length === 0}>
                        <p class="empty">
                          No relationships within {hops()} hop{hops() > 1 ? "s" : ""}.
                        </p>
                      </Show>
                      <ul class="rows compact" aria-label="Neighbours">
                        <For each={neighbours()}>
                          {(n) => (
                            <li class="row">
                              <KindBadge kind={n.type} />
                              <Link href={`/entities/${encodeURIComponent(n.id)}`}>{n.label}</Link>
                              <span class="muted">
                                {n.hops} hop{n.hops > 1 ? "s" : ""}
                              </span>
                            </li>
                          )}
                        </For>
                      </ul>
                    </Show>
                  </section>

                  <div class="entity-side">
                    <section class="panel" aria-labelledby="props-title">
                      <h2 id="props-title">Properties</h2>
                      <dl class="facts">
                        <For each={e().properties}>
                          {([k, v]) => (
                            <>
                              <dt>{k}</dt>
                              <dd>{v}</dd>
                            </>
                          )}
                        </For>
                        <dt>Id</dt>
                        <dd>
                          <code>{props.id}</code>
                        </dd>
                      </dl>
                    </section>
                    <section class="panel" aria-labelledby="prov-title" data-testid="provenance">
                      <h2 id="prov-title">Provenance</h2>
                      <dl class="facts">
                        <dt>First seen</dt>
                        <dd>{formatTimestamp(e().provenance.firstSeen)}</dd>
                        <dt>Last seen</dt>
                        <dd>{formatTimestamp(e().provenance.lastSeen)}</dd>
                        <dt>Sources</dt>
                        <dd>{(e().provenance.sources ?? [e().provenance.source ?? "—"]).join(", ")}</dd>
                        <dt>Ingest jobs</dt>
                        <dd>
                          <Show when={e().provenance.ingestJobIds?.length} fallback="—">
                            <ul class="plain">
                              <For each={e().provenance.ingestJobIds ?? []}>
                                {(jobId) => (
                                  <li>
                                    <Link href={`/ingest/jobs/${encodeURIComponent(jobId)}`}>{jobId}</Link>
                                  </li>
                                )}
                              </For>
                            </ul>
                          </Show>
                        </dd>
                        <dt>Last record</dt>
                        <dd>
                          <code class="hash">{e().provenance.recordHash ?? "—"}</code>
                        </dd>
                        <dt>Created</dt>
                        <dd>{formatTimestamp(e().provenance.createdAt)}</dd>
                      </dl>
                      <Show when={result.data!.mergeDecisions.length}>
                        <h3>Merged spellings</h3>
                        <ul class="plain">
                          <For each={result.data!.mergeDecisions}>
                            {(m) => (
                              <li>
                                “{m.rawKey}”{" "}
                                <span class="muted">
                                  ({m.rule}, record {m.record.index + 1})
                                </span>
                              </li>
                            )}
                          </For>
                        </ul>
                      </Show>
                    </section>
                  </div>
                </div>
              </>
            )}
          </Show>
        </Show>
      </Show>
    </section>
  );
}
