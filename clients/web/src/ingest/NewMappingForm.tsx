import { Show } from "solid-js";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import type { IngestWizard } from "./createIngestWizard.ts";
import { specTemplateText } from "./ingestWizardRules.ts";

/** A new mapping's name and spec (none for STIX), created for approval. */
export function NewMappingForm(props: { wizard: IngestWizard }) {
  const w = props.wizard;
  return (
    <form class="new-mapping" onSubmit={(e) => void w.submitMapping(e)}>
      <label>
        Name
        <input name="mappingName" required value={w.newName()} onInput={(e) => w.setNewName(e.currentTarget.value)} />
      </label>
      <Show when={w.format() !== "STIX"} fallback={<p class="muted">STIX bundles use the built-in mapping; no spec needed.</p>}>
        <label>
          Spec (JSON; see docs/ingest.md)
          <textarea
            name="spec"
            rows={10}
            spellcheck={false}
            value={w.specText()}
            onInput={(e) => w.setSpecText(e.currentTarget.value)}
            onFocus={() => w.head() && !w.specText() && w.setSpecText(specTemplateText(w.format() || "CSV"))}
          />
        </label>
      </Show>
      <Show when={w.specProblem()}>
        <p class="field-problem" role="alert">
          {w.specProblem()}
        </p>
      </Show>
      <Show when={w.created.error}>{(error) => <ErrorPanel error={error()} title="The mapping was not created." />}</Show>
      <button type="submit" disabled={w.created.fetching}>
        {w.created.fetching ? "Creating…" : "Create mapping"}
      </button>
    </form>
  );
}
