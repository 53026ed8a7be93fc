import { createMutation } from "@urql/solid";
import { createSignal, For, Show } from "solid-js";
import { createStore } from "solid-js/store";
import { RegisterConnectorDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { navigate } from "../lib/navigation.ts";
import { emptyRegisterForm, registerInput, registerProblems, type RegisterForm } from "./connectorForm.ts";

/** Registers a ServiceNow connector: instance URL, auth kind and its credentials (the secret is never shown again). */
export function RegisterConnectorForm() {
  const [registering, register] = createMutation(RegisterConnectorDocument);
  const [form, setForm] = createStore<RegisterForm>(emptyRegisterForm());
  const [hints, setHints] = createSignal<Array<{ path: string; message: string }>>([]);
  const [error, setError] = createSignal<unknown>(null);
  const hint = (path: string) => hints().find((p) => p.path === path)?.message;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    const problems = registerProblems(form);
    setHints(problems);
    if (problems.length) return;
    const result = await register({ input: registerInput(form) });
    if (!result.data) return setError(result.error ?? new Error("The connector was not registered."));
    navigate({ name: "connector", id: result.data.registerConnector.id });
  };
  const field = (path: keyof RegisterForm, label: string, type = "text", placeholder = "") => (
    <label>
      {label}
      <input
        name={path}
        type={type}
        value={String(form[path])}
        placeholder={placeholder}
        autocomplete={type === "password" ? "new-password" : "off"}
        aria-invalid={hint(path) ? "true" : undefined}
        onInput={(e) => setForm(path, e.currentTarget.value as never)}
      />
      <Show when={hint(path)}>{(m) => <span class="field-problem">{m()}</span>}</Show>
    </label>
  );

  return (
    <section class="panel" aria-labelledby="register-connector-title">
      <h2 id="register-connector-title">Register a ServiceNow connector</h2>
      <form aria-label="Register connector" onSubmit={(e) => void submit(e)} novalidate>
        {field("name", "Name", "text", "e.g. ServiceNow production")}
        {field("baseUrl", "Instance URL", "url", "https://acme.service-now.com")}
        <fieldset class="choices">
          <legend>Authentication</legend>
          <label class="choice">
            <input type="radio" name="authKind" checked={form.authKind === "BASIC"} onChange={() => setForm("authKind", "BASIC")} />
            Basic (username and password)
          </label>
          <label class="choice">
            <input
              type="radio"
              name="authKind"
              checked={form.authKind === "OAUTH_CLIENT_CREDENTIALS"}
              onChange={() => setForm("authKind", "OAUTH_CLIENT_CREDENTIALS")}
            />
            OAuth client credentials
          </label>
        </fieldset>
        <Show when={form.authKind === "BASIC"} fallback={field("clientId", "OAuth client id")}>
          {field("username", "Username")}
        </Show>
        <label>
          Secret kept as
          <select
            name="secretSource"
            value={form.secretSource}
            onChange={(e) => setForm("secretSource", e.currentTarget.value as RegisterForm["secretSource"])}
          >
            <option value="ENCRYPTED">Stored encrypted by IntelGraph</option>
            <option value="REFERENCE">A reference to your secret manager</option>
          </select>
        </label>
        <Show when={form.secretSource === "ENCRYPTED"} fallback={field("secret", "Secret reference", "text", "vault://servicenow/prod")}>
          {field("secret", form.authKind === "BASIC" ? "Password" : "Client secret", "password")}
        </Show>
        <button type="submit" class="primary" disabled={registering.fetching}>
          {registering.fetching ? "Registering…" : "Register connector"}
        </button>
      </form>
      <Show when={hints().length > 0}>
        <p class="field-problem" role="alert">
          Fix: <For each={hints()}>{(p, i) => <>{(i() ? ", " : "") + p.path}</>}</For>
        </p>
      </Show>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The connector was not registered." />
      </Show>
    </section>
  );
}
