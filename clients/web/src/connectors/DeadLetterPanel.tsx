import { createMutation, createQuery } from "@urql/solid";
import { createSignal, For, Match, Show, Switch } from "solid-js";
import { ConnectorDeadLettersDocument, ReplayConnectorDeadLetterDocument, type DeadLetterStatus } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { formatTimestamp } from "../lib/format.ts";

/** The connector's dead letters (failed deliveries) with a Replay per item, and one for every listed unsent item. */
export function DeadLetterPanel(props: { connectorId: string; onReplayed: () => void }) {
  const [status, setStatus] = createSignal<DeadLetterStatus | "">("PENDING");
  const [letters, refetch] = createQuery({
    query: ConnectorDeadLettersDocument,
    variables: () => ({ connectorId: props.connectorId, status: status() || null, limit: 50 }),
    requestPolicy: "network-only",
  });
  const [, replay] = createMutation(ReplayConnectorDeadLetterDocument);
  const [busy, setBusy] = createSignal<string | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const [notice, setNotice] = createSignal("");
  const reload = () => refetch({ requestPolicy: "network-only" });

  const replayOne = async (id: string) => {
    const result = await replay({ id });
    if (!result.data) {
      setError(result.error ?? new Error("The dead letter was not replayed."));
      return false;
    }
    return result.data.replayConnectorDeadLetter.status === "DELIVERED";
  };
  const onReplay = async (id: string) => {
    setError(null);
    setBusy(id);
    const delivered = await replayOne(id);
    setBusy(null);
    setNotice(delivered ? "Replayed: delivered." : "Replayed: not delivered yet; it stays in the queue.");
    reload();
    props.onReplayed();
  };
  // The API replays one dead letter at a time: replay all walks the list in order and stops at the first refusal.
  const onReplayAll = async () => {
    setError(null);
    setBusy("all");
    const ids = (letters.data?.connectorDeadLetters ?? []).filter((l) => l.status !== "REPLAYED").map((l) => l.id);
    let delivered = 0;
    for (const id of ids) {
      const ok = await replayOne(id);
      if (error()) break;
      if (ok) delivered += 1;
    }
    setBusy(null);
    setNotice(`Replayed ${ids.length}: ${delivered} delivered.`);
    reload();
    props.onReplayed();
  };
  const replayable = () => (letters.data?.connectorDeadLetters ?? []).filter((l) => l.status !== "REPLAYED").length;

  return (
    <section class="panel" aria-labelledby="dlq-title">
      <div class="panel-head">
        <h2 id="dlq-title">Dead-letter queue</h2>
        <label>
          Status
          <select name="dlqStatus" value={status()} onChange={(e) => setStatus(e.currentTarget.value as DeadLetterStatus | "")}>
            <option value="PENDING">Pending</option>
            <option value="EXHAUSTED">Exhausted</option>
            <option value="REPLAYED">Replayed</option>
            <option value="">All</option>
          </select>
        </label>
        <button type="button" class="small" onClick={reload}>
          Refresh
        </button>
        <button type="button" onClick={() => void onReplayAll()} disabled={busy() !== null || replayable() === 0}>
          {busy() === "all" ? "Replaying…" : `Replay all listed (${replayable()})`}
        </button>
      </div>
      <Show when={notice()}>
        <p class="muted" role="status" data-testid="dlq-notice">
          {notice()}
        </p>
      </Show>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The replay was refused." />
      </Show>
      <Switch>
        <Match when={letters.error}>
          <ErrorPanel error={letters.error} onRetry={reload} />
        </Match>
        <Match when={!letters.data}>
          <SkeletonRows rows={3} label="Loading dead letters" />
        </Match>
        <Match when={letters.data?.connectorDeadLetters.length === 0}>
          <p class="empty">No dead letters{status() ? ` ${status().toLowerCase()}` : ""}. Failed deliveries land here with their error.</p>
        </Match>
        <Match when={letters.data}>
          <table class="table" aria-label="Dead letters">
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Action</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Next attempt</th>
                <th scope="col">
                  <span class="visually-hidden">Replay</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={letters.data!.connectorDeadLetters}>
                {(l) => (
                  <tr data-testid="dead-letter-row">
                    <td>
                      <code>{l.incidentId}</code>
                    </td>
                    <td>{l.action.toLowerCase()}</td>
                    <td>
                      <StateBadge state={l.status} />
                    </td>
                    <td>
                      {l.attempts} ({l.replays} replays)
                    </td>
                    <td>{l.lastError}</td>
                    <td>{formatTimestamp(l.nextAttemptAt)}</td>
                    <td>
                      <Show when={l.status !== "REPLAYED"}>
                        <button
                          type="button"
                          class="small"
                          aria-label={`Replay ${l.incidentId} ${l.action.toLowerCase()}`}
                          disabled={busy() !== null}
                          onClick={() => void onReplay(l.id)}
                        >
                          {busy() === l.id ? "Replaying…" : "Replay"}
                        </button>
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Match>
      </Switch>
    </section>
  );
}
