import { createMutation } from "@urql/solid";
import { createSignal, Show } from "solid-js";
import { SetPlaybookAlertsDocument, type PlaybookDetailsFieldsFragment } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";

const emailsOf = (text: string) => [...new Set(text.split(/[\s,;]+/).filter(Boolean))];

/** Where a failed run is reported: a signed webhook (its secret shown once, rotatable) and e-mail addresses. */
export function AlertsPanel(props: { playbook: PlaybookDetailsFieldsFragment; onChanged: (p: PlaybookDetailsFieldsFragment) => void }) {
  const [saving, save] = createMutation(SetPlaybookAlertsDocument);
  const [url, setUrl] = createSignal(props.playbook.alerts.webhookUrl ?? "");
  const [emails, setEmails] = createSignal(props.playbook.alerts.emails.join("\n"));
  const [rotate, setRotate] = createSignal(false);
  const [secret, setSecret] = createSignal<string | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const canEdit = () => props.playbook.myRights.includes("EDIT");

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    setSecret(null);
    const result = await save({
      id: props.playbook.id,
      input: { webhookUrl: url().trim() || null, emails: emailsOf(emails()) },
      rotateSecret: rotate(),
    });
    if (!result.data) return setError(result.error ?? new Error("The alert channels were not saved."));
    setRotate(false);
    setSecret(result.data.setPlaybookAlerts.webhookSecret ?? null);
    props.onChanged(result.data.setPlaybookAlerts.playbook);
  };

  return (
    <section class="panel" aria-labelledby="pb-alerts-title">
      <h2 id="pb-alerts-title">Failure alerts</h2>
      <form aria-label="Failure alerts" onSubmit={(e) => void submit(e)}>
        <fieldset disabled={!canEdit()}>
          <label>
            Webhook URL <span class="muted">(a signed POST when a run fails)</span>
            <input
              name="alertWebhookUrl"
              type="url"
              value={url()}
              onInput={(e) => setUrl(e.currentTarget.value)}
              placeholder="https://hooks.example.com/playbooks"
            />
          </label>
          <label>
            E-mail addresses <span class="muted">(one a line)</span>
            <textarea name="alertEmails" rows={2} value={emails()} onInput={(e) => setEmails(e.currentTarget.value)} />
          </label>
          <label class="choice">
            <input type="checkbox" checked={rotate()} onChange={(e) => setRotate(e.currentTarget.checked)} />
            Make a new signing secret
          </label>
          <button type="submit" class="primary" disabled={saving.fetching}>
            {saving.fetching ? "Saving…" : "Save alerts"}
          </button>
        </fieldset>
      </form>
      <Show when={secret()}>
        {(s) => (
          <div class="notice webhook-secret" role="status" data-testid="alert-webhook-secret">
            <p>Webhook signing secret — shown only now; your receiver checks the x-intelgraph-signature header with it.</p>
            <code>{s()}</code>
          </div>
        )}
      </Show>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The alert channels were not saved." />
      </Show>
    </section>
  );
}
