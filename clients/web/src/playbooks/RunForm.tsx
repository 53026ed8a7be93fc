import { createMutation } from "@urql/solid";
import { createEffect, createSignal, on, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { RunPlaybookDocument, type PlaybookDetailsFieldsFragment } from "../api/generated/graphql.ts";
import { toConsoleError } from "../api/consoleError.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { navigate } from "../lib/navigation.ts";
import { ParameterInputs } from "./ParameterInputs.tsx";
import { initialValues, runParameters } from "./runParameters.ts";

/** Run now: a field per parameter (hints here, the API's BAD_USER_INPUT problems under each field), then the live run view. */
export function RunForm(props: { playbook: PlaybookDetailsFieldsFragment }) {
  const [running, run] = createMutation(RunPlaybookDocument);
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
  const [error, setError] = createSignal<unknown>(null);
  const canRun = () => props.playbook.myRights.includes("RUN");

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    const built = runParameters(props.playbook.parameters, values);
    setProblems(built.problems);
    if (built.problems.length) return;
    const result = await run({ id: props.playbook.id, parameters: built.parameters });
    if (!result.data) {
      const failure = toConsoleError(result.error);
      const fieldProblems = (failure.problems ?? []).filter((p) => p.path.startsWith("parameters."));
      setProblems(fieldProblems);
      // Problems that name a parameter show under its field; anything else in the panel.
      const others = (failure.problems?.length ?? 0) - fieldProblems.length;
      if (failure.code !== "BAD_USER_INPUT" || others > 0 || fieldProblems.length === 0) setError(result.error);
      return;
    }
    navigate({ name: "playbook-run", id: result.data.runPlaybook.id });
  };

  return (
    <section class="panel" aria-labelledby="run-title">
      <h2 id="run-title">Run</h2>
      <Show when={canRun()} fallback={<p class="muted">You may view this playbook but not run it. Ask its owner for the run right.</p>}>
        <form aria-label="Run playbook" onSubmit={(e) => void submit(e)} novalidate>
          <Show when={props.playbook.parameters.length === 0}>
            <p class="muted">No parameters: it runs as saved.</p>
          </Show>
          <ParameterInputs parameters={props.playbook.parameters} values={values} setValues={setValues} problems={problems()} />
          <Show when={problems().length > 0}>
            <p class="field-problem" role="alert">
              Fix the parameters marked above.
            </p>
          </Show>
          <button type="submit" class="primary" disabled={running.fetching}>
            {running.fetching ? "Starting…" : "Run playbook"}
          </button>
        </form>
      </Show>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The run did not start." />
      </Show>
    </section>
  );
}
