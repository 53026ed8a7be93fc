import { createMutation, createQuery } from "@urql/solid";
import { createEffect, createSignal, For, on, Show } from "solid-js";
import { createStore } from "solid-js/store";
import { ExportReportDocument, TenantRegionDocument, type ReportExportFieldsFragment } from "../api/generated/graphql.ts";
import { offerUpgrade } from "../billing/upgradeGate.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { formatBytes } from "../lib/format.ts";
import { DownloadLink } from "./DownloadLink.tsx";
import { describeRedactions, EXPORT_FORMATS, EXPORT_LOCALES, exportInput, type ExportChoices } from "./exportView.ts";

/**
 * Export a published version: format, destination region (the tenant's by
 * default; any other is RESIDENCY_MISMATCH and nothing is stored), redaction
 * and locale → exportReport → a signed download link.
 */
export function ExportPanel(props: { reportId: string; version: number }) {
  const [tenant] = createQuery({ query: TenantRegionDocument });
  const [state, runExport] = createMutation(ExportReportDocument);
  const [choices, setChoices] = createStore<ExportChoices>({
    format: "PDF",
    destinationRegion: "",
    locale: "en-US",
    redactEmails: false,
    redactNames: false,
    redactProperties: "",
  });
  const [error, setError] = createSignal<unknown>(null);
  const [done, setDone] = createSignal<ReportExportFieldsFragment | null>(null);
  const region = () => tenant.data?.myTenant?.region ?? "";
  createEffect(on(region, (r) => r && !choices.destinationRegion && setChoices("destinationRegion", r)));
  const residencyStep = () =>
    `Exports leave only to your tenant's region${region() ? ` (${region()})` : ""}: choose it as the destination. Nothing was stored.`;

  const exportNow = async () => {
    setError(null);
    setDone(null);
    const result = await runExport({ input: exportInput(props.reportId, props.version, choices) });
    if (!result.data) {
      setError(result.error ?? new Error("The export returned nothing."));
      // A quota or budget refusal opens the upgrade modal, which exports again after an upgrade.
      offerUpgrade(result.error, () => void exportNow());
      return;
    }
    setDone(result.data.exportReport);
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void exportNow();
  };

  return (
    <form class="panel export-panel" aria-labelledby="export-title" onSubmit={submit}>
      <h2 id="export-title">Export version {props.version}</h2>
      <fieldset class="choices">
        <legend>Format</legend>
        <For each={EXPORT_FORMATS}>
          {(f) => (
            <label class="choice">
              <input
                type="radio"
                name="format"
                value={f.value}
                checked={choices.format === f.value}
                onChange={() => setChoices("format", f.value)}
              />
              {f.label}
            </label>
          )}
        </For>
      </fieldset>
      <div class="form-grid">
        <label>
          Destination region
          <input
            name="destinationRegion"
            required
            value={choices.destinationRegion}
            onInput={(e) => setChoices("destinationRegion", e.currentTarget.value)}
          />
          <span class="muted">{tenant.data?.myTenant ? `Residency: ${tenant.data.myTenant.residency.label}` : ""}</span>
        </label>
        <label>
          Locale
          <select name="locale" value={choices.locale} onChange={(e) => setChoices("locale", e.currentTarget.value)}>
            <For each={EXPORT_LOCALES}>{(l) => <option value={l.value}>{`${l.label} (${l.value})`}</option>}</For>
          </select>
        </label>
      </div>
      <fieldset class="choices">
        <legend>Redaction</legend>
        <label class="choice">
          <input type="checkbox" checked={choices.redactEmails} onChange={(e) => setChoices("redactEmails", e.currentTarget.checked)} />
          E-mail addresses
        </label>
        <label class="choice">
          <input type="checkbox" checked={choices.redactNames} onChange={(e) => setChoices("redactNames", e.currentTarget.checked)} />
          Names of people
        </label>
        <label>
          Properties <span class="muted">(comma-separated, e.g. address, pattern)</span>
          <input value={choices.redactProperties} onInput={(e) => setChoices("redactProperties", e.currentTarget.value)} />
        </label>
      </fieldset>
      <button type="submit" class="primary" disabled={state.fetching || !choices.destinationRegion.trim()}>
        {state.fetching ? "Exporting…" : "Export"}
      </button>
      <Show when={error()}>
        <ErrorPanel error={error()} title="Not exported." nextSteps={{ RESIDENCY_MISMATCH: residencyStep() }} />
      </Show>
      <Show when={done()}>
        {(d) => (
          <div class="notice" role="status" data-testid="export-done">
            <p>
              Exported {d().format} · {d().residency.label} · policy <code>{d().residency.policyId}</code> ·{" "}
              {describeRedactions(d().redactions)}
            </p>
            <Show when={d().download}>
              {(link) => <DownloadLink url={link().url} expiresAt={link().expiresAt} label={`Download ${d().format}`} />}
            </Show>
            <p class="muted">
              {d()
                .files.map((f) => `${f.name} (${formatBytes(f.bytes)})`)
                .join(" · ")}
            </p>
          </div>
        )}
      </Show>
    </form>
  );
}
