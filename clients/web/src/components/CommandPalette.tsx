import { useClient } from "@urql/solid";
import { createEffect, createSignal, For, on, onCleanup, Show } from "solid-js";
import { SearchEntitiesDocument } from "../api/generated/graphql.ts";
import { hitsOf, searchVariables } from "../entities/entityKinds.ts";
import { navigate } from "../lib/navigation.ts";
import { hrefFor } from "../lib/route.ts";
import { rankCommands, type Command } from "../palette/rankCommands.ts";

/**
 * ⌘K / Ctrl-K: jump to a screen, a screen's help or an entity. Arrow keys move, Enter opens,
 * Escape closes and gives focus back to where it was.
 */
export function CommandPalette(props: { open: boolean; onClose: () => void; screens: Command[] }) {
  const client = useClient();
  const [text, setText] = createSignal("");
  const [entities, setEntities] = createSignal<Command[]>([]);
  const [searching, setSearching] = createSignal(false);
  const [active, setActive] = createSignal(0);
  let input: HTMLInputElement | undefined;
  let returnFocus: Element | null = null;

  const results = () => [...rankCommands(props.screens, text(), 8), ...entities()];

  createEffect(
    on(
      () => props.open,
      (open) => {
        if (open) {
          returnFocus = document.activeElement;
          setText("");
          setEntities([]);
          setActive(0);
          queueMicrotask(() => input?.focus());
        } else if (returnFocus instanceof HTMLElement) {
          returnFocus.focus();
        }
      },
    ),
  );

  // Entities: searched through the API once typing pauses (two characters or more).
  createEffect(
    on(text, (value) => {
      setActive(0);
      if (value.trim().length < 2) {
        setEntities([]);
        return;
      }
      const timer = setTimeout(() => {
        setSearching(true);
        void client
          .query(SearchEntitiesDocument, searchVariables(value, 5), { requestPolicy: "network-only" })
          .toPromise()
          .then((result) => {
            if (text() !== value) return;
            setEntities(
              result.data
                ? hitsOf(result.data).map((hit) => ({
                    id: hit.id,
                    title: hit.label,
                    group: hit.kind,
                    href: hrefFor({ name: "entity", id: hit.id }),
                  }))
                : [],
            );
          })
          .finally(() => setSearching(false));
      }, 200);
      onCleanup(() => clearTimeout(timer));
    }),
  );

  const choose = (command: Command | undefined) => {
    if (!command) return;
    props.onClose();
    navigate(command.href);
    command.onChoose?.();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const count = results().length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((i) => (count ? (i + 1) % count : 0));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => (count ? (i - 1 + count) % count : 0));
    } else if (event.key === "Enter") {
      event.preventDefault();
      choose(results()[active()]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      props.onClose();
    } else if (event.key === "Tab") {
      // Keep focus in the dialog: the input is its only control.
      event.preventDefault();
    }
  };

  return (
    <Show when={props.open}>
      <div class="palette-backdrop" onClick={() => props.onClose()}>
        <div class="palette" role="dialog" aria-modal="true" aria-label="Command palette" onClick={(e) => e.stopPropagation()}>
          <input
            ref={input}
            class="palette-input"
            type="text"
            role="combobox"
            aria-expanded="true"
            aria-controls="palette-results"
            aria-activedescendant={results().length ? `palette-item-${active()}` : undefined}
            aria-autocomplete="list"
            placeholder="Jump to a screen or entity…"
            value={text()}
            onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={onKeyDown}
          />
          <ul id="palette-results" class="palette-results" role="listbox" aria-label="Results">
            <For each={results()}>
              {(command, index) => (
                <li
                  id={`palette-item-${index()}`}
                  role="option"
                  aria-selected={index() === active()}
                  class="palette-item"
                  onMouseMove={() => setActive(index())}
                  onClick={() => choose(command)}
                >
                  <span class="palette-title">{command.title}</span>
                  <span class="palette-group">{command.group}</span>
                </li>
              )}
            </For>
          </ul>
          <p class="palette-hint" aria-live="polite">
            {searching() ? "Searching entities…" : results().length ? "↑↓ to move · Enter to open · Esc to close" : "Nothing matches."}
          </p>
        </div>
      </div>
    </Show>
  );
}
