import { createEffect, createSignal, For, on } from "solid-js";
import { EXAMPLE_QUESTIONS } from "./askView.ts";

/** The question box and example questions; asking hands the text to `onAsk`. */
export function QuestionForm(props: { question: string; onAsk: (question: string) => void }) {
  const [text, setText] = createSignal(props.question);
  createEffect(on(() => props.question, setText, { defer: true }));
  return (
    <>
      <form
        class="ask-form"
        role="search"
        aria-label="Question"
        onSubmit={(e) => {
          e.preventDefault();
          props.onAsk(text());
        }}
      >
        <label>
          Your question
          <input
            type="search"
            name="question"
            autofocus
            value={text()}
            onInput={(e) => setText(e.currentTarget.value)}
            placeholder="e.g. Which people work for “Acme Corp”?"
          />
        </label>
        <button type="submit" class="primary" disabled={!text().trim()}>
          Preview
        </button>
      </form>
      <p class="examples">
        <span class="muted">Try:</span>
        <For each={EXAMPLE_QUESTIONS}>
          {(example) => (
            <button type="button" class="small" onClick={() => props.onAsk(example)}>
              {example}
            </button>
          )}
        </For>
      </p>
    </>
  );
}
