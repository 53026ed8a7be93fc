import { For } from "solid-js";
import type { DraftProblem } from "./playbookDraft.ts";

/** The problems (the console's or the API's) at one path, under its field. */
export function FieldProblems(props: { problems: readonly DraftProblem[]; path: string }) {
  return (
    <For each={props.problems.filter((p) => p.path === props.path || p.path.startsWith(`${props.path}.`))}>
      {(p) => <span class="field-problem">{p.message}</span>}
    </For>
  );
}

export const hasProblem = (problems: readonly DraftProblem[], path: string) =>
  problems.some((p) => p.path === path || p.path.startsWith(`${path}.`)) ? "true" : undefined;
