import { createMemo, For, Show } from "solid-js";
import type { AskGraphQuery } from "../api/generated/graphql.ts";
import { GraphView } from "../components/GraphView.tsx";
import { tableOf } from "./askView.ts";
import { resultGraph } from "./resultGraph.ts";

type Answer = AskGraphQuery["askGraph"];

/** The rows of a question that ran, as a table, and the nodes and edges they touched, as a graph. */
export function AskResults(props: { answer: Answer }) {
  const table = createMemo(() => tableOf(props.answer.columns, props.answer.rows));
  const graph = createMemo(() => resultGraph(props.answer.nodes, props.answer.edges));
  return (
    <section class="panel" aria-labelledby="results-title">
      <div class="panel-head">
        <h2 id="results-title">Results</h2>
        <span class="muted" data-testid="row-count">
          {props.answer.rows.length} row{props.answer.rows.length === 1 ? "" : "s"}
          {props.answer.truncated ? " (more matched than the 500-row cap)" : ""}
        </span>
      </div>
      <Show when={table().length} fallback={<p class="empty">Nothing matched. Try another value or fewer conditions.</p>}>
        <div class="table-scroll">
          <table class="table ask-table" aria-labelledby="results-title">
            <thead>
              <tr>
                <For each={props.answer.columns}>{(column) => <th scope="col">{column}</th>}</For>
              </tr>
            </thead>
            <tbody>
              <For each={table()}>
                {(row) => (
                  <tr data-testid="ask-row">
                    <For each={row}>{(cell) => <td>{cell}</td>}</For>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
      <Show when={graph().nodes.length}>
        <h3 id="result-graph-title">As a graph</h3>
        <div class="graph-frame ask-graph">
          <GraphView nodes={graph().nodes} edges={graph().edges} label="Result graph" />
        </div>
        <p class="muted">
          {graph().nodes.length} node{graph().nodes.length === 1 ? "" : "s"}, {graph().edges.length} relationship
          {graph().edges.length === 1 ? "" : "s"}
          {graph().hidden ? ` (${graph().hidden} more not drawn)` : ""}; each node opens its entity.
        </p>
      </Show>
    </section>
  );
}
