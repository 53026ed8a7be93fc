import { createQuery, createSubscription } from "@urql/solid";
import { createMemo, For, Match, Show, Switch } from "solid-js";
import {
  AuditEventRecordedDocument,
  AuditEventsDocument,
  EntityCountsDocument,
  RecentIngestJobsDocument,
  type AuditEventRecordedSubscription,
  type AuditEventRowFragment,
} from "../api/generated/graphql.ts";
import { canReadAudit, session } from "../api/session.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { RelativeTime } from "../components/RelativeTime.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { formatCount } from "../lib/format.ts";
import { hrefFor } from "../lib/route.ts";

const COUNTS = [
  ["people", "People"],
  ["organizations", "Organisations"],
  ["domains", "Domains"],
  ["ipAddresses", "IP addresses"],
  ["indicators", "Indicators"],
  ["incidents", "Incidents"],
] as const;

/** The tenant at a glance: what the graph holds, what was ingested lately and who did what. */
export function Overview() {
  const [counts, refetchCounts] = createQuery({ query: EntityCountsDocument });
  const [jobs, refetchJobs] = createQuery({ query: RecentIngestJobsDocument, variables: { first: 6 } });
  const [audit, refetchAudit] = createQuery({ query: AuditEventsDocument, variables: { first: 8 }, pause: () => !canReadAudit() });
  // New audit events arrive live over graphql-ws and go on top of the list.
  const [recorded] = createSubscription<AuditEventRecordedSubscription, AuditEventRowFragment[]>(
    { query: AuditEventRecordedDocument, pause: () => !canReadAudit() },
    (previous = [], event) => [event.auditEventRecorded, ...previous].slice(0, 8),
  );
  const events = createMemo(() => {
    const seen = new Set<string>();
    return [...(recorded.data ?? []), ...(audit.data?.auditEvents.nodes ?? [])]
      .filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)))
      .slice(0, 8);
  });

  return (
    <section class="screen" aria-labelledby="overview-title">
      <h1 id="overview-title">{session()?.user.tenant.name ?? "Tenant"} overview</h1>

      <section class="panel" aria-labelledby="counts-title">
        <h2 id="counts-title">Entities</h2>
        <Show
          when={!counts.error}
          fallback={<ErrorPanel error={counts.error} onRetry={() => refetchCounts({ requestPolicy: "network-only" })} />}
        >
          <dl class="count-grid" aria-busy={counts.fetching && !counts.data}>
            <For each={COUNTS}>
              {([key, label]) => (
                <div class="count-tile" data-testid={`count-${key}`}>
                  <dt>{label}</dt>
                  <dd>{counts.data ? formatCount(counts.data[key].totalCount) : "…"}</dd>
                </div>
              )}
            </For>
          </dl>
        </Show>
      </section>

      <div class="two-columns">
        <section class="panel" aria-labelledby="jobs-title">
          <h2 id="jobs-title">Recent ingest jobs</h2>
          <Switch>
            <Match when={jobs.error}>
              <ErrorPanel error={jobs.error} onRetry={() => refetchJobs({ requestPolicy: "network-only" })} />
            </Match>
            <Match when={!jobs.data}>
              <SkeletonRows rows={6} label="Loading ingest jobs" />
            </Match>
            <Match when={jobs.data?.ingestJobs.length === 0}>
              <p class="empty">
                No ingest jobs yet. <Link href="/ingest">Ingest a file</Link> to fill the graph.
              </p>
            </Match>
            <Match when={jobs.data}>
              <ul class="rows">
                <For each={jobs.data!.ingestJobs}>
                  {(job) => (
                    <li class="row">
                      <Link href={hrefFor({ name: "ingest-job", jobId: job.id })}>{job.source}</Link>
                      <span class="muted">
                        {job.format} · {job.mappingName} · {formatCount(job.totals.recordsRead)} records
                        {job.totals.deadLettered ? ` · ${formatCount(job.totals.deadLettered)} dead-lettered` : ""}
                      </span>
                      <StateBadge state={job.state} />
                      <RelativeTime at={job.createdAt} />
                    </li>
                  )}
                </For>
              </ul>
            </Match>
          </Switch>
        </section>

        <section class="panel" aria-labelledby="audit-title">
          <h2 id="audit-title">Recent audit events</h2>
          <Switch>
            <Match when={!canReadAudit()}>
              <p class="empty">The audit log is for admins and compliance staff; ask a tenant admin if you need it.</p>
            </Match>
            <Match when={audit.error}>
              <ErrorPanel error={audit.error} onRetry={() => refetchAudit({ requestPolicy: "network-only" })} />
            </Match>
            <Match when={!audit.data}>
              <SkeletonRows rows={6} label="Loading audit events" />
            </Match>
            <Match when={events().length === 0}>
              <p class="empty">No audit events yet.</p>
            </Match>
            <Match when={audit.data}>
              <ul class="rows" data-testid="recent-audit">
                <For each={events()}>
                  {(event) => (
                    <li class="row">
                      <code>{event.action}</code>
                      <span class="muted">
                        {event.actor.kind}
                        {event.targetIds.length ? ` → ${event.targetIds.length} target${event.targetIds.length > 1 ? "s" : ""}` : ""}
                      </span>
                      <StateBadge state={event.outcome} />
                      <RelativeTime at={event.at} />
                    </li>
                  )}
                </For>
              </ul>
              <Link href="/audit">Search the audit log</Link>
            </Match>
          </Switch>
        </section>
      </div>
    </section>
  );
}
