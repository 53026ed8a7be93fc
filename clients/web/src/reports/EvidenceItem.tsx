import { createMutation } from "@urql/solid";
import { createSignal, For, Show } from "solid-js";
import { AnnotateEvidenceDocument, type ReportDetailsFragment } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { hrefFor } from "../lib/route.ts";
import type { DraftEvidence } from "./reportDraft.ts";

type Annotation = ReportDetailsFragment["annotations"][number];

const KIND_NAMES: Record<DraftEvidence["kind"], string> = {
  ENTITY: "Entity",
  RELATIONSHIP: "Relationship",
  QUERY_SNAPSHOT: "Query snapshot",
  INGEST_JOB: "Ingest job",
  AUDIT_EVENT: "Audit event",
};

/** One cited item: what it is, a note, its annotations (highlights) and a form to add one once it is saved. */
export function EvidenceItem(props: {
  reportId: string;
  findingId: string | null;
  evidence: DraftEvidence;
  position: string;
  broken: boolean;
  annotations: readonly Annotation[];
  onNote: (note: string) => void;
  onRemove: () => void;
  /** After an annotation is saved (it moves the report's revision on). */
  onAnnotated: () => void;
}) {
  const [annotating, setAnnotating] = createSignal(false);
  const saved = () => Boolean(props.evidence.id && props.findingId);
  return (
    <li class="evidence" data-testid="evidence" data-broken={props.broken} aria-label={`${props.position}: ${props.evidence.label}`}>
      <div class="evidence-head">
        <span class="kind-badge evidence-kind">{KIND_NAMES[props.evidence.kind]}</span>
        <span class="evidence-label">
          <Show when={props.evidence.kind === "ENTITY" && props.evidence.ref} fallback={props.evidence.label}>
            {(ref) => <Link href={hrefFor({ name: "entity", id: ref() })}>{props.evidence.label}</Link>}
          </Show>
          <Show when={!props.evidence.id}>
            <span class="muted"> (not saved yet)</span>
          </Show>
          <Show when={props.broken}>
            <strong class="field-problem"> broken link</strong>
          </Show>
        </span>
        <Show when={saved()}>
          <button type="button" class="small" aria-expanded={annotating()} onClick={() => setAnnotating(!annotating())}>
            Annotate
          </button>
        </Show>
        <button type="button" class="small" aria-label={`Remove ${props.position}`} onClick={() => props.onRemove()}>
          Remove
        </button>
      </div>
      <label class="small">
        Note
        <input value={props.evidence.note} onInput={(e) => props.onNote(e.currentTarget.value)} />
      </label>
      <For each={props.annotations}>
        {(a) => (
          <p class="annotation" data-testid="annotation">
            <Show when={a.highlight}>
              <mark>{a.highlight}</mark>{" "}
            </Show>
            {a.text}
          </p>
        )}
      </For>
      <Show when={annotating() && saved()}>
        <AnnotateForm
          reportId={props.reportId}
          findingId={props.findingId!}
          evidenceId={props.evidence.id!}
          onDone={() => {
            setAnnotating(false);
            props.onAnnotated();
          }}
        />
      </Show>
    </li>
  );
}

/** annotateEvidence: a highlight (a property, a cell) and what it says; kept with the version published next. */
function AnnotateForm(props: { reportId: string; findingId: string; evidenceId: string; onDone: () => void }) {
  const [state, annotate] = createMutation(AnnotateEvidenceDocument);
  const [text, setText] = createSignal("");
  const [highlight, setHighlight] = createSignal("");
  const [error, setError] = createSignal<unknown>(null);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    const input = { reportId: props.reportId, findingId: props.findingId, evidenceId: props.evidenceId, text: text().trim() };
    const result = await annotate({ input: highlight().trim() ? { ...input, highlight: highlight().trim() } : input });
    if (!result.data) return setError(result.error ?? new Error("The annotation was not saved."));
    props.onDone();
  };
  return (
    <form class="annotate-form" aria-label="Annotate evidence" onSubmit={(e) => void submit(e)}>
      <label class="small">
        Highlight <span class="muted">(optional: a property or cell)</span>
        <input value={highlight()} onInput={(e) => setHighlight(e.currentTarget.value)} />
      </label>
      <label class="small">
        Annotation
        <input required value={text()} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <button type="submit" class="small" disabled={state.fetching || !text().trim()}>
        Save annotation
      </button>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The annotation was not saved." />
      </Show>
    </form>
  );
}
