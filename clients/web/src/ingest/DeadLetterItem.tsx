import { Show } from "solid-js";
import type { DeadLettersQuery } from "../api/generated/graphql.ts";
import { StateBadge } from "../components/StateBadge.tsx";

export type DeadLetter = DeadLettersQuery["deadLetters"]["nodes"][number];

/** One dead letter: where it was, its code and reason, and its raw record — editable (then replayed) while open. */
export function DeadLetterItem(props: {
  letter: DeadLetter;
  /** This letter's raw record is being edited (one at a time per list). */
  editing: boolean;
  draft: string;
  onDraft: (raw: string) => void;
  onEdit: () => void;
  onSave: () => void;
  onCancel: () => void;
}) {
  return (
    <li class="dead-letter" data-testid="dead-letter">
      <p>
        <strong>Record {props.letter.recordIndex + 1}</strong>
        {props.letter.line ? <span class="muted"> (line {props.letter.line})</span> : null} <code>{props.letter.code}</code>{" "}
        <span class="reason">{props.letter.reason}</span> <StateBadge state={props.letter.state} />
      </p>
      <Show
        when={props.editing}
        fallback={
          <>
            <pre class="raw">{props.letter.raw}</pre>
            <Show when={props.letter.state === "OPEN"}>
              <button type="button" onClick={() => props.onEdit()}>
                Fix and replay
              </button>
            </Show>
          </>
        }
      >
        <label>
          Raw record
          <textarea rows={3} value={props.draft} spellcheck={false} onInput={(e) => props.onDraft(e.currentTarget.value)} />
        </label>
        <div class="actions">
          <button type="button" class="primary" onClick={() => props.onSave()}>
            Save and replay
          </button>
          <button type="button" onClick={() => props.onCancel()}>
            Cancel
          </button>
        </div>
      </Show>
    </li>
  );
}
