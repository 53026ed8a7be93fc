import { createMutation, createQuery } from "@urql/solid";
import { createEffect, createMemo, createSignal, on, Show } from "solid-js";
import { createStore, reconcile, type SetStoreFunction } from "solid-js/store";
import {
  CreatePlaybookDocument,
  PlaybookDocument,
  UpdatePlaybookDocument,
  type PlaybookDetailsFieldsFragment,
} from "../api/generated/graphql.ts";
import { toConsoleError } from "../api/consoleError.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { navigate } from "../lib/navigation.ts";
import { AclPanel } from "./AclPanel.tsx";
import { AlertsPanel } from "./AlertsPanel.tsx";
import { FieldProblems, hasProblem } from "./FieldProblems.tsx";
import { ParametersEditor } from "./ParametersEditor.tsx";
import { draftOf, emptyDraft, playbookInput, type DraftProblem, type PlaybookDraft } from "./playbookDraft.ts";
import { RecentRuns } from "./RecentRuns.tsx";
import { RunForm } from "./RunForm.tsx";
import { ScheduleEditor } from "./ScheduleEditor.tsx";
import { ScheduleStatePanel } from "./ScheduleStatePanel.tsx";
import { ShareLinksPanel } from "./ShareLinksPanel.tsx";
import { StepsEditor } from "./StepsEditor.tsx";

const CONFLICT_STEP =
  "Someone saved a newer version after you opened it. Reload the playbook (your unsaved changes are replaced), then make them again.";

/** `/playbooks/:id` (or `/playbooks/new`): loads the playbook, then the editor. */
export function PlaybookEditor(props: { id?: string }) {
  if (!props.id) return <PlaybookForm saved={null} onReload={() => undefined} />;
  const [result, refetch] = createQuery({
    query: PlaybookDocument,
    variables: () => ({ id: props.id! }),
    context: { additionalTypenames: ["PlaybookRun", "PlaybookShareLink"] },
  });
  const reload = () => refetch({ requestPolicy: "network-only" });
  return (
    <Show when={!result.error} fallback={<ErrorPanel error={result.error} onRetry={reload} />}>
      <Show when={result.data} fallback={<SkeletonRows rows={12} label="Loading the playbook" />}>
        <Show
          when={result.data?.playbook}
          fallback={
            <ErrorPanel
              error={{ graphQLErrors: [{ message: `No playbook ${props.id} that you may view.`, extensions: { code: "NOT_FOUND" } }] }}
              title="Not found."
            />
          }
        >
          {(p) => <PlaybookForm saved={p()} onReload={reload} />}
        </Show>
      </Show>
    </Show>
  );
}

/** The editor: name, description, parameters, steps and schedule saved as a new version; the saved playbook's panels beside it. */
function PlaybookForm(props: { saved: PlaybookDetailsFieldsFragment | null; onReload: () => void }) {
  const [creating, create] = createMutation(CreatePlaybookDocument);
  const [updating, update] = createMutation(UpdatePlaybookDocument);
  const [draft, setDraft] = createStore<PlaybookDraft>(props.saved ? draftOf(props.saved) : emptyDraft());
  const [base, setBase] = createSignal<PlaybookDetailsFieldsFragment | null>(props.saved);
  const [problems, setProblems] = createSignal<DraftProblem[]>([]);
  const [error, setError] = createSignal<unknown>(null);
  const [notice, setNotice] = createSignal("");
  const built = createMemo(() => playbookInput(draft));
  const dirty = createMemo(() => {
    const saved = base();
    return !saved || JSON.stringify(built().input) !== JSON.stringify(playbookInput(draftOf(saved)).input);
  });
  const canEdit = () => !base() || base()!.myRights.includes("EDIT");
  // A fresh answer (after a run, a pause or an ACL change) replaces the draft only while there are no unsaved edits.
  createEffect(
    on(
      () => props.saved,
      (saved) => {
        if (!saved) return;
        const replace = !dirty() || replaceOnReload;
        replaceOnReload = false;
        setBase(saved);
        if (replace) {
          setDraft(reconcile(draftOf(saved)));
          setError(null);
          setProblems([]);
        }
      },
      { defer: true },
    ),
  );
  const changed = (p: PlaybookDetailsFieldsFragment) => setBase(p);
  let replaceOnReload = false;

  const save = async () => {
    setError(null);
    setNotice("");
    const { input, problems: found } = built();
    setProblems(found);
    if (found.length) return;
    const saved = base();
    const outcome = saved
      ? await update({ id: saved.id, expectedVersion: saved.version, input }).then((r) => ({
          data: r.data?.updatePlaybook,
          error: r.error,
        }))
      : await create({ input }).then((r) => ({ data: r.data?.createPlaybook, error: r.error }));
    if (!outcome.data) {
      setProblems(toConsoleError(outcome.error).problems ?? []);
      return setError(outcome.error ?? new Error("The playbook was not saved."));
    }
    if (!saved) return navigate({ name: "playbook", id: outcome.data.id });
    setBase(outcome.data);
    setDraft(reconcile(draftOf(outcome.data)));
    setNotice(`Saved as version ${outcome.data.version}.`);
  };

  return (
    <section class="screen" aria-labelledby="playbook-title">
      <p>
        <Link href="/playbooks">← Playbooks</Link>
      </p>
      <h1 id="playbook-title">{base() ? base()!.name : "New playbook"}</h1>
      <Show when={base()}>
        {(b) => (
          <p class="muted">
            Version {b().version} · owner <code>{b().ownerId}</code> · your rights:{" "}
            {b()
              .myRights.map((r) => r.toLowerCase())
              .join(", ")}
          </p>
        )}
      </Show>
      <div class="report-layout">
        <form
          aria-label="Playbook definition"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          novalidate
        >
          <DetailsFields draft={draft} setDraft={setDraft} problems={problems()} disabled={!canEdit()} />
          <ParametersEditor draft={draft} setDraft={setDraft} problems={problems()} />
          <StepsEditor draft={draft} setDraft={setDraft} problems={problems()} />
          <ScheduleEditor draft={draft} setDraft={setDraft} problems={problems()} />
          <div class="actions">
            <Show when={canEdit()} fallback={<p class="muted">You may not edit this playbook. Ask its owner for the edit right.</p>}>
              <button type="submit" class="primary" disabled={creating.fetching || updating.fetching || !dirty()}>
                {creating.fetching || updating.fetching ? "Saving…" : base() ? "Save new version" : "Create playbook"}
              </button>
            </Show>
            <span class="muted" role="status" data-testid="save-status">
              {dirty() ? (base() ? "Unsaved changes" : "Not saved yet") : notice() || `Version ${base()?.version ?? ""}`}
            </span>
          </div>
          <Show when={error()}>
            <ErrorPanel error={error()} title="The playbook was not saved." nextSteps={{ CONFLICT: CONFLICT_STEP }} />
            <Show when={toConsoleError(error()).code === "CONFLICT"}>
              <button
                type="button"
                onClick={() => {
                  replaceOnReload = true;
                  props.onReload();
                }}
              >
                Reload the playbook
              </button>
            </Show>
          </Show>
        </form>
        <Show when={base()}>
          {(b) => (
            <aside class="report-side" aria-label="Run, schedule and sharing">
              <RunForm playbook={b()} />
              <ScheduleStatePanel playbook={b()} onChanged={changed} />
              <RecentRuns runs={b().runs} />
              <AclPanel playbook={b()} onChanged={changed} />
              <ShareLinksPanel playbook={b()} />
              <AlertsPanel playbook={b()} onChanged={changed} />
            </aside>
          )}
        </Show>
      </div>
    </section>
  );
}

/** Name, description and whether the schedule needs a second person's approval. */
function DetailsFields(props: {
  draft: PlaybookDraft;
  setDraft: SetStoreFunction<PlaybookDraft>;
  problems: readonly DraftProblem[];
  disabled: boolean;
}) {
  return (
    <fieldset class="panel" disabled={props.disabled}>
      <legend>Playbook</legend>
      <label>
        Playbook name
        <input
          name="playbookName"
          value={props.draft.name}
          aria-invalid={hasProblem(props.problems, "name")}
          onInput={(e) => props.setDraft("name", e.currentTarget.value)}
        />
        <FieldProblems problems={props.problems} path="name" />
      </label>
      <label>
        Description
        <textarea
          name="description"
          rows={2}
          value={props.draft.description}
          onInput={(e) => props.setDraft("description", e.currentTarget.value)}
        />
      </label>
      <label class="choice">
        <input
          type="checkbox"
          checked={props.draft.requiresApproval}
          onChange={(e) => props.setDraft("requiresApproval", e.currentTarget.checked)}
        />
        Requires a second person’s approval before its schedule runs
      </label>
    </fieldset>
  );
}
