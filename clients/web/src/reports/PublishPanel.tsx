import { createMutation } from "@urql/solid";
import { createSignal, For, Show } from "solid-js";
import { PublishReportDocument, type BrokenLinkFieldsFragment, type ReportDetailsFragment } from "../api/generated/graphql.ts";
import { canApprove } from "../api/session.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { RelativeTime } from "../components/RelativeTime.tsx";
import { hrefFor } from "../lib/route.ts";
import { BrokenLinkList } from "./BrokenLinkList.tsx";
import { brokenLinksOf } from "./reportDraft.ts";

/**
 * Publish the saved draft as the next immutable version (publishReport with the
 * revision on screen). REPORT_INVALID lists the broken links from its
 * `extensions.broken`; an admin may publish over them with a justification.
 * Below: the published versions, each with its export screen.
 */
export function PublishPanel(props: {
  report: ReportDetailsFragment;
  dirty: boolean;
  onBroken: (broken: BrokenLinkFieldsFragment[]) => void;
  onPublished: () => void;
}) {
  const [state, publish] = createMutation(PublishReportDocument);
  const [error, setError] = createSignal<unknown>(null);
  const [published, setPublished] = createSignal<number | null>(null);
  const [justification, setJustification] = createSignal("");
  const broken = () => brokenLinksOf(error());

  const run = async (force: boolean) => {
    setError(null);
    setPublished(null);
    const input = { reportId: props.report.id, expectedRevision: props.report.revision };
    const result = await publish({ input: force ? { ...input, force, justification: justification().trim() } : input });
    if (!result.data) {
      setError(result.error ?? new Error("The report was not published."));
      props.onBroken(brokenLinksOf(result.error));
      return;
    }
    props.onBroken([]);
    setPublished(result.data.publishReport.version);
    props.onPublished();
  };

  return (
    <section class="panel" aria-labelledby="publish-title">
      <h2 id="publish-title">Publish</h2>
      <p class="muted">Published versions never change; the draft moves on and can be published again.</p>
      <button type="button" class="primary" disabled={props.dirty || state.fetching} onClick={() => void run(false)}>
        {state.fetching ? "Publishing…" : "Publish"}
      </button>
      <Show when={props.dirty}>
        <p class="muted">Save your changes first.</p>
      </Show>
      <Show when={published()}>
        {(version) => (
          <p class="notice" role="status" data-testid="published">
            Published version {version()}.{" "}
            <Link href={hrefFor({ name: "report-version", id: props.report.id, version: version() })}>Export it</Link>
          </p>
        )}
      </Show>
      <Show when={error()}>
        <div data-testid="publish-error">
          <ErrorPanel error={error()} title="Not published." />
          <Show when={broken().length}>
            <BrokenLinkList broken={broken()} label="Links blocking publication" />
            <Show when={canApprove()}>
              <details class="force-publish">
                <summary>Publish anyway (admins)</summary>
                <label class="small">
                  Justification (audited)
                  <input value={justification()} onInput={(e) => setJustification(e.currentTarget.value)} />
                </label>
                <button type="button" disabled={justification().trim().length < 10 || state.fetching} onClick={() => void run(true)}>
                  Publish over broken links
                </button>
              </details>
            </Show>
          </Show>
        </div>
      </Show>
      <h3 class="versions-title">Versions</h3>
      <Show when={props.report.versions.length} fallback={<p class="empty">Not published yet.</p>}>
        <ul class="rows compact" aria-label="Published versions">
          <For each={[...props.report.versions].sort((a, b) => b.version - a.version)}>
            {(v) => (
              <li class="row" data-testid="version">
                <Link href={hrefFor({ name: "report-version", id: props.report.id, version: v.version })}>Version {v.version}</Link>
                <Show when={v.forced}>
                  <span class="state-badge" data-state="FAILED">
                    forced
                  </span>
                </Show>
                <RelativeTime at={v.publishedAt} />
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
