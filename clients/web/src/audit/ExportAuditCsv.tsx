import { createMutation, createQuery } from "@urql/solid";
import { createSignal, Show } from "solid-js";
import { ExportAuditEventsDocument, TenantRegionDocument, type AuditEventFilter } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { downloadText } from "../lib/download.ts";
import { auditExportFileName } from "./exportFile.ts";

/**
 * "Export CSV" for the search on screen: exportAuditEvents to the tenant's own
 * region (anything else is RESIDENCY_MISMATCH), saved as a file.
 */
export function ExportAuditCsv(props: { filter: AuditEventFilter }) {
  const [tenant] = createQuery({ query: TenantRegionDocument });
  const [exporting, runExport] = createMutation(ExportAuditEventsDocument);
  const [error, setError] = createSignal<unknown>(null);
  const [done, setDone] = createSignal("");
  const region = () => tenant.data?.myTenant?.region ?? null;

  const exportCsv = async () => {
    const destinationRegion = region();
    if (!destinationRegion) return;
    setError(null);
    setDone("");
    const result = await runExport({ input: { filter: props.filter, format: "CSV", destinationRegion } });
    const file = result.data?.exportAuditEvents;
    if (!file) return setError(result.error ?? new Error("The export returned nothing."));
    downloadText(file.content, auditExportFileName(new Date(), "CSV"), "text/csv");
    setDone(
      `Exported ${file.rows} event${file.rows === 1 ? "" : "s"}${file.truncated ? " (the first 10,000)" : ""} · ${file.residency.label}`,
    );
  };

  return (
    <div class="results-bar">
      <span class="muted" role="status" data-testid="export-status">
        {done()}
      </span>
      <button
        type="button"
        disabled={!region() || exporting.fetching}
        title={region() ? `Exported within ${region()}` : undefined}
        onClick={() => void exportCsv()}
      >
        {exporting.fetching ? "Exporting…" : "Export CSV"}
      </button>
      <Show when={error() || tenant.error}>
        <ErrorPanel error={error() ?? tenant.error} title="The export did not work." />
      </Show>
    </div>
  );
}
