import { createMutation, createQuery } from "@urql/solid";
import { createSignal, Show } from "solid-js";
import { SetTenantAskSettingsDocument, TenantAskSettingsDocument } from "../api/generated/graphql.ts";
import { canApprove } from "../api/session.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";

/**
 * The tenant's confidence threshold: under it, Run waits for a confirmation.
 * Everyone sees it; tenant admins can change it (0.3 to 1).
 */
export function ThresholdSetting() {
  const [settings, refetch] = createQuery({ query: TenantAskSettingsDocument });
  const [saved, save] = createMutation(SetTenantAskSettingsDocument);
  const [editing, setEditing] = createSignal(false);
  const [value, setValue] = createSignal("");
  const threshold = () => settings.data?.tenantAskSettings.confidenceThreshold;

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const result = await save({ confidenceThreshold: Number(value()) });
    if (!result.error) {
      setEditing(false);
      refetch({ requestPolicy: "network-only" });
    }
  };

  return (
    <Show when={threshold() !== undefined}>
      <p class="muted threshold" data-testid="ask-threshold">
        Questions under confidence {threshold()!.toFixed(2)} wait for your confirmation.
        <Show when={canApprove() && !editing()}>
          {" "}
          <button
            type="button"
            class="small"
            onClick={() => {
              setValue(String(threshold()));
              setEditing(true);
            }}
          >
            Change
          </button>
        </Show>
      </p>
      <Show when={editing()}>
        <form class="threshold-form" aria-label="Confidence threshold" onSubmit={(e) => void submit(e)}>
          <label>
            Confidence threshold (0.3 to 1)
            <input type="number" min="0.3" max="1" step="0.05" value={value()} onInput={(e) => setValue(e.currentTarget.value)} />
          </label>
          <button type="submit" class="primary" disabled={saved.fetching}>
            Save
          </button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
        <Show when={saved.error}>
          <ErrorPanel error={saved.error} title="The threshold was not changed." />
        </Show>
      </Show>
    </Show>
  );
}
