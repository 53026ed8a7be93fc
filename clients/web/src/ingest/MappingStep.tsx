import { For, Show } from "solid-js";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import type { IngestWizard } from "./createIngestWizard.ts";
import { NEW_MAPPING } from "./ingestWizardRules.ts";
import { NewMappingForm } from "./NewMappingForm.tsx";

/** Step 2: pick one of the tenant's mappings for the format, or create a new one. */
export function MappingStep(props: { wizard: IngestWizard }) {
  const w = props.wizard;
  return (
    <fieldset class="step" disabled={!w.format()}>
      <legend>2 · Mapping</legend>
      <Show when={!w.mappings.error} fallback={<ErrorPanel error={w.mappings.error} onRetry={w.reloadMappings} />}>
        <Show when={w.mappings.data} fallback={<SkeletonRows rows={3} label="Loading mappings" />}>
          <div class="choices" role="radiogroup" aria-label="Mapping">
            <For each={w.candidates()}>
              {(m) => (
                <label class="choice">
                  <input type="radio" name="mapping" value={m.id} checked={w.mappingId() === m.id} onChange={() => w.setMappingId(m.id)} />
                  <span>
                    {m.name} <span class="muted">v{m.version}</span>
                  </span>
                  <StateBadge state={m.state} />
                </label>
              )}
            </For>
            <label class="choice">
              <input
                type="radio"
                name="mapping"
                value={NEW_MAPPING}
                checked={w.mappingId() === NEW_MAPPING}
                onChange={() => w.setMappingId(NEW_MAPPING)}
              />
              <span>New mapping…</span>
            </label>
          </div>
        </Show>
      </Show>
      <Show when={w.mappingId() === NEW_MAPPING}>
        <NewMappingForm wizard={w} />
      </Show>
    </fieldset>
  );
}
