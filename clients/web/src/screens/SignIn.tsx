import { useClient } from "@urql/solid";
import { createSignal, Show } from "solid-js";
import { setSession } from "../api/session.ts";
import { signIn } from "../api/signIn.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { navigate } from "../lib/navigation.ts";

export function SignIn(props: { next?: string | undefined }) {
  const client = useClient();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [email, setEmail] = createSignal("");
  const [password, setPassword] = createSignal("");

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const outcome = await signIn(client, email().trim(), password());
    setBusy(false);
    if (outcome.session) {
      setSession(outcome.session);
      navigate(props.next ?? "/", { replace: true });
    } else {
      setError(outcome.error);
    }
  };

  return (
    <main class="sign-in" id="main">
      <form class="sign-in-card" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to IntelGraph</h1>
        <label>
          E-mail
          <input
            name="email"
            type="email"
            autocomplete="username"
            required
            value={email()}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <div class="error-slot">
          <Show when={error()}>
            {(error) => (
              <ErrorPanel
                error={error()}
                title="Could not sign in."
                nextSteps={{ UNAUTHENTICATED: "Check the e-mail address and password, then try again. An admin can reset a password." }}
              />
            )}
          </Show>
        </div>
        <button type="submit" class="primary" disabled={busy()}>
          {busy() ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
