import { createMutation, createQuery } from "@urql/solid";
import { createSignal, For, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import {
  PlaybookAclUsersDocument,
  SetPlaybookAclDocument,
  type PlaybookDetailsFieldsFragment,
  type Role,
} from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { aclEntries, aclRowsOf, newAclRow, RIGHTS, toggledRights, type AclRow } from "./aclDraft.ts";
import { FieldProblems } from "./FieldProblems.tsx";

const ROLES: Role[] = ["ADMIN", "ANALYST", "VIEWER", "COMPLIANCE", "OPERATOR", "SUPPORT", "BILLING"];

/** Who else may view, run, edit or share the playbook: role and user entries (the owner and admins hold every right). */
export function AclPanel(props: { playbook: PlaybookDetailsFieldsFragment; onChanged: (p: PlaybookDetailsFieldsFragment) => void }) {
  const [saving, save] = createMutation(SetPlaybookAclDocument);
  // Admins see the tenant's users to pick from; for others the query is refused and they type an id.
  const [users] = createQuery({ query: PlaybookAclUsersDocument });
  const [rows, setRows] = createStore<AclRow[]>(aclRowsOf(props.playbook.acl));
  const [problems, setProblems] = createSignal<Array<{ path: string; message: string }>>([]);
  const [error, setError] = createSignal<unknown>(null);
  const [notice, setNotice] = createSignal("");
  const canShare = () => props.playbook.myRights.includes("SHARE");

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    setNotice("");
    const built = aclEntries(rows);
    setProblems(built.problems);
    if (built.problems.length) return;
    const result = await save({ id: props.playbook.id, entries: built.entries });
    if (!result.data) return setError(result.error ?? new Error("The access list was not saved."));
    setRows(reconcile(aclRowsOf(result.data.setPlaybookAcl.acl)));
    setNotice("Access saved.");
    props.onChanged(result.data.setPlaybookAcl);
  };

  return (
    <section class="panel" aria-labelledby="acl-title">
      <h2 id="acl-title">Access</h2>
      <p class="muted">The owner ({props.playbook.ownerId}) and tenant admins hold every right; any right includes view.</p>
      <form aria-label="Access list" onSubmit={(e) => void submit(e)}>
        <Show when={rows.length === 0}>
          <p class="empty">Only the owner and admins can see this playbook. Add a role or a person to share it.</p>
        </Show>
        <table class="table" aria-label="Access entries">
          <thead>
            <tr>
              <th scope="col">Who</th>
              <For each={RIGHTS}>{(r) => <th scope="col">{r.toLowerCase()}</th>}</For>
              <th scope="col">
                <span class="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={rows}>
              {(row, i) => (
                <tr data-testid="acl-row">
                  <td>
                    <Show
                      when={row.kind === "role"}
                      fallback={
                        <label>
                          User
                          <input
                            value={row.who}
                            list="acl-users"
                            disabled={!canShare()}
                            onInput={(e) => setRows(i(), "who", e.currentTarget.value)}
                            placeholder="user id"
                          />
                        </label>
                      }
                    >
                      <label>
                        Role
                        <select value={row.who} disabled={!canShare()} onChange={(e) => setRows(i(), "who", e.currentTarget.value)}>
                          <For each={ROLES}>{(r) => <option value={r}>{r.toLowerCase()}</option>}</For>
                        </select>
                      </label>
                    </Show>
                    <FieldProblems problems={problems()} path={`entries.${i()}`} />
                  </td>
                  <For each={RIGHTS}>
                    {(right) => (
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`${right.toLowerCase()} for ${row.who || "this entry"}`}
                          checked={row.rights.includes(right)}
                          disabled={!canShare()}
                          onChange={() => setRows(i(), "rights", toggledRights(row.rights, right))}
                        />
                      </td>
                    )}
                  </For>
                  <td>
                    <button
                      type="button"
                      class="small"
                      disabled={!canShare()}
                      onClick={() => setRows((list) => list.filter((_, j) => j !== i()))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <datalist id="acl-users">
          <For each={users.data?.users.filter((u) => u.active) ?? []}>
            {(u) => <option value={u.id}>{u.displayName ?? u.email}</option>}
          </For>
        </datalist>
        <Show when={canShare()} fallback={<p class="muted">You need the share right to change who has access.</p>}>
          <div class="actions">
            <button type="button" onClick={() => setRows((list) => [...list, newAclRow("role")])}>
              Add role
            </button>
            <button type="button" onClick={() => setRows((list) => [...list, newAclRow("user")])}>
              Add person
            </button>
            <button type="submit" class="primary" disabled={saving.fetching}>
              {saving.fetching ? "Saving…" : "Save access"}
            </button>
            <span class="muted" role="status">
              {notice()}
            </span>
          </div>
        </Show>
      </form>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The access list was not saved." />
      </Show>
    </section>
  );
}
