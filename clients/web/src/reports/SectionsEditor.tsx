import { For, Show } from "solid-js";
import type { SetStoreFunction } from "solid-js/store";
import { moveItem, newKey, removeAt, type ReportDraft } from "./reportDraft.ts";

/** The draft's sections: title and Markdown text each; add, remove and reorder. */
export function SectionsEditor(props: {
  draft: ReportDraft;
  setDraft: SetStoreFunction<ReportDraft>;
  brokenSections: ReadonlySet<string>;
}) {
  const add = () => props.setDraft("sections", (list) => [...list, { key: newKey("section"), id: null, title: "", body: "" }]);
  return (
    <section class="panel" aria-labelledby="sections-title">
      <div class="panel-head">
        <h2 id="sections-title">Sections</h2>
        <button type="button" class="small" onClick={add}>
          Add section
        </button>
      </div>
      <Show when={props.draft.sections.length === 0}>
        <p class="empty">No sections yet. Sections are Markdown; [[Finding 1]] cross-references a finding.</p>
      </Show>
      <For each={props.draft.sections}>
        {(section, index) => (
          <div
            class="editor-item"
            data-testid="section"
            data-broken={section.id ? props.brokenSections.has(section.id) : false}
            role="group"
            aria-label={`Section ${index() + 1}`}
          >
            <div class="panel-head">
              <h3>Section {index() + 1}</h3>
              <button
                type="button"
                class="small"
                aria-label={`Move section ${index() + 1} up`}
                disabled={index() === 0}
                onClick={() => props.setDraft("sections", (list) => moveItem(list, index(), -1))}
              >
                ↑
              </button>
              <button
                type="button"
                class="small"
                aria-label={`Move section ${index() + 1} down`}
                disabled={index() === props.draft.sections.length - 1}
                onClick={() => props.setDraft("sections", (list) => moveItem(list, index(), 1))}
              >
                ↓
              </button>
              <button
                type="button"
                class="small"
                aria-label={`Remove section ${index() + 1}`}
                onClick={() => props.setDraft("sections", (list) => removeAt(list, index()))}
              >
                Remove
              </button>
            </div>
            <label>
              Title
              <input value={section.title} onInput={(e) => props.setDraft("sections", index(), "title", e.currentTarget.value)} />
            </label>
            <label>
              Text (Markdown)
              <textarea value={section.body} onInput={(e) => props.setDraft("sections", index(), "body", e.currentTarget.value)} />
            </label>
          </div>
        )}
      </For>
    </section>
  );
}
