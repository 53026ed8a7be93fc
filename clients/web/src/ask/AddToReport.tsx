import { createMutation, createQuery } from "@urql/solid";
import { createSignal, For, Show } from "solid-js";
import { AddReportFindingDocument, CaptureQuerySnapshotDocument, CreateReportDocument, ReportsDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { Link } from "../components/Link.tsx";
import { hrefFor } from "../lib/route.ts";

const NEW = "__new__";

/**
 * "Add to report": freezes the question's result as a query snapshot
 * (captureQuerySnapshot) and appends a finding citing it to a chosen report,
 * or to a new one created on the way.
 */
export function AddToReport(props: { question: string; confirm: boolean; interpretation: string | null }) {
  const [reports] = createQuery({
    query: ReportsDocument,
    variables: { first: 50 },
    requestPolicy: "cache-and-network",
    context: { additionalTypenames: ["Report"] },
  });
  const [, capture] = createMutation(CaptureQuerySnapshotDocument);
  const [, create] = createMutation(CreateReportDocument);
  const [, addFinding] = createMutation(AddReportFindingDocument);
  const [choice, setChoice] = createSignal("");
  const [newTitle, setNewTitle] = createSignal("");
  const [title, setTitle] = createSignal(props.question);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [added, setAdded] = createSignal<{ reportId: string; reportTitle: string; number: number } | null>(null);
  // No report chosen yet: the first one, or a new one when there are none.
  const target = () => choice() || reports.data?.reports[0]?.id || NEW;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setAdded(null);
    try {
      const snapshot = await capture({ question: props.question, confirm: props.confirm });
      if (!snapshot.data) throw snapshot.error ?? new Error("The result was not captured.");
      let reportId = target();
      if (reportId === NEW) {
        const created = await create({ input: { title: newTitle().trim() || props.question } });
        if (!created.data) throw created.error ?? new Error("The report was not created.");
        reportId = created.data.createReport.id;
      }
      const finding = {
        title: title().trim() || props.question,
        body: props.interpretation ?? "",
        evidence: [{ kind: "QUERY_SNAPSHOT" as const, ref: snapshot.data.captureQuerySnapshot.id }],
      };
      const result = await addFinding({ reportId, finding });
      if (!result.data) throw result.error ?? new Error("The finding was not added.");
      const report = result.data.addReportFinding;
      setAdded({ reportId: report.id, reportTitle: report.title, number: report.findings.at(-1)?.number ?? report.findings.length });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel add-to-report" aria-labelledby="add-title" onSubmit={(e) => void submit(e)}>
      <h2 id="add-title">Add to report</h2>
      <p class="muted">Freezes this result (question, Cypher, parameters, result hash, time) and cites it in a new finding.</p>
      <div class="form-grid">
        <label>
          Report
          <select name="report" value={target()} onChange={(e) => setChoice(e.currentTarget.value)}>
            <For each={reports.data?.reports ?? []}>{(r) => <option value={r.id}>{r.title}</option>}</For>
            <option value={NEW}>New report…</option>
          </select>
        </label>
        <Show when={target() === NEW}>
          <label>
            New report title
            <input
              name="newReportTitle"
              value={newTitle()}
              placeholder={props.question}
              onInput={(e) => setNewTitle(e.currentTarget.value)}
            />
          </label>
        </Show>
        <label>
          Finding title
          <input name="findingTitle" value={title()} onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
      </div>
      <button type="submit" class="primary" disabled={busy()}>
        {busy() ? "Adding…" : "Add to report"}
      </button>
      <Show when={added()}>
        {(a) => (
          <p class="notice" role="status" data-testid="added-to-report">
            Added as Finding {a().number} to <Link href={hrefFor({ name: "report", id: a().reportId })}>{a().reportTitle}</Link>.
          </p>
        )}
      </Show>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The result was not added." />
      </Show>
    </form>
  );
}
