import { createMutation, createQuery, useClient } from "@urql/solid";
import { createEffect, createMemo, createSignal, on, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import {
  ReportDocument,
  UpdateReportDraftDocument,
  type BrokenLinkFieldsFragment,
  type ReportDetailsFragment,
} from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { HelpButton } from "../help/HelpButton.tsx";
import { FindingsEditor } from "../reports/FindingsEditor.tsx";
import { PublishPanel } from "../reports/PublishPanel.tsx";
import { draftInput, draftOf, isDirty, type ReportDraft } from "../reports/reportDraft.ts";
import { SectionsEditor } from "../reports/SectionsEditor.tsx";
import { ValidatorPanel } from "../reports/ValidatorPanel.tsx";

const CONFLICT_STEP =
  "Someone saved this report after you opened it. Reload the saved report (your unsaved changes here are replaced), then make them again.";

/**
 * The report editor: the draft's title, sections and findings (with evidence,
 * the picker and annotations), saved whole with the revision it started from;
 * beside it the validator, publishing and the published versions.
 */
export function ReportEditor(props: { id: string }) {
  // Annotations and versions come from other mutations: refetch the report when they change.
  const context = { additionalTypenames: ["ReportAnnotation", "ReportVersion"] };
  const client = useClient();
  const [result, refetch] = createQuery({ query: ReportDocument, variables: () => ({ id: props.id }), context });
  const [saving, save] = createMutation(UpdateReportDraftDocument);
  const [saved, setSaved] = createSignal<ReportDetailsFragment | null>(null);
  const [draft, setDraft] = createStore<ReportDraft>({ title: "", sections: [], findings: [] });
  const [saveError, setSaveError] = createSignal<unknown>(null);
  const [notice, setNotice] = createSignal("");
  const [broken, setBroken] = createSignal<readonly BrokenLinkFieldsFragment[]>([]);
  const dirty = createMemo(() => {
    const base = saved();
    return base ? isDirty(draft, base) : false;
  });
  const load = (report: ReportDetailsFragment) => {
    setSaved(report);
    setDraft(reconcile(draftOf(report), { key: "key" }));
  };
  // A fresh answer replaces the draft only while there are no unsaved edits (Save then says CONFLICT if it moved on).
  createEffect(
    on(
      () => result.data?.report,
      (report) => {
        if (report && (!saved() || !dirty())) load(report);
        else if (report) setSaved({ ...saved()!, annotations: report.annotations, versions: report.versions });
      },
    ),
  );
  const brokenIds = createMemo(
    () => new Set(broken().flatMap((b) => [b.evidenceId, b.sectionId].filter((id): id is string => Boolean(id)))),
  );

  const submit = async () => {
    const base = saved();
    if (!base) return;
    setSaveError(null);
    setNotice("");
    const outcome = await save({ id: base.id, expectedRevision: base.revision, input: draftInput(draft) });
    if (!outcome.data) return setSaveError(outcome.error ?? new Error("The draft was not saved."));
    load(outcome.data.updateReportDraft);
    setNotice(`Saved (revision ${outcome.data.updateReportDraft.revision}).`);
  };
  // After our own annotate or publish (both move the revision on): the fresh report, keeping unsaved edits.
  const refresh = async () => {
    const fresh = await client.query(ReportDocument, { id: props.id }, { requestPolicy: "network-only", ...context }).toPromise();
    const report = fresh.data?.report;
    if (report && !dirty()) load(report);
    else if (report) setSaved(report);
  };
  const reload = async () => {
    const fresh = await client.query(ReportDocument, { id: props.id }, { requestPolicy: "network-only", ...context }).toPromise();
    if (fresh.data?.report) {
      setSaveError(null);
      load(fresh.data.report);
    } else setSaveError(fresh.error ?? new Error("The report could not be reloaded."));
  };

  return (
    <section class="screen" aria-labelledby="report-title">
      <Show when={!result.error} fallback={<ErrorPanel error={result.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}>
        <Show when={result.data} fallback={<SkeletonRows rows={8} label="Loading the report" />}>
          <Show
            when={saved()}
            fallback={
              <Show when={result.data?.report === null} fallback={<SkeletonRows rows={8} label="Loading the report" />}>
                <ErrorPanel
                  error={{ graphQLErrors: [{ message: `No report ${props.id} in your tenant.`, extensions: { code: "NOT_FOUND" } }] }}
                  title="Not found."
                />
              </Show>
            }
          >
            {(base) => (
              <>
                <h1 id="report-title">
                  {base().title} <StateBadge state={base().status} /> <HelpButton topic="reports" />
                </h1>
                <div class="report-layout">
                  <div>
                    <form
                      class="panel"
                      aria-label="Report draft"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void submit();
                      }}
                    >
                      <label>
                        Title
                        <input name="reportTitle" required value={draft.title} onInput={(e) => setDraft("title", e.currentTarget.value)} />
                      </label>
                      <div class="actions">
                        <button type="submit" class="primary" disabled={saving.fetching || !dirty()}>
                          {saving.fetching ? "Saving…" : "Save draft"}
                        </button>
                        <span class="muted" role="status" data-testid="save-status">
                          {dirty() ? "Unsaved changes" : notice() || `Revision ${base().revision}`}
                        </span>
                      </div>
                      <Show when={saveError()}>
                        <ErrorPanel error={saveError()} title="The draft was not saved." nextSteps={{ CONFLICT: CONFLICT_STEP }} />
                        <button type="button" onClick={() => void reload()}>
                          Reload the saved report
                        </button>
                      </Show>
                    </form>
                    <SectionsEditor draft={draft} setDraft={setDraft} brokenSections={brokenIds()} />
                    <FindingsEditor
                      reportId={base().id}
                      draft={draft}
                      setDraft={setDraft}
                      annotations={base().annotations}
                      broken={brokenIds()}
                      onAnnotated={() => void refresh()}
                    />
                  </div>
                  <aside class="report-side" aria-label="Validate and publish">
                    <ValidatorPanel reportId={base().id} dirty={dirty()} onChecked={(v) => setBroken(v.broken)} />
                    <PublishPanel report={base()} dirty={dirty()} onBroken={setBroken} onPublished={() => void refresh()} />
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
