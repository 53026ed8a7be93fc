import { Show } from "solid-js";
import { isSessionError, toConsoleError } from "../api/consoleError.ts";
import { setSession } from "../api/session.ts";
import { navigate } from "../lib/navigation.ts";

/**
 * Shows any failure the same way: what happened (the API's message), its
 * `extensions.code`, and the next step, with a button for it when there is one.
 */
export function ErrorPanel(props: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
  /** Screen-specific next steps by code, e.g. the sign-in form's for UNAUTHENTICATED. */
  nextSteps?: Partial<Record<string, string>>;
}) {
  const error = () => {
    const base = toConsoleError(props.error);
    const step = props.nextSteps?.[base.code];
    return step ? { ...base, nextStep: step } : base;
  };
  const offerSignIn = () => isSessionError(error()) && !props.nextSteps?.[error().code];
  const signInAgain = () => {
    setSession(null);
    navigate({ name: "sign-in", next: window.location.pathname + window.location.search });
  };
  return (
    <div class="error-panel" role="alert" data-code={error().code}>
      <p class="error-title">
        <strong>{props.title ?? "That did not work."}</strong> {error().message}
      </p>
      <p class="error-next">
        <code class="error-code">{error().code}</code> {error().nextStep}
      </p>
      <Show when={error().problems?.length}>
        <ul class="error-problems">
          {error().problems!.map((p) => (
            <li>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      </Show>
      <Show when={offerSignIn()}>
        <button type="button" onClick={signInAgain}>
          Sign in again
        </button>
      </Show>
      <Show when={!offerSignIn() && props.onRetry}>
        <button type="button" onClick={() => props.onRetry?.()}>
          Retry
        </button>
      </Show>
    </div>
  );
}
