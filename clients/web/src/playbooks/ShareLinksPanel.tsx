import { createMutation, createQuery } from "@urql/solid";
import { createEffect, createSignal, For, Match, on, Show, Switch } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import {
  CreatePlaybookShareLinkDocument,
  PlaybookShareLinksDocument,
  RevokePlaybookShareLinkDocument,
  type PlaybookDetailsFieldsFragment,
  type PlaybookShareLinkFieldsFragment,
  type PlaybookShareScope,
} from "../api/generated/graphql.ts";
import { toConsoleError } from "../api/consoleError.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { formatTimestamp } from "../lib/format.ts";
import { ParameterInputs } from "./ParameterInputs.tsx";
import { initialValues, runParameters } from "./runParameters.ts";

const DAY_MS = 86_400_000;

/** Share links: create one (view results, or run with fixed parameters) with an expiry; its token is shown once; revoke. */
export function ShareLinksPanel(props: { playbook: PlaybookDetailsFieldsFragment }) {
  const [links, refetch] = createQuery({
    query: PlaybookShareLinksDocument,
    variables: () => ({ playbookId: props.playbook.id }),
    requestPolicy: "network-only",
  });
  const [creating, create] = createMutation(CreatePlaybookShareLinkDocument);
  const [, revoke] = createMutation(RevokePlaybookShareLinkDocument);
  const [scope, setScope] = createSignal<PlaybookShareScope>("VIEW_RESULTS");
  const [days, setDays] = createSignal("7");
  const [values, setValues] = createStore<Record<string, string>>(initialValues(props.playbook.parameters));
  // A new version may have other parameters: start again from its defaults.
  createEffect(
    on(
      () => props.playbook.version,
      () => setValues(reconcile(initialValues(props.playbook.parameters))),
      { defer: true },
    ),
  );
  const [problems, setProblems] = createSignal<Array<{ path: string; message: string }>>([]);
  const [token, setToken] = createSignal<string | null>(null);
  const [copied, setCopied] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const reload = () => refetch({ requestPolicy: "network-only" });

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    setToken(null);
    setCopied(false);
    const n = Number(days());
    if (!Number.isFinite(n) || n <= 0) return setProblems([{ path: "expiresAt", message: "Expires after a number of days above 0." }]);
    const built = scope() === "RUN" ? runParameters(props.playbook.parameters, values) : { parameters: null, problems: [] };
    setProblems(built.problems);
    if (built.problems.length) return;
    const expiresAt = new Date(Date.now() + n * DAY_MS).toISOString();
    const result = await create({ input: { playbookId: props.playbook.id, scope: scope(), parameters: built.parameters, expiresAt } });
    if (!result.data) {
      setProblems(toConsoleError(result.error).problems ?? []);
      return setError(result.error ?? new Error("The link was not created."));
    }
    setToken(result.data.createPlaybookShareLink.token);
    reload();
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token() ?? "");
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  const onRevoke = async (id: string) => {
    setError(null);
    const result = await revoke({ id });
    if (!result.data) setError(result.error ?? new Error("The link was not revoked."));
    reload();
  };

  return (
    <section class="panel" aria-labelledby="share-title">
      <h2 id="share-title">Share links</h2>
      <Show when={props.playbook.myRights.includes("SHARE")} fallback={<p class="muted">You need the share right to make links.</p>}>
        <form aria-label="New share link" onSubmit={(e) => void submit(e)} novalidate>
          <label>
            Link lets someone
            <select name="scope" value={scope()} onChange={(e) => setScope(e.currentTarget.value as PlaybookShareScope)}>
              <option value="VIEW_RESULTS">View results</option>
              <option value="RUN">Run it with fixed parameters</option>
            </select>
          </label>
          <label>
            Expires after (days)
            <input name="expiresDays" type="number" min="1" value={days()} onInput={(e) => setDays(e.currentTarget.value)} />
            <For each={problems().filter((p) => p.path === "expiresAt")}>{(p) => <span class="field-problem">{p.message}</span>}</For>
          </label>
          <Show when={scope() === "RUN"}>
            <ParameterInputs parameters={props.playbook.parameters} values={values} setValues={setValues} problems={problems()} />
          </Show>
          <button type="submit" class="primary" disabled={creating.fetching}>
            {creating.fetching ? "Creating…" : "Create link"}
          </button>
        </form>
      </Show>
      <Show when={token()}>
        {(t) => (
          <div class="notice webhook-secret" role="status" data-testid="share-token">
            <p>
              Link token — shown only now; send it to the person. Signed in to this tenant, they paste it under Playbooks → “Open a shared
              link”.
            </p>
            <code>{t()}</code>{" "}
            <button type="button" class="small" onClick={() => void copy()}>
              {copied() ? "Copied" : "Copy token"}
            </button>
          </div>
        )}
      </Show>
      <Show when={error()}>
        <ErrorPanel error={error()} title="That did not work." />
      </Show>
      <Switch>
        <Match when={links.error}>
          <ErrorPanel error={links.error} onRetry={reload} />
        </Match>
        <Match when={!links.data}>
          <SkeletonRows rows={2} label="Loading share links" />
        </Match>
        <Match when={links.data?.playbookShareLinks.length === 0}>
          <p class="empty">No share links yet.</p>
        </Match>
        <Match when={links.data}>
          <ShareLinksTable links={links.data!.playbookShareLinks} onRevoke={(id) => void onRevoke(id)} />
        </Match>
      </Switch>
    </section>
  );
}

const state = (l: { revokedAt: string | null; expiresAt: string }) =>
  l.revokedAt ? "REVOKED" : Date.parse(l.expiresAt) <= Date.now() ? "EXPIRED" : "ACTIVE";

/** The playbook's links: scope (with a run link's parameters), state, expiry, last use, and Revoke while active. */
function ShareLinksTable(props: { links: readonly PlaybookShareLinkFieldsFragment[]; onRevoke: (id: string) => void }) {
  return (
    <table class="table" aria-label="Share links">
      <thead>
        <tr>
          <th scope="col">Scope</th>
          <th scope="col">State</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
          <th scope="col">
            <span class="visually-hidden">Revoke</span>
          </th>
        </tr>
      </thead>
      <tbody>
        <For each={props.links}>
          {(l) => (
            <tr data-testid="share-link-row">
              <td>{l.scope === "RUN" ? `run with ${JSON.stringify(l.parameters ?? {})}` : "view results"}</td>
              <td>
                <StateBadge state={state(l)} />
              </td>
              <td>{formatTimestamp(l.expiresAt)}</td>
              <td>{formatTimestamp(l.lastUsedAt)}</td>
              <td>
                <Show when={state(l) === "ACTIVE"}>
                  <button type="button" class="small" onClick={() => props.onRevoke(l.id)}>
                    Revoke
                  </button>
                </Show>
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
