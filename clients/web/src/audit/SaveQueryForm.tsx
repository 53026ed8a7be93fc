import { createMutation } from "@urql/solid";
import { createSignal, Show } from "solid-js";
import { SaveAuditQueryDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { auditFilterOf, describeAuditQuery, type AuditQuery } from "./auditQuery.ts";

/**
 * Saves the search on screen under a name (and an optional description).
 * `onSaving` runs as the save starts, `onSaved` once it is stored; a failure
 * stays in the form, with the keyboard back on the name.
 */
export function SaveQueryForm(props: { current: AuditQuery; onSaving: () => void; onSaved: (saved: { name: string }) => void }) {
  const [saving, save] = createMutation(SaveAuditQueryDocument);
  const [name, setName] = createSignal("");
  const [description, setDescription] = createSignal("");
  const [saveError, setSaveError] = createSignal<unknown>(null);
  let nameInput: HTMLInputElement | undefined;
  const built = () => auditFilterOf(props.current);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const filter = built().filter;
    if (!filter) return;
    setSaveError(null);
    props.onSaving();
    const result = await save({ input: { name: name(), description: description().trim() || null, filter } });
    const saved = result.data?.saveAuditQuery;
    if (!saved) {
      setSaveError(result.error ?? new Error("The query was not saved."));
      nameInput?.focus();
      return;
    }
    setName("");
    setDescription("");
    props.onSaved(saved);
  };

  return (
    <form class="save-query" aria-label="Save current filters" onSubmit={(e) => void submit(e)}>
      <label>
        Name
        <input name="savedName" required maxLength={100} ref={nameInput} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <details class="saved-description" open={Boolean(description())}>
        <summary>Add a description</summary>
        <label>
          Description <span class="muted">(optional)</span>
          <input name="savedDescription" maxLength={500} value={description()} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
      </details>
      <p class="muted saved-what">Saves: {describeAuditQuery(props.current)}</p>
      <button type="submit" disabled={saving.fetching || !built().filter}>
        {saving.fetching ? "Saving…" : "Save current filters"}
      </button>
      <Show when={saveError()}>
        <ErrorPanel error={saveError()} title="The query was not saved." />
      </Show>
    </form>
  );
}
