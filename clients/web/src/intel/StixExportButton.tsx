import { useClient } from "@urql/solid";
import { createSignal, Show } from "solid-js";
import { StixBundleDocument, type TlpMarking } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { downloadText } from "../lib/download.ts";
import { MarkingBadge } from "./MarkingBadge.tsx";

/**
 * Downloads a STIX 2.1 bundle of this entity (within your clearance; metered
 * as an export) and says the highest marking of what it holds: share the file
 * at most that widely.
 */
export function StixExportButton(props: { id: string }) {
  const client = useClient();
  const [busy, setBusy] = createSignal(false);
  const [done, setDone] = createSignal<{ marking: TlpMarking; objects: number; fileName: string } | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    const result = await client.query(StixBundleDocument, { input: { ids: [props.id] } }, { requestPolicy: "network-only" }).toPromise();
    setBusy(false);
    const bundle = result.data?.stixBundle;
    if (!bundle) return setError(result.error ?? new Error("No bundle came back."));
    downloadText(bundle.content, bundle.fileName, bundle.contentType);
    setDone({ marking: bundle.marking, objects: bundle.objectCount, fileName: bundle.fileName });
  };
  return (
    <div class="stix-export">
      <button type="button" onClick={() => void run()} disabled={busy()}>
        {busy() ? "Exporting…" : "Download STIX bundle"}
      </button>
      <Show when={done()}>
        {(d) => (
          <span class="muted" role="status" data-testid="stix-status">
            {d().fileName}: {d().objects} object(s), marked <MarkingBadge marking={d().marking} />
          </span>
        )}
      </Show>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The bundle was not exported." />
      </Show>
    </div>
  );
}
