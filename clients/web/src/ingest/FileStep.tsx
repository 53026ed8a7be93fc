import { For, Show } from "solid-js";
import { formatBytes } from "../lib/format.ts";
import type { IngestWizard } from "./createIngestWizard.ts";
import type { SourceFormat } from "./ingestSource.ts";
import { SOURCE_FORMATS } from "./ingestWizardRules.ts";

/** Step 1: the file to ingest and its format (detected, and changeable). */
export function FileStep(props: { wizard: IngestWizard }) {
  const w = props.wizard;
  return (
    <fieldset class="step">
      <legend>1 · File</legend>
      <label>
        File to ingest (CSV, NDJSON, JSON or a STIX bundle)
        <input type="file" name="file" accept=".csv,.ndjson,.jsonl,.json" onChange={(e) => void w.chooseFile(e.currentTarget.files?.[0])} />
      </label>
      <Show when={w.file()}>
        {(f) => (
          <p class="muted" data-testid="file-summary">
            {f().name} · {formatBytes(f().size)}
          </p>
        )}
      </Show>
      <label>
        Format
        <select name="format" value={w.format()} onChange={(e) => w.setFormat(e.currentTarget.value as SourceFormat)}>
          <option value="">Choose…</option>
          <For each={SOURCE_FORMATS}>{(f) => <option value={f}>{f}</option>}</For>
        </select>
      </label>
    </fieldset>
  );
}
