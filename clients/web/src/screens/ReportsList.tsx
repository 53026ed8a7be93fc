import { createMutation, createQuery } from "@urql/solid";
import { createSignal, For, Match, Show, Switch } from "solid-js";
import { CreateReportDocument, ReportsDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { RelativeTime } from "../components/RelativeTime.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { HelpButton } from "../help/HelpButton.tsx";
import { navigate } from "../lib/navigation.ts";
import { hrefFor } from "../lib/route.ts";

/** The tenant's reports (drafts and published), newest change first, and a form to start one. */
export function ReportsList() {
  const [reports, refetch] = createQuery({
    query: ReportsDocument,
    variables: { first: 50 },
    requestPolicy: "cache-and-network",
    context: { additionalTypenames: ["Report"] },
  });
  const [creating, create] = createMutation(CreateReportDocument);
  const [title, setTitle] = createSignal("");
  const [error, setError] = createSignal<unknown>(null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    const result = await create({ input: { title: title().trim() } });
    if (!result.data) return setError(result.error ?? new Error("The report was not created."));
    navigate({ name: "report", id: result.data.createReport.id });
  };

  return (
    <section class="screen" aria-labelledby="reports-title">
      <h1 id="reports-title">
        Reports <HelpButton topic="reports" />
      </h1>
      <form class="panel inline-form" aria-label="New report" onSubmit={(e) => void submit(e)}>
        <label>
          New report title
          <input
            name="title"
            required
            value={title()}
            onInput={(e) => setTitle(e.currentTarget.value)}
            placeholder="e.g. Acme staff overlap"
          />
        </label>
        <button type="submit" class="primary" disabled={creating.fetching || !title().trim()}>
          {creating.fetching ? "Creating…" : "Create report"}
        </button>
      </form>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The report was not created." />
      </Show>
      <Switch>
        <Match when={reports.error}>
          <ErrorPanel error={reports.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!reports.data}>
          <SkeletonRows rows={4} label="Loading reports" />
        </Match>
        <Match when={reports.data?.reports.length === 0}>
          <p class="empty">No reports yet. Create one here, or use “Add to report” on an answer in Ask.</p>
        </Match>
        <Match when={reports.data}>
          <table class="table" aria-label="Reports">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Latest version</th>
                <th scope="col">Changed</th>
              </tr>
            </thead>
            <tbody>
              <For each={reports.data!.reports}>
                {(report) => (
                  <tr data-testid="report-row">
                    <td>
                      <Link href={hrefFor({ name: "report", id: report.id })}>{report.title}</Link>
                    </td>
                    <td>
                      <StateBadge state={report.status} />
                    </td>
                    <td>
                      <Show when={report.latestVersion} fallback="—">
                        {(v) => <Link href={hrefFor({ name: "report-version", id: report.id, version: v() })}>Version {v()}</Link>}
                      </Show>
                    </td>
                    <td>
                      <RelativeTime at={report.updatedAt} />
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
