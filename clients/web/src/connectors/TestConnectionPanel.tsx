import { createMutation } from "@urql/solid";
import { createSignal, Show } from "solid-js";
import { TestConnectionDocument, type ConnectionStage } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";

/** What a failed stage means and what to check. */
const STAGE_HINT: Record<ConnectionStage, string> = {
  DNS: "The host name does not resolve: check the instance URL.",
  CONNECT: "No connection to the instance (refused, reset or timed out): check the URL and that the instance is up.",
  AUTH: "The credentials were refused: check the username or client id and the secret.",
  PERMISSION: "Signed in, but not allowed to read the incident table: give the ServiceNow user the itil role (or table read ACL).",
  HTTP: "The instance answered something other than the Table API: check the URL points at the instance root.",
  OK: "Signed in and read an incident.",
};

/** "Test connection": signs in and reads one incident, and says which stage failed. */
export function TestConnectionPanel(props: { connectorId: string; onTested: () => void }) {
  const [testing, test] = createMutation(TestConnectionDocument);
  const [error, setError] = createSignal<unknown>(null);
  const run = async () => {
    setError(null);
    const result = await test({ id: props.connectorId });
    if (!result.data) setError(result.error ?? new Error("The test did not run."));
    props.onTested();
  };
  return (
    <section class="panel" aria-labelledby="connection-test-title">
      <h2 id="connection-test-title">Connection</h2>
      <button type="button" onClick={() => void run()} disabled={testing.fetching}>
        {testing.fetching ? "Testing…" : "Test connection"}
      </button>
      <Show when={testing.data?.testConnection}>
        {(r) => (
          <div class={r().ok ? "notice" : "error-panel"} role="status" data-testid="connection-result" data-stage={r().stage}>
            <p>
              <strong>{r().ok ? "Connected." : `Failed at ${r().stage.toLowerCase()}.`}</strong> {STAGE_HINT[r().stage]}
            </p>
            <p class="muted">
              {r().message}
              {r().httpStatus ? ` · HTTP ${r().httpStatus}` : ""} · {r().latencyMs} ms
            </p>
          </div>
        )}
      </Show>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The test did not run." />
      </Show>
    </section>
  );
}
