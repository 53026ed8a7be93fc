import { createMutation } from "@urql/solid";
import { createSignal, Show } from "solid-js";
import { SetBillingAlertChannelsDocument, type BillingAccountFieldsFragment } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { parseEmails } from "./billingFormat.ts";

type Channels = BillingAccountFieldsFragment["channels"];

/** Where alerts go: a signed webhook (its secret shown once, with Copy) and e-mail addresses. */
export function AlertChannelsPanel(props: { channels: Channels; onChanged: () => void }) {
  const [saving, save] = createMutation(SetBillingAlertChannelsDocument);
  const [url, setUrl] = createSignal(props.channels.webhookUrl ?? "");
  const [emails, setEmails] = createSignal(props.channels.emails.join("\n"));
  const [secret, setSecret] = createSignal<string | null>(null);
  const [copied, setCopied] = createSignal(false);
  const [copyRefused, setCopyRefused] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    setSecret(null);
    setCopied(false);
    const result = await save({ input: { webhookUrl: url().trim() || null, emails: parseEmails(emails()) } });
    if (!result.data) return setError(result.error ?? new Error("The channels were not saved."));
    setSecret(result.data.setBillingAlertChannels.webhookSecret ?? null);
    props.onChanged();
  };
  const copy = async () => {
    const value = secret();
    if (!value) return;
    // The clipboard API exists only on secure origins (HTTPS, localhost); elsewhere the secret stays on screen to copy by hand.
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopyRefused(true);
    }
  };

  return (
    <section class="panel" aria-labelledby="channels-title">
      <h2 id="channels-title">Alert channels</h2>
      <form aria-label="Alert channels" onSubmit={(e) => void submit(e)}>
        <label>
          Webhook URL <span class="muted">(HTTPS; signed{props.channels.webhookSigned ? ", a secret is set" : ""})</span>
          <input
            name="webhookUrl"
            type="url"
            value={url()}
            onInput={(e) => setUrl(e.currentTarget.value)}
            placeholder="https://hooks.example.com/billing"
          />
        </label>
        <label>
          E-mail addresses <span class="muted">(one a line)</span>
          <textarea name="emails" rows={3} value={emails()} onInput={(e) => setEmails(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={saving.fetching}>
          {saving.fetching ? "Saving…" : "Save channels"}
        </button>
      </form>
      <Show when={secret()}>
        {(s) => (
          <div class="notice webhook-secret" role="status" data-testid="webhook-secret">
            <p>Webhook signing secret — shown only now; store it where your receiver checks signatures.</p>
            <code>{s()}</code>{" "}
            <button type="button" class="small" onClick={() => void copy()}>
              {copied() ? "Copied" : "Copy secret"}
            </button>
            <Show when={copyRefused()}>
              <p>The browser did not allow copying here; select the secret and copy it by hand.</p>
            </Show>
          </div>
        )}
      </Show>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The channels were not saved." />
      </Show>
    </section>
  );
}
