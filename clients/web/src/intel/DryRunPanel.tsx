import { For, Show } from "solid-js";
import type { DryRunSuppressionRuleQuery } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { hrefFor } from "../lib/route.ts";

export type DryRun = DryRunSuppressionRuleQuery["dryRunSuppressionRule"];

export interface DryRunState {
  /** What was dry-run: a stored rule's name, or the form's. */
  label: string;
  running: boolean;
  result: DryRun | null;
  error: unknown;
}

/** What a rule would hide: the count (the same matcher applying uses), how many other rules hide already, and a sample with why. */
export function DryRunPanel(props: { state: DryRunState; ruleNames: ReadonlyMap<string, string> }) {
  return (
    <section class="panel" aria-labelledby="dry-run-title" data-testid="dry-run" aria-busy={props.state.running}>
      <h2 id="dry-run-title">Dry run: {props.state.label}</h2>
      <Show when={props.state.error}>
        <ErrorPanel error={props.state.error} title="The dry run did not run." />
      </Show>
      <Show when={props.state.running}>
        <p class="muted" role="status">
          Running…
        </p>
      </Show>
      <Show when={!props.state.running && props.state.result}>
        {(r) => (
          <>
            <p role="status">
              <strong data-testid="dry-run-count">Would hide {r().wouldHide}</strong> of {r().scanned} indicator(s) you may see
              <Show when={r().alreadyHiddenByOtherRules > 0}>; {r().alreadyHiddenByOtherRules} of them another rule hides already</Show>.
            </p>
            <Show when={r().sample.length > 0} fallback={<p class="empty">Nothing matches: enabling it would hide nothing now.</p>}>
              <table class="table dry-run-sample" aria-label="Dry run sample">
                <thead>
                  <tr>
                    <th scope="col">Indicator</th>
                    <th scope="col">Why</th>
                    <th scope="col">Hidden now by</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={r().sample}>
                    {(item) => (
                      <tr data-testid="dry-run-item" data-id={item.id}>
                        <td>
                          <Link href={hrefFor({ name: "entity", id: item.id })}>
                            <code>{item.pattern ?? item.id}</code>
                          </Link>
                        </td>
                        <td>{item.why}</td>
                        <td>{item.suppressedBy ? (props.ruleNames.get(item.suppressedBy) ?? item.suppressedBy) : "—"}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
              <Show when={r().sample.length < r().wouldHide}>
                <p class="muted">
                  The first {r().sample.length} of {r().wouldHide}.
                </p>
              </Show>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
