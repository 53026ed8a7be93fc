import { For, Show } from "solid-js";
import type { SetStoreFunction } from "solid-js/store";
import type { ReportDetailsFragment } from "../api/generated/graphql.ts";
import { EvidenceItem } from "./EvidenceItem.tsx";
import { EvidencePicker } from "./EvidencePicker.tsx";
import { cites, evidenceFromCitable, moveItem, removeAt, type DraftFinding, type ReportDraft } from "./reportDraft.ts";

type Annotation = ReportDetailsFragment["annotations"][number];

/** One finding: title, Markdown text, its evidence (with annotations) and the evidence picker. */
export function FindingEditor(props: {
  reportId: string;
  finding: DraftFinding;
  index: number;
  count: number;
  setDraft: SetStoreFunction<ReportDraft>;
  annotations: readonly Annotation[];
  broken: ReadonlySet<string>;
  onAnnotated: () => void;
}) {
  const number = () => props.index + 1;
  const set = <K extends "title" | "body">(key: K, value: string) => props.setDraft("findings", props.index, key, value);
  return (
    <div
      class="editor-item"
      data-testid="finding"
      data-broken={props.finding.id ? props.broken.has(props.finding.id) : false}
      role="group"
      aria-label={`Finding ${number()}`}
    >
      <div class="panel-head">
        <h3>Finding {number()}</h3>
        <button
          type="button"
          class="small"
          aria-label={`Move finding ${number()} up`}
          disabled={props.index === 0}
          onClick={() => props.setDraft("findings", (list) => moveItem(list, props.index, -1))}
        >
          ↑
        </button>
        <button
          type="button"
          class="small"
          aria-label={`Move finding ${number()} down`}
          disabled={props.index === props.count - 1}
          onClick={() => props.setDraft("findings", (list) => moveItem(list, props.index, 1))}
        >
          ↓
        </button>
        <button
          type="button"
          class="small"
          aria-label={`Remove finding ${number()}`}
          onClick={() => props.setDraft("findings", (list) => removeAt(list, props.index))}
        >
          Remove
        </button>
      </div>
      <label>
        Title
        <input value={props.finding.title} onInput={(e) => set("title", e.currentTarget.value)} />
      </label>
      <label>
        Text (Markdown)
        <textarea value={props.finding.body} onInput={(e) => set("body", e.currentTarget.value)} />
      </label>
      <h4 class="evidence-title">Evidence</h4>
      <Show when={props.finding.evidence.length === 0}>
        <p class="empty">No evidence yet: cite something with the picker below.</p>
      </Show>
      <ul class="evidence-list" aria-label={`Evidence of finding ${number()}`}>
        <For each={props.finding.evidence}>
          {(evidence, ei) => (
            <EvidenceItem
              reportId={props.reportId}
              findingId={props.finding.id}
              evidence={evidence}
              position={`Finding ${number()}, evidence ${ei() + 1}`}
              broken={evidence.id ? props.broken.has(evidence.id) : false}
              annotations={props.annotations.filter((a) => a.evidenceId === evidence.id)}
              onNote={(note) => props.setDraft("findings", props.index, "evidence", ei(), "note", note)}
              onAnnotated={props.onAnnotated}
              onRemove={() => props.setDraft("findings", props.index, "evidence", (list) => removeAt(list, ei()))}
            />
          )}
        </For>
      </ul>
      <EvidencePicker
        label={`Cite evidence in finding ${number()}`}
        isCited={(item) => cites(props.finding.evidence, item)}
        onPick={(item) => props.setDraft("findings", props.index, "evidence", (list) => [...list, evidenceFromCitable(item)])}
      />
    </div>
  );
}
