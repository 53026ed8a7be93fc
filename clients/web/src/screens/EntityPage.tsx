import { createQuery } from "@urql/solid";
import { createMemo, createSignal, For, Show } from "solid-js";
import { EntityByIdDocument, NeighbourhoodDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { KindBadge } from "../components/KindBadge.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { entityOf } from "../entities/entityOf.ts";
import { NeighbourhoodPanel } from "../entities/NeighbourhoodPanel.tsx";
import { ProvenancePanel } from "../entities/ProvenancePanel.tsx";
import { MarkingBadge } from "../intel/MarkingBadge.tsx";
import { ScoreBadge } from "../intel/ScoreBadge.tsx";
import { ScorePanel } from "../intel/ScorePanel.tsx";
import { StixExportButton } from "../intel/StixExportButton.tsx";
import { useScoreThresholds } from "../intel/useScoreThresholds.ts";

/** An entity: its properties, its neighbourhood drawn as a graph (and listed), and where it came from. */
export function EntityPage(props: { id: string }) {
  const [result, refetch] = createQuery({ query: EntityByIdDocument, variables: { id: props.id } });
  const [hops, setHops] = createSignal(1);
  // Both queries start at once: the neighbourhood does not wait for the entity.
  const [hood, refetchHood] = createQuery({ query: NeighbourhoodDocument, variables: () => ({ id: props.id, hops: hops(), limit: 60 }) });
  const entity = createMemo(() => (result.data ? entityOf(result.data) : null));
  const thresholds = useScoreThresholds();

  return (
    <section class="screen" aria-labelledby="entity-title">
      <Show when={!result.error} fallback={<ErrorPanel error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}>
        <Show when={result.data} fallback={<SkeletonRows rows={6} label="Loading the entity" />}>
          <Show
            when={entity()}
            fallback={
              <ErrorPanel
                error={{
                  graphQLErrors: [
                    {
                      message: `No entity ${props.id} that you may see: it is not in your tenant, is marked above your clearance, or a suppression rule hides it.`,
                      extensions: { code: "NOT_FOUND" },
                    },
                  ],
                }}
                title="Not found."
              />
            }
          >
            {(e) => (
              <>
                <h1 id="entity-title">
                  <KindBadge kind={e().kind} /> {e().label}{" "}
                  <span class="entity-badges">
                    <MarkingBadge marking={e().intel.marking} />
                    <ScoreBadge score={e().intel.score} thresholds={thresholds()} />
                  </span>
                </h1>
                <div class="entity-layout">
                  <NeighbourhoodPanel
                    id={props.id}
                    hops={hops()}
                    onHops={setHops}
                    hood={hood}
                    onRetry={() => refetchHood({ requestPolicy: "network-only" })}
                  />

                  <div class="entity-side">
                    <ScorePanel id={props.id} entity={e()} thresholds={thresholds()} />
                    <section class="panel" aria-labelledby="props-title" data-testid="properties">
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
                      <StixExportButton id={props.id} />
                    </section>
                    <ProvenancePanel provenance={e().provenance} mergeDecisions={result.data!.mergeDecisions} />
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
