import { createMutation, createQuery } from "@urql/solid";
import { createSignal, For, Match, Show, Switch } from "solid-js";
import { ReportExportLinkDocument, ReportExportsDocument, type ReportExportLinkMutation } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { RelativeTime } from "../components/RelativeTime.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { DownloadLink } from "./DownloadLink.tsx";
import { describeRedactions } from "./exportView.ts";

type Link = ReportExportLinkMutation["reportExportLink"];

/** The report's previous exports, each with "New link" (links expire after 15 minutes). */
export function ExportsList(props: { reportId: string }) {
  const [exports, refetch] = createQuery({
    query: ReportExportsDocument,
    variables: () => ({ reportId: props.reportId }),
    context: { additionalTypenames: ["ReportExport"] },
  });
  const [, newLink] = createMutation(ReportExportLinkDocument);
  const [links, setLinks] = createSignal<Record<string, Link>>({});
  const [error, setError] = createSignal<unknown>(null);
  const renew = async (exportId: string) => {
    setError(null);
    const result = await newLink({ exportId });
    if (!result.data) return setError(result.error ?? new Error("No new link."));
    setLinks({ ...links(), [exportId]: result.data.reportExportLink });
  };
  return (
    <section class="panel" aria-labelledby="exports-title">
      <h2 id="exports-title">Previous exports</h2>
      <Show when={error()}>
        <ErrorPanel error={error()} title="No new link." />
      </Show>
      <Switch>
        <Match when={exports.error}>
          <ErrorPanel error={exports.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!exports.data}>
          <SkeletonRows rows={2} label="Loading exports" />
        </Match>
        <Match when={exports.data?.reportExports.length === 0}>
          <p class="empty">No exports yet.</p>
        </Match>
        <Match when={exports.data}>
          <ul class="rows" aria-label="Exports">
            <For each={exports.data!.reportExports}>
              {(e) => (
                <li class="row" data-testid="report-export">
                  <strong>
                    {e.format} · version {e.version}
                  </strong>
                  <span class="muted">
                    {e.locale} · {e.residency.label} · {describeRedactions(e.redactions)}
                  </span>
                  <Show
                    when={links()[e.id]}
                    fallback={
                      <button
                        type="button"
                        class="small"
                        aria-label={`New link for ${e.format} export of version ${e.version}`}
                        onClick={() => void renew(e.id)}
                      >
                        New link
                      </button>
                    }
                  >
                    {(link) => <DownloadLink url={link().url} expiresAt={link().expiresAt} label={`Download ${e.format}`} />}
                  </Show>
                  <RelativeTime at={e.createdAt} />
                </li>
              )}
            </For>
          </ul>
        </Match>
      </Switch>
    </section>
  );
}
