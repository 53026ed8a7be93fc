import { Show } from "solid-js";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { formatPercent } from "../lib/format.ts";
import type { IngestWizard } from "./createIngestWizard.ts";

/** Step 4: start the job, which uploads the file with its progress and then opens the job. */
export function StartStep(props: { wizard: IngestWizard }) {
  const w = props.wizard;
  return (
    <fieldset class="step">
      <legend>4 · Start</legend>
      <Show when={w.startError()}>{(error) => <ErrorPanel error={error()} title="The ingest did not start." />}</Show>
      <div class="start-row">
        <button type="button" class="primary" disabled={!w.ready() || w.uploadProgress() !== null} onClick={() => void w.start()}>
          Start ingest
        </button>
        <Show when={w.uploadProgress() !== null}>
          <span role="status">Uploading… {formatPercent(w.uploadProgress())}</span>
        </Show>
      </div>
    </fieldset>
  );
}
