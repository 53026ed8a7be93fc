import { For, Show } from "solid-js";
import type { SetStoreFunction } from "solid-js/store";
import type { ReportDetailsFragment } from "../api/generated/graphql.ts";
import { FindingEditor } from "./FindingEditor.tsx";
import { newKey, type ReportDraft } from "./reportDraft.ts";

/** The draft's findings, numbered as cross-references name them, and a button to add one. */
export function FindingsEditor(props: {
  reportId: string;
  draft: ReportDraft;
  setDraft: SetStoreFunction<ReportDraft>;
  annotations: ReportDetailsFragment["annotations"];
  broken: ReadonlySet<string>;
  onAnnotated: () => void;
}) {
  const add = () =>
    props.setDraft("findings", (list) => [...list, { key: newKey("finding"), id: null, title: "", body: "", evidence: [] }]);
  return (
    <section class="panel" aria-labelledby="findings-title">
      <div class="panel-head">
        <h2 id="findings-title">Findings</h2>
        <button type="button" class="small" onClick={add}>
          Add finding
        </button>
      </div>
      <Show when={props.draft.findings.length === 0}>
        <p class="empty">No findings yet. Add one here, or use “Add to report” on an answer in Ask.</p>
      </Show>
      <For each={props.draft.findings}>
        {(finding, index) => (
          <FindingEditor
            reportId={props.reportId}
            finding={finding}
            index={index()}
            count={props.draft.findings.length}
            setDraft={props.setDraft}
            annotations={props.annotations}
            broken={props.broken}
            onAnnotated={props.onAnnotated}
          />
        )}
      </For>
    </section>
  );
}
