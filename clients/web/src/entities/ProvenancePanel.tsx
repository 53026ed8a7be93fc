import { For, Show } from "solid-js";
import type { EntityByIdQuery } from "../api/generated/graphql.ts";
import { Link } from "../components/Link.tsx";
import { formatTimestamp } from "../lib/format.ts";
import { hrefFor } from "../lib/route.ts";
import type { Provenance } from "./entityOf.ts";

/** Where an entity came from: when it was seen, its sources and ingest jobs, its last record, and the spellings merged into it. */
export function ProvenancePanel(props: { provenance: Provenance; mergeDecisions: EntityByIdQuery["mergeDecisions"] }) {
  return (
    <section class="panel" aria-labelledby="prov-title" data-testid="provenance">
      <h2 id="prov-title">Provenance</h2>
      <dl class="facts">
        <dt>First seen</dt>
        <dd>{formatTimestamp(props.provenance.firstSeen)}</dd>
        <dt>Last seen</dt>
        <dd>{formatTimestamp(props.provenance.lastSeen)}</dd>
        <dt>Sources</dt>
        <dd>{(props.provenance.sources ?? [props.provenance.source ?? "—"]).join(", ")}</dd>
        <dt>Ingest jobs</dt>
        <dd>
          <Show when={props.provenance.ingestJobIds?.length} fallback="—">
            <ul class="plain">
              <For each={props.provenance.ingestJobIds ?? []}>
                {(jobId) => (
                  <li>
                    <Link href={hrefFor({ name: "ingest-job", jobId })}>{jobId}</Link>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </dd>
        <dt>Last record</dt>
        <dd>
          <code class="hash">{props.provenance.recordHash ?? "—"}</code>
        </dd>
        <dt>Created</dt>
        <dd>{formatTimestamp(props.provenance.createdAt)}</dd>
      </dl>
      <Show when={props.mergeDecisions.length}>
        <h3>Merged spellings</h3>
        <ul class="plain">
          <For each={props.mergeDecisions}>
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
  );
}
