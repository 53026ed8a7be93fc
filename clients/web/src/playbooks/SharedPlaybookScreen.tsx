import { createMutation, useClient } from "@urql/solid";
import { createSignal, For, onCleanup, Show } from "solid-js";
import { RunSharedPlaybookDocument, SharedPlaybookDocument, type SharedPlaybookQuery } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { formatTimestamp } from "../lib/format.ts";
import { StepRunCard } from "./StepRunCard.tsx";

type Shared = SharedPlaybookQuery["sharedPlaybook"];

const LINK_STEPS = { LINK_EXPIRED: "The link has expired or was revoked; ask whoever sent it for a new one." };
const RECHECK_MS = 2_000;

/**
 * Opens a share link someone sent: the token is pasted here (kept out of the
 * URL, so it stays out of history and logs). A view-results link shows the
 * latest runs; a run link runs the playbook with its fixed parameters.
 */
export function SharedPlaybookScreen() {
  const client = useClient();
  const [token, setToken] = createSignal("");
  const [shared, setShared] = createSignal<Shared | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const [loading, setLoading] = createSignal(false);
  const [running, run] = createMutation(RunSharedPlaybookDocument);

  const load = async () => {
    const result = await client.query(SharedPlaybookDocument, { token: token().trim() }, { requestPolicy: "network-only" }).toPromise();
    if (result.data) {
      setShared(result.data.sharedPlaybook);
      setError(null);
    } else {
      setShared(null);
      setError(result.error ?? new Error("The link did not open."));
    }
  };
  const open = async (event: SubmitEvent) => {
    event.preventDefault();
    setLoading(true);
    await load();
    setLoading(false);
  };
  const onRun = async () => {
    setError(null);
    const result = await run({ token: token().trim() });
    if (!result.data) return setError(result.error ?? new Error("The run did not start."));
    await load();
  };
  // Runs in progress are checked again until they end (the link's user may not see the playbook's live updates).
  const timer = setInterval(() => {
    if (shared()?.runs.some((r) => r.status === "QUEUED" || r.status === "RUNNING")) void load();
  }, RECHECK_MS);
  onCleanup(() => clearInterval(timer));

  return (
    <section class="screen" aria-labelledby="shared-title">
      <h1 id="shared-title">Open a shared playbook</h1>
      <form class="panel inline-form" aria-label="Open share link" onSubmit={(e) => void open(e)}>
        <label>
          Share link token
          <input name="shareToken" required autocomplete="off" value={token()} onInput={(e) => setToken(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={loading() || !token().trim()}>
          {loading() ? "Opening…" : "Open"}
        </button>
      </form>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The link did not open." nextSteps={LINK_STEPS} />
      </Show>
      <Show when={shared()}>
        {(s) => (
          <>
            <h2>{s().name}</h2>
            <Show when={s().description}>
              <p>{s().description}</p>
            </Show>
            <p class="muted" data-testid="shared-link">
              {s().link.scope === "RUN" ? `Runs with ${JSON.stringify(s().link.parameters ?? {})}` : "View results"} · expires{" "}
              {formatTimestamp(s().link.expiresAt)}
            </p>
            <Show when={s().link.scope === "RUN"}>
              <button type="button" class="primary" onClick={() => void onRun()} disabled={running.fetching}>
                {running.fetching ? "Starting…" : "Run it"}
              </button>
            </Show>
            <Show when={s().runs.length > 0} fallback={<p class="empty">No runs to show yet.</p>}>
              <For each={s().runs}>
                {(r) => (
                  <section class="panel" aria-label={`Run ${formatTimestamp(r.queuedAt)}`} data-testid="shared-run">
                    <h3>
                      Run of {formatTimestamp(r.queuedAt)} <StateBadge state={r.status} />
                    </h3>
                    <ol class="rows">
                      <For each={r.steps}>{(step, i) => <StepRunCard step={step} index={i()} />}</For>
                    </ol>
                  </section>
                )}
              </For>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
