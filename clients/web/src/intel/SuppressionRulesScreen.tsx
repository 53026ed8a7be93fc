import { createMutation, createQuery, useClient } from "@urql/solid";
import { createMemo, createSignal, Match, Show, Switch } from "solid-js";
import {
  DeleteSuppressionRuleDocument,
  DryRunSuppressionRuleDocument,
  SuppressionRulesDocument,
  UpdateSuppressionRuleDocument,
  type DryRunSuppressionRuleQueryVariables,
  type SuppressionRuleFieldsFragment,
} from "../api/generated/graphql.ts";
import { toConsoleError } from "../api/consoleError.ts";
import { canManageIntel } from "../api/session.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { hrefFor } from "../lib/route.ts";
import { DryRunPanel, type DryRunState } from "./DryRunPanel.tsx";
import { RuleEditor } from "./RuleEditor.tsx";
import { RulesTable } from "./RulesTable.tsx";
import { SuppressedPanel } from "./SuppressedPanel.tsx";
import { formProblems, type FieldProblem } from "./suppressionForm.ts";

/** How many hidden indicators a dry run lists. */
const SAMPLE = 20;

/**
 * The tenant's suppression rules: toggle, edit, dry-run, delete; the form for
 * a new or chosen rule with its own dry run; and the indicators rules hide.
 */
export function SuppressionRulesScreen() {
  const client = useClient();
  const [rules, refetch] = createQuery({
    query: SuppressionRulesDocument,
    requestPolicy: "cache-and-network",
    context: { additionalTypenames: ["SuppressionRule"] },
  });
  const [, update] = createMutation(UpdateSuppressionRuleDocument);
  const [, remove] = createMutation(DeleteSuppressionRuleDocument);
  const [editing, setEditing] = createSignal<SuppressionRuleFieldsFragment | null>(null);
  const [dryRun, setDryRun] = createSignal<DryRunState | null>(null);
  const [hiddenBy, setHiddenBy] = createSignal<SuppressionRuleFieldsFragment | null>(null);
  const [busyId, setBusyId] = createSignal<string | null>(null);
  const [actionError, setActionError] = createSignal<unknown>(null);
  const [notice, setNotice] = createSignal("");
  const list = () => rules.data?.suppressionRules ?? [];
  const names = createMemo(() => new Map(list().map((r) => [r.id, r.name])));
  const reload = () => refetch({ requestPolicy: "network-only" });

  const runDryRun = async (variables: DryRunSuppressionRuleQueryVariables, label: string, onProblems?: (p: FieldProblem[]) => void) => {
    setDryRun({ label, running: true, result: null, error: null });
    const result = await client
      .query(DryRunSuppressionRuleDocument, { ...variables, sampleSize: SAMPLE }, { requestPolicy: "network-only" })
      .toPromise();
    if (result.error) onProblems?.(formProblems(toConsoleError(result.error).problems ?? []));
    setDryRun({ label, running: false, result: result.data?.dryRunSuppressionRule ?? null, error: result.error ?? null });
  };

  const act = async (rule: SuppressionRuleFieldsFragment, run: () => Promise<{ error?: unknown }>, done: string) => {
    setActionError(null);
    setNotice("");
    setBusyId(rule.id);
    const result = await run();
    setBusyId(null);
    if (result.error) return setActionError(result.error);
    setNotice(done);
    reload();
  };
  const toggle = (rule: SuppressionRuleFieldsFragment, enabled: boolean) =>
    void act(
      rule,
      () => update({ id: rule.id, input: { enabled } }),
      enabled ? `“${rule.name}” is on: what it matches is hidden.` : `“${rule.name}” is off: what it hid shows again.`,
    );
  const del = (rule: SuppressionRuleFieldsFragment) =>
    void act(
      rule,
      async () => {
        const result = await remove({ id: rule.id }, { additionalTypenames: ["SuppressionRule", "Indicator"] });
        if (!result.error && editing()?.id === rule.id) setEditing(null);
        if (!result.error && hiddenBy()?.id === rule.id) setHiddenBy(null);
        return result;
      },
      `Deleted “${rule.name}”.`,
    );

  return (
    <section class="screen" aria-labelledby="suppression-title">
      <div class="panel-head">
        <h1 id="suppression-title">Suppression rules</h1>
        <Link href={hrefFor({ name: "indicators", query: "", order: "" })}>Indicators</Link>
      </div>
      <p class="muted">
        A rule hides the indicators it matches from lists, answers and exports; they stay stored, and each names the rule that hides it.
        When two rules match, the older one holds it.
      </p>
      <div class="report-layout">
        <div>
          <Switch>
            <Match when={rules.error}>
              <ErrorPanel error={rules.error} onRetry={reload} />
            </Match>
            <Match when={!rules.data}>
              <SkeletonRows rows={3} label="Loading suppression rules" />
            </Match>
            <Match when={list().length === 0}>
              <p class="empty">No rules yet. Describe the noise in the form (for example private ranges), dry-run it, then enable it.</p>
            </Match>
            <Match when={rules.data}>
              <RulesTable
                rules={list()}
                busyId={busyId()}
                canManage={canManageIntel()}
                onToggle={toggle}
                onEdit={(rule) => setEditing(rule)}
                onDryRun={(rule) => void runDryRun({ id: rule.id }, `“${rule.name}”`)}
                onShowHidden={(rule) => setHiddenBy(rule)}
                onDelete={del}
              />
            </Match>
          </Switch>
          <p class="muted" role="status" data-testid="rules-notice">
            {notice()}
          </p>
          <Show when={actionError()}>
            <ErrorPanel error={actionError()} title="That change was not made." />
          </Show>
          <Show when={dryRun()}>{(state) => <DryRunPanel state={state()} ruleNames={names()} />}</Show>
          <SuppressedPanel ruleId={hiddenBy()?.id ?? null} ruleName={hiddenBy()?.name ?? null} onAll={() => setHiddenBy(null)} />
        </div>
        <aside class="report-side" aria-label="Rule form">
          <RuleEditor
            rule={editing()}
            canManage={canManageIntel()}
            onSaved={(rule) => {
              setNotice(
                editing()
                  ? `Saved “${rule.name}”.`
                  : `Created “${rule.name}”${rule.enabled ? " (enabled)" : " (off: dry-run it, then enable it)"}.`,
              );
              setEditing(rule);
              reload();
            }}
            onCancel={() => setEditing(null)}
            onDryRun={(match, label, onProblems) => void runDryRun({ input: match }, label, onProblems)}
          />
        </aside>
      </div>
    </section>
  );
}
