import { createQuery } from "@urql/solid";
import { For, Show } from "solid-js";
import { ReportVersionDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { ExportPanel } from "../exports/ExportPanel.tsx";
import { ExportsList } from "../exports/ExportsList.tsx";
import { HelpButton } from "../help/HelpButton.tsx";
import { formatTimestamp } from "../lib/format.ts";
import { hrefFor } from "../lib/route.ts";

/** A published (immutable) version: what it says, and its exports. */
export function ReportVersionScreen(props: { id: string; version: number }) {
  const [result, refetch] = createQuery({
    query: ReportVersionDocument,
    variables: () => ({ reportId: props.id, version: props.version }),
  });
  const notFound = {
    graphQLErrors: [{ message: `No version ${props.version} of report ${props.id} in your tenant.`, extensions: { code: "NOT_FOUND" } }],
  };
  return (
    <section class="screen" aria-labelledby="version-title">
      <Show when={!result.error} fallback={<ErrorPanel error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}>
        <Show when={result.data} fallback={<SkeletonRows rows={6} label="Loading the version" />}>
          <Show when={result.data!.reportVersion} fallback={<ErrorPanel error={notFound} title="Not found." />}>
            {(v) => (
              <>
                <h1 id="version-title">
                  {v().title} · version {v().version} <HelpButton topic="export" />
                </h1>
                <p class="muted">
                  Published {formatTimestamp(v().publishedAt)}
                  {v().forced ? ` over broken links: “${v().justification ?? ""}”` : ""} ·{" "}
                  <Link href={hrefFor({ name: "report", id: props.id })}>Back to the draft</Link>
                </p>
                <div class="report-layout">
                  <div>
                    <For each={v().sections}>
                      {(s, i) => (
                        <section class="panel">
                          <h2>
                            {i() + 1}. {s.title}
                          </h2>
                          <p class="markdown">{s.body}</p>
                        </section>
                      )}
                    </For>
                    <For each={v().findings}>
                      {(f) => (
                        <section class="panel" data-testid="version-finding">
                          <h2>
                            Finding {f.number}: {f.title}
                          </h2>
                          <p class="markdown">{f.body}</p>
                          <ul class="evidence-list" aria-label={`Evidence of finding ${f.number}`}>
                            <For each={f.evidence}>
                              {(e) => (
                                <li class="evidence">
                                  {e.label}
                                  <For each={v().annotations.filter((a) => a.evidenceId === e.id)}>
                                    {(a) => (
                                      <p class="annotation">
                                        {a.highlight ? <mark>{a.highlight}</mark> : null} {a.text}
                                      </p>
                                    )}
                                  </For>
                                </li>
                              )}
                            </For>
                          </ul>
                        </section>
                      )}
                    </For>
                  </div>
                  <aside class="report-side" aria-label="Export">
                    <ExportPanel reportId={props.id} version={props.version} />
                    <ExportsList reportId={props.id} />
                  </aside>
                </div>
              </>
            )}
          </Show>
        </Show>
      </Show>
    </section>
  );
}
