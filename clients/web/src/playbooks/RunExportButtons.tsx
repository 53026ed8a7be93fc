import { createMutation } from "@urql/solid";
import { createSignal, For, Show } from "solid-js";
import { ExportPlaybookRunDocument, type PlaybookRunExportFormat } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { downloadBlob, downloadText } from "../lib/download.ts";

/** Results export: JSON and CSV of the run's history and outputs, and the PDF of the report it made. */
export function RunExportButtons(props: { runId: string; hasReport: boolean; finished: boolean }) {
  const [, exportRun] = createMutation(ExportPlaybookRunDocument);
  const [busy, setBusy] = createSignal<PlaybookRunExportFormat | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const download = async (format: PlaybookRunExportFormat) => {
    setError(null);
    setBusy(format);
    try {
      const result = await exportRun({ runId: props.runId, format });
      const file = result.data?.exportPlaybookRun;
      if (!file) return setError(result.error ?? new Error("The export did not come back."));
      if (file.content !== null) return downloadText(file.content, file.fileName, file.contentType);
      if (!file.downloadUrl) return setError(new Error("The export has neither content nor a download link."));
      const response = await fetch(new URL(file.downloadUrl, window.location.origin));
      if (!response.ok) return setError(new Error(`The download link answered HTTP ${response.status}; export again for a new link.`));
      downloadBlob(await response.blob(), file.fileName);
    } finally {
      setBusy(null);
    }
  };
  const formats = (): PlaybookRunExportFormat[] => (props.hasReport ? ["JSON", "CSV", "PDF"] : ["JSON", "CSV"]);
  return (
    <div class="actions" role="group" aria-label="Export results">
      <For each={formats()}>
        {(format) => (
          <button type="button" disabled={busy() !== null || !props.finished} onClick={() => void download(format)}>
            {busy() === format ? "Exporting…" : `Download ${format}`}
          </button>
        )}
      </For>
      <Show when={!props.finished}>
        <span class="muted">Exports are ready when the run ends.</span>
      </Show>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The export failed." />
      </Show>
    </div>
  );
}
