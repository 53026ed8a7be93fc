import { createEffect, For, on, Show } from "solid-js";
import { closeHelp, openHelpTopic } from "./helpState.ts";
import { HELP_TOPICS } from "./helpTopics.ts";

/** The open help topic as a side panel; Escape or Close shuts it and focus goes back to the page. */
export function HelpPanel() {
  let close: HTMLButtonElement | undefined;
  let returnFocus: Element | null = null;
  const topic = () => {
    const id = openHelpTopic();
    return id ? HELP_TOPICS[id] : null;
  };
  createEffect(
    on(openHelpTopic, (id, previous) => {
      if (id && !previous) {
        returnFocus = document.activeElement;
        queueMicrotask(() => close?.focus());
      } else if (!id && returnFocus instanceof HTMLElement) {
        returnFocus.focus();
        returnFocus = null;
      }
    }),
  );
  return (
    <Show when={topic()}>
      {(t) => (
        <aside
          id="help-panel"
          class="help-panel"
          aria-labelledby="help-title"
          onKeyDown={(e) => {
            if (e.key === "Escape") closeHelp();
          }}
        >
          <div class="panel-head">
            <h2 id="help-title">Help: {t().title}</h2>
            <button type="button" ref={close} class="small" onClick={closeHelp}>
              Close
            </button>
          </div>
          <p>{t().summary}</p>
          <ul class="help-rules">
            <For each={t().rules}>{(rule) => <li>{rule}</li>}</For>
          </ul>
        </aside>
      )}
    </Show>
  );
}
