import { For, Show } from "solid-js";
import type { PlaybookDetailsFieldsFragment } from "../api/generated/graphql.ts";
import { Link } from "../components/Link.tsx";
import { RelativeTime } from "../components/RelativeTime.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { hrefFor } from "../lib/route.ts";

/** The playbook's latest runs, each linking to its run view. */
export function RecentRuns(props: { runs: PlaybookDetailsFieldsFragment["runs"] }) {
  return (
    <section class="panel" aria-labelledby="runs-title">
      <h2 id="runs-title">Recent runs</h2>
      <Show when={props.runs.length > 0} fallback={<p class="empty">No runs yet. Run it above, or let its schedule start one.</p>}>
        <table class="table" aria-label="Recent runs">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Trigger</th>
              <th scope="col">Queued</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.runs}>
              {(run) => (
                <tr data-testid="run-row">
                  <td>
                    <Link href={hrefFor({ name: "playbook-run", id: run.id })}>Version {run.version} run</Link>
                  </td>
                  <td>
                    <StateBadge state={run.status} /> {run.errorCode ? <code>{run.errorCode}</code> : null}
                  </td>
                  <td>{run.trigger.toLowerCase().replace("_", " ")}</td>
                  <td>
                    <RelativeTime at={run.queuedAt} />
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </section>
  );
}
