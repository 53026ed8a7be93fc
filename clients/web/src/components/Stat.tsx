import type { JSX } from "solid-js";

/** One figure in a `<dl class="stats">`: its label and value (with a test id where tests read it). */
export function Stat(props: { label: string; testId?: string; children: JSX.Element }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.children}</dd>
    </div>
  );
}
