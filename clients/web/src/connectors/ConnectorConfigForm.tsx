import { createMutation } from "@urql/solid";
import { createSignal, For, Show } from "solid-js";
import { createStore } from "solid-js/store";
import { UpdateConnectorDocument, type ConnectorFieldsFragment } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { configFormOf, configInput, type ConfigForm } from "./connectorForm.ts";

type TextKey = Exclude<keyof ConfigForm, "syncEnabled">;

/** The connector's field mapping, rate limit, replay policy and pull sync, saved together. */
export function ConnectorConfigForm(props: { connector: ConnectorFieldsFragment; onSaved: (c: ConnectorFieldsFragment) => void }) {
  const [saving, save] = createMutation(UpdateConnectorDocument);
  const [form, setForm] = createStore<ConfigForm>(configFormOf(props.connector));
  const [problems, setProblems] = createSignal<Array<{ path: string; message: string }>>([]);
  const [error, setError] = createSignal<unknown>(null);
  const [notice, setNotice] = createSignal("");
  const problemFor = (path: string) => problems().filter((p) => p.path === path);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    setNotice("");
    const built = configInput(form, props.connector.secretSource);
    setProblems(built.problems);
    if (!built.input) return;
    const result = await save({ id: props.connector.id, input: built.input });
    if (!result.data) return setError(result.error ?? new Error("The configuration was not saved."));
    setForm(configFormOf(result.data.updateConnector));
    setNotice("Saved.");
    props.onSaved(result.data.updateConnector);
  };
  const field = (key: TextKey, path: string, label: string, type = "text") => (
    <label>
      {label}
      <input
        name={key}
        type={type}
        step={type === "number" ? "any" : undefined}
        value={form[key]}
        aria-invalid={problemFor(path).length ? "true" : undefined}
        onInput={(e) => setForm(key, e.currentTarget.value)}
      />
      <For each={problemFor(path)}>{(p) => <span class="field-problem">{p.message}</span>}</For>
    </label>
  );

  return (
    <section class="panel" aria-labelledby="connector-config-title">
      <h2 id="connector-config-title">Configuration</h2>
      <form aria-label="Connector configuration" onSubmit={(e) => void submit(e)} novalidate>
        <fieldset>
          <legend>Field mapping</legend>
          {field("assignmentGroup", "mapping.assignmentGroup", "Assignment group")}
          {field("category", "mapping.category", "Category")}
          {field("callerId", "mapping.callerId", "Caller id")}
          <label>
            Severity → urgency/impact <span class="muted">(one a line, e.g. “high: 1/1”)</span>
            <textarea
              name="severity"
              rows={4}
              value={form.severity}
              aria-invalid={problemFor("mapping.severity").length ? "true" : undefined}
              onInput={(e) => setForm("severity", e.currentTarget.value)}
            />
            <For each={problemFor("mapping.severity")}>{(p) => <span class="field-problem">{p.message}</span>}</For>
          </label>
          {field("defaultUrgency", "mapping.defaultUrgency", "Default urgency", "number")}
          {field("defaultImpact", "mapping.defaultImpact", "Default impact", "number")}
          {field("closeCode", "mapping.closeCode", "Close code on resolve")}
        </fieldset>
        <fieldset>
          <legend>Rate limit and replay</legend>
          {field("ratePerSecond", "rateLimit.ratePerSecond", "Requests per second", "number")}
          {field("burst", "rateLimit.burst", "Burst", "number")}
          {field("maxAttempts", "replay.maxAttempts", "Replays before giving up", "number")}
          {field("windowHours", "replay.windowHours", "Auto-replay window (hours)", "number")}
          {field("alertThreshold", "replay.alertThreshold", "Alert at dead letters", "number")}
        </fieldset>
        <fieldset>
          <legend>Credentials</legend>
          <label>
            {props.connector.secretSource === "ENCRYPTED" ? "Replace secret" : "Replace secret reference"}{" "}
            <span class="muted">(empty keeps the stored one; it is never shown)</span>
            <input
              name="newSecret"
              type={props.connector.secretSource === "ENCRYPTED" ? "password" : "text"}
              autocomplete="new-password"
              value={form.newSecret}
              onInput={(e) => setForm("newSecret", e.currentTarget.value)}
            />
          </label>
        </fieldset>
        <fieldset>
          <legend>Pull sync</legend>
          <label class="choice">
            <input
              type="checkbox"
              name="syncEnabled"
              checked={form.syncEnabled}
              onChange={(e) => setForm("syncEnabled", e.currentTarget.checked)}
            />
            Pull changed incidents on a schedule
          </label>
          <Show when={form.syncEnabled}>
            {field("syncIntervalMinutes", "sync.intervalMinutes", "Every (minutes)", "number")}
            {field("syncQuery", "sync.query", "Extra sysparm_query")}
          </Show>
          <p class="muted">
            Cursor {props.connector.sync.cursor ?? "— (first sync reads everything)"} · last sync{" "}
            {props.connector.sync.lastSyncAt ?? "never"}
          </p>
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary" disabled={saving.fetching}>
            {saving.fetching ? "Saving…" : "Save configuration"}
          </button>
          <span class="muted" role="status" data-testid="config-status">
            {notice()}
          </span>
        </div>
      </form>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The configuration was not saved." />
      </Show>
    </section>
  );
}
