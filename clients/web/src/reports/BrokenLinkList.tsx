import { For } from "solid-js";
import type { BrokenLinkFieldsFragment } from "../api/generated/graphql.ts";

/** Each link the validator could not resolve: where it is, why, and how to fix it. */
export function BrokenLinkList(props: { broken: readonly BrokenLinkFieldsFragment[]; label: string }) {
  return (
    <ul class="broken-links" aria-label={props.label}>
      <For each={props.broken}>
        {(link) => (
          <li class="broken-link" data-testid="broken-link">
            <p>
              <strong>{link.location}</strong> <code>{link.kind}</code>
              {link.ref ? <code class="id"> {link.ref}</code> : null}
            </p>
            <p>{link.reason}</p>
            <p class="muted">Fix: {link.fix}</p>
          </li>
        )}
      </For>
    </ul>
  );
}
