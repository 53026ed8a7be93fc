import { createQuery, useClient } from "@urql/solid";
import { createEffect, createSignal, on, Show } from "solid-js";
import { AskGraphDocument, type AskGraphQuery } from "../api/generated/graphql.ts";
import { AddToReport } from "../ask/AddToReport.tsx";
import { AskAnswer } from "../ask/AskAnswer.tsx";
import { offerUpgrade } from "../billing/upgradeGate.ts";
import { AskResults } from "../ask/AskResults.tsx";
import { QuestionForm } from "../ask/QuestionForm.tsx";
import { ThresholdSetting } from "../ask/ThresholdSetting.tsx";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { HelpButton } from "../help/HelpButton.tsx";
import { navigate } from "../lib/navigation.ts";

type Answer = AskGraphQuery["askGraph"];

/**
 * Ask: a question in plain words (kept in the URL) is previewed at once —
 * interpretation, confidence, hints, the Cypher and its parameters — and runs
 * only on Run (or Confirm and run, when confidence is under the threshold).
 */
export function AskScreen(props: { question: string }) {
  const client = useClient();
  const [preview, refetchPreview] = createQuery({
    query: AskGraphDocument,
    variables: () => ({ question: props.question, mode: "PREVIEW" as const }),
    pause: () => !props.question.trim(),
    requestPolicy: "network-only",
  });
  const [run, setRun] = createSignal<Answer | null>(null);
  const [running, setRunning] = createSignal(false);
  const [runError, setRunError] = createSignal<unknown>(null);
  createEffect(
    on(
      () => props.question,
      () => {
        setRun(null);
        setRunError(null);
      },
      { defer: true },
    ),
  );

  // A quota or budget refusal opens the upgrade modal, which asks again after an upgrade.
  createEffect(
    on(
      () => preview.error,
      (error) => error && offerUpgrade(error, () => refetchPreview({ requestPolicy: "network-only" })),
    ),
  );

  const ask = (question: string) => navigate({ name: "ask", question: question.trim() });
  const answer = () => run() ?? preview.data?.askGraph ?? null;
  const needsConfirm = () => Boolean(run()?.needsConfirmation);
  // The confirmation given for the run on screen, which capturing it as evidence repeats.
  const [confirmedRun, setConfirmedRun] = createSignal(false);

  const runQuestion = async (confirm: boolean) => {
    setRunning(true);
    setRunError(null);
    const result = await client
      .query(AskGraphDocument, { question: props.question, mode: "RUN", confirm }, { requestPolicy: "network-only" })
      .toPromise();
    setRunning(false);
    setConfirmedRun(confirm);
    if (result.data?.askGraph) setRun(result.data.askGraph);
    else {
      setRunError(result.error ?? new Error("The question returned nothing."));
      offerUpgrade(result.error, () => void runQuestion(confirm));
    }
  };

  return (
    <section class="screen" aria-labelledby="ask-title">
      <h1 id="ask-title">
        Ask the graph <HelpButton topic="ask" />
      </h1>
      <QuestionForm question={props.question} onAsk={ask} />
      <ThresholdSetting />
      <div aria-live="polite">
        <Show
          when={props.question.trim()}
          fallback={<p class="empty">Ask about the people, organisations, domains, addresses, indicators and incidents in your graph.</p>}
        >
          <Show
            when={!preview.error}
            fallback={
              <ErrorPanel
                error={preview.error}
                title="That question was not asked."
                onRetry={() => refetchPreview({ requestPolicy: "network-only" })}
              />
            }
          >
            <Show when={answer()} fallback={<SkeletonRows rows={4} label="Interpreting the question" />}>
              {(a) => (
                <>
                  <AskAnswer answer={a()} />
                  <Show when={a().cypher}>
                    <div class="actions run-row">
                      <Show
                        when={needsConfirm()}
                        fallback={
                          <button type="button" class="primary" disabled={running()} onClick={() => void runQuestion(false)}>
                            {running() ? "Running…" : "Run"}
                          </button>
                        }
                      >
                        <p class="notice" role="status">
                          Confidence is under the threshold: check the interpretation and the Cypher, then confirm.
                        </p>
                        <button type="button" class="primary" disabled={running()} onClick={() => void runQuestion(true)}>
                          {running() ? "Running…" : "Confirm and run"}
                        </button>
                      </Show>
                    </div>
                  </Show>
                  <Show when={runError()}>
                    <ErrorPanel error={runError()} title="The question did not run." />
                  </Show>
                  <Show when={run()?.ran ? run() : null}>
                    {(ran) => (
                      <>
                        <AskResults answer={ran()} />
                        <AddToReport question={props.question} confirm={confirmedRun()} interpretation={ran().interpretation} />
                      </>
                    )}
                  </Show>
                </>
              )}
            </Show>
          </Show>
        </Show>
      </div>
    </section>
  );
}
