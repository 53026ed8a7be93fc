import { createSignal, For, Show } from "solid-js";
import type { AskGraphQuery } from "../api/generated/graphql.ts";
import { describeConfidence, parametersText } from "./askView.ts";

type Answer = AskGraphQuery["askGraph"];

/** What the question was taken to mean: interpretation, confidence with its reasons, hints, and the Cypher with its parameters. */
export function AskAnswer(props: { answer: Answer }) {
  const confidence = () => describeConfidence(props.answer.confidence);
  return (
    <section class="panel ask-answer" aria-labelledby="interpretation-title">
      <h2 id="interpretation-title">Interpretation</h2>
      <p data-testid="interpretation">{props.answer.interpretation ?? "The question could not be interpreted."}</p>
      <p class="confidence" data-testid="confidence" data-level={confidence().level}>
        Confidence <strong>{confidence().percent}</strong>{" "}
        <span class="muted">{confidence().level === "low" ? "(under the threshold: runs after you confirm)" : ""}</span>
      </p>
      <Show when={props.answer.reasons.length}>
        <ul class="reasons" aria-label="Reasons for the confidence">
          <For each={props.answer.reasons}>{(reason) => <li>{reason}</li>}</For>
        </ul>
      </Show>
      <Show when={props.answer.hints.length}>
        <div class="hints" role="note" aria-label="Hints">
          <strong>How to ask better</strong>
          <ul>
            <For each={props.answer.hints}>{(hint) => <li>{hint}</li>}</For>
          </ul>
        </div>
      </Show>
      <Show when={props.answer.cypher}>{(cypher) => <CypherPreview cypher={cypher()} parameters={props.answer.parameters} />}</Show>
    </section>
  );
}

/** The compiled Cypher, read-only and copyable, with its parameters. */
function CypherPreview(props: { cypher: string; parameters: unknown }) {
  const [copied, setCopied] = createSignal("");
  let code: HTMLElement | undefined;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.cypher);
      setCopied("Copied.");
    } catch {
      // No clipboard permission: select the text so Ctrl-C copies it.
      const selection = window.getSelection();
      if (code && selection) {
        selection.selectAllChildren(code);
        setCopied("Selected: press Ctrl-C (⌘C) to copy.");
      }
    }
  };
  return (
    <div class="cypher">
      <div class="panel-head">
        <h3 id="cypher-title">Cypher</h3>
        <span class="muted" role="status">
          {copied()}
        </span>
        <button type="button" class="small" onClick={() => void copy()}>
          Copy Cypher
        </button>
      </div>
      <pre class="raw" aria-labelledby="cypher-title">
        <code ref={code} data-testid="cypher">
          {props.cypher}
        </code>
      </pre>
      <h3 id="parameters-title">Parameters</h3>
      <pre class="raw" aria-labelledby="parameters-title" data-testid="parameters">
        {parametersText(props.parameters)}
      </pre>
    </div>
  );
}
