import { For } from "solid-js";

/** Placeholder rows of the final height, so content does not push the page around when it arrives. */
export function SkeletonRows(props: { rows: number; label?: string }) {
  return (
    <div class="skeleton" role="status" aria-label={props.label ?? "Loading"}>
      <For each={Array.from({ length: props.rows })}>{() => <div class="skeleton-row" />}</For>
    </div>
  );
}
