import { Show } from "solid-js";
import { canApprove } from "../api/session.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import type { IngestWizard } from "./createIngestWizard.ts";

/** Step 3: the chosen mapping's approval; an admin approves it here, anyone may start with an audited override. */
export function ApprovalStep(props: { wizard: IngestWizard }) {
  const w = props.wizard;
  return (
    <fieldset class="step" disabled={!w.selected()}>
      <legend>3 · Approval</legend>
      <Show when={w.selected()} fallback={<p class="muted">Pick or create a mapping to see its approval.</p>}>
        {(m) => (
          <div data-testid="approval">
            <p>
              <strong>{m().name}</strong> v{m().version} is <StateBadge state={m().state} />
              <Show when={m().decision}>{(d) => <span class="muted"> — “{d().reason}”</span>}</Show>
            </p>
            <Show when={m().newTypes.length}>
              <p class="muted">
                New types it brings:{" "}
                {m()
                  .newTypes.map((t) => t.name)
                  .join(", ")}
              </p>
            </Show>
            <Show when={m().state === "PENDING_APPROVAL"}>
              <Show
                when={canApprove()}
                fallback={<p>A tenant admin has to approve this mapping before it can be used. Ask one, then come back.</p>}
              >
                <form class="inline-form" onSubmit={(e) => void w.submitApproval(e)}>
                  <label>
                    Approval reason
                    <input
                      name="approvalReason"
                      required
                      value={w.approvalReason()}
                      onInput={(e) => w.setApprovalReason(e.currentTarget.value)}
                    />
                  </label>
                  <button type="submit" disabled={w.approved.fetching}>
                    Approve mapping
                  </button>
                </form>
                <label class="choice">
                  <input type="checkbox" checked={w.useOverride()} onChange={(e) => w.setUseOverride(e.currentTarget.checked)} />
                  <span>Or start without approval (an audited override)</span>
                </label>
                <Show when={w.useOverride()}>
                  <label>
                    Override reason
                    <input name="overrideReason" value={w.overrideReason()} onInput={(e) => w.setOverrideReason(e.currentTarget.value)} />
                  </label>
                </Show>
              </Show>
            </Show>
            <Show when={w.approved.error}>{(error) => <ErrorPanel error={error()} title="The mapping was not approved." />}</Show>
          </div>
        )}
      </Show>
    </fieldset>
  );
}
