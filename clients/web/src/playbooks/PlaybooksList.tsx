import { createQuery } from "@urql/solid";
import { For, Match, Show, Switch } from "solid-js";
import { PlaybooksDocument, type PlaybooksQuery } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { RelativeTime } from "../components/RelativeTime.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { hrefFor } from "../lib/route.ts";

type Row = PlaybooksQuery["playbooks"][number];

const scheduleState = (p: Row) => {
  if (!p.schedule) return null;
  if (p.schedule.active) return "ACTIVE";
  if (p.schedule.paused) return "PAUSED";
  return p.requiresApproval && p.approval?.version !== p.version ? "AWAITING_APPROVAL" : "INACTIVE";
};

/** The playbooks the person may view: owner, version, schedule state and last run; and "New playbook". */
export function PlaybooksList() {
  const [playbooks, refetch] = createQuery({
    query: PlaybooksDocument,
    requestPolicy: "cache-and-network",
    context: { additionalTypenames: ["Playbook", "PlaybookRun"] },
  });
  return (
    <section class="screen" aria-labelledby="playbooks-title">
      <div class="panel-head">
        <h1 id="playbooks-title">Playbooks</h1>
        <span class="actions">
          <Link href={hrefFor({ name: "playbook-shared" })}>Open a shared link</Link>
          <Link href={hrefFor({ name: "playbook-new" })} class="button primary">
            New playbook
          </Link>
        </span>
      </div>
      <Switch>
        <Match when={playbooks.error}>
          <ErrorPanel error={playbooks.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!playbooks.data}>
          <SkeletonRows rows={4} label="Loading playbooks" />
        </Match>
        <Match when={playbooks.data?.playbooks.length === 0}>
          <p class="empty">No playbooks yet. Choose “New playbook” to save a sequence of steps you can run on demand or on a schedule.</p>
        </Match>
        <Match when={playbooks.data}>
          <table class="table" aria-label="Playbooks">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Owner</th>
                <th scope="col">Version</th>
                <th scope="col">Schedule</th>
                <th scope="col">Last run</th>
              </tr>
            </thead>
            <tbody>
              <For each={playbooks.data!.playbooks}>
                {(p) => (
                  <tr data-testid="playbook-row">
                    <td>
                      <Link href={hrefFor({ name: "playbook", id: p.id })}>{p.name}</Link>
                    </td>
                    <td>
                      <code>{p.ownerId}</code>
                    </td>
                    <td>{p.version}</td>
                    <td>
                      <Show when={scheduleState(p)} fallback="—">
                        {(s) => (
                          <>
                            <code>{p.schedule!.cron}</code> <StateBadge state={s()} />
                          </>
                        )}
                      </Show>
                    </td>
                    <td>
                      <Show when={p.runs[0]} fallback="never">
                        {(run) => (
                          <Link href={hrefFor({ name: "playbook-run", id: run().id })}>
                            <StateBadge state={run().status} /> <RelativeTime at={run().finishedAt ?? run().queuedAt} />
                          </Link>
                        )}
                      </Show>
                    </td>
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
