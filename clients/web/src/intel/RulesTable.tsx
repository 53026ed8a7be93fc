import { createSignal, For, Show } from "solid-js";
import type { SuppressionRuleFieldsFragment } from "../api/generated/graphql.ts";
import { RelativeTime } from "../components/RelativeTime.tsx";
import { describeMatch } from "./suppressionForm.ts";

/** The tenant's rules, oldest first (the older claims an indicator two rules match), each with its toggle and actions. */
export function RulesTable(props: {
  rules: readonly SuppressionRuleFieldsFragment[];
  busyId: string | null;
  /** Whether the caller may change rules (intel:manage); else the switches are read-only and Edit/Delete are not offered. */
  canManage: boolean;
  onToggle: (rule: SuppressionRuleFieldsFragment, enabled: boolean) => void;
  onEdit: (rule: SuppressionRuleFieldsFragment) => void;
  onDryRun: (rule: SuppressionRuleFieldsFragment) => void;
  onShowHidden: (rule: SuppressionRuleFieldsFragment) => void;
  onDelete: (rule: SuppressionRuleFieldsFragment) => void;
}) {
  const [confirming, setConfirming] = createSignal<string | null>(null);
  return (
    <table class="table rules-table" aria-label="Suppression rules">
      <thead>
        <tr>
          <th scope="col">Enabled</th>
          <th scope="col">Rule</th>
          <th scope="col">Hides</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.rules}>
          {(rule) => (
            <tr data-testid="rule-row" data-id={rule.id}>
              <td>
                <label class="inline switch">
                  <input
                    type="checkbox"
                    role="switch"
                    aria-label={`Enabled: ${rule.name}`}
                    checked={rule.enabled}
                    disabled={!props.canManage || props.busyId === rule.id}
                    onChange={(e) => props.onToggle(rule, e.currentTarget.checked)}
                  />
                  <span>{rule.enabled ? "on" : "off"}</span>
                </label>
              </td>
              <td>
                <strong>{rule.name}</strong>
                <div class="muted">{describeMatch(rule.match)}</div>
                <div class="muted">
                  <code>{rule.id}</code> · changed <RelativeTime at={rule.updatedAt} /> by <code>{rule.updatedBy}</code>
                </div>
              </td>
              <td data-testid="rule-hides">{rule.suppressedCount}</td>
              <td>
                <div class="actions">
                  <Show when={props.canManage}>
                    <button type="button" class="small" onClick={() => props.onEdit(rule)}>
                      Edit
                    </button>
                  </Show>
                  <button type="button" class="small" onClick={() => props.onDryRun(rule)}>
                    Dry run
                  </button>
                  <button type="button" class="small" onClick={() => props.onShowHidden(rule)}>
                    Show hidden
                  </button>
                  <Show
                    when={props.canManage && confirming() === rule.id}
                    fallback={
                      <Show when={props.canManage}>
                        <button type="button" class="small" onClick={() => setConfirming(rule.id)}>
                          Delete
                        </button>
                      </Show>
                    }
                  >
                    <span role="alert" class="confirm">
                      Delete “{rule.name}”? What it hides shows again.{" "}
                      <button
                        type="button"
                        class="small danger"
                        disabled={props.busyId === rule.id}
                        onClick={() => (setConfirming(null), props.onDelete(rule))}
                      >
                        Yes, delete
                      </button>{" "}
                      <button type="button" class="small" onClick={() => setConfirming(null)}>
                        Keep it
                      </button>
                    </span>
                  </Show>
                </div>
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
