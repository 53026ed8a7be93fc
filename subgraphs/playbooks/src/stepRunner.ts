import type { PeerCaller, Principal, SecretBox, Clock } from "@intelgraph/kit";
import type { PlaybookRecord, Step } from "./model.ts";
import { boundOutput, RUN_LIMITS, type RunRecord, type StepRunRecord } from "./runRecords.ts";
import { STEP_HANDLERS } from "./stepKinds.ts";
import { renderTemplate, TemplateError, type TemplateScope } from "./template.ts";

export interface StepRunnerDeps {
  peers: PeerCaller;
  secretBox: SecretBox;
  now: Clock;
  retryBackoffMs: number;
  /** Stores the run's changed fields and publishes the run. */
  save(run: RunRecord, fields: Partial<RunRecord>): Promise<void>;
}

export interface StepJob {
  run: RunRecord;
  step: Step;
  state: StepRunRecord;
  principal: Principal;
  scope: TemplateScope;
  playbook: PlaybookRecord;
  signal: AbortSignal;
}

/** Runs a step's handler, failing it when it takes longer than its timeout. */
async function withTimeout<T>(ms: number, signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  signal.addEventListener("abort", stop, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        Object.assign(new Error(`The step did not finish within its timeout of ${ms} ms.`), {
          extensions: { code: "UPSTREAM_UNAVAILABLE" },
        }),
      );
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", stop);
  }
}

export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

export function codeOf(error: unknown): string {
  const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
  if (typeof code === "string") return code;
  return error instanceof TemplateError ? "BAD_USER_INPUT" : "INTERNAL_SERVER_ERROR";
}

/**
 * Runs one step with its timeout and retries (waiting `retryBackoffMs`, then
 * twice as long each time), logging each attempt; true when it succeeded.
 * A template error (a bad placeholder) is not retried.
 */
export async function runStep(deps: StepRunnerDeps, job: StepJob): Promise<boolean> {
  const { run, step, state, principal, scope, playbook, signal } = job;
  const { save, now } = deps;
  const at = () => new Date(now());
  const log = (line: string) => {
    state.logs.push(`${at().toISOString()} ${line}`.slice(0, RUN_LIMITS.logLineChars));
    if (state.logs.length > RUN_LIMITS.logLines) state.logs.splice(0, state.logs.length - RUN_LIMITS.logLines);
  };
  state.status = "RUNNING";
  state.startedAt = at();
  state.attempts = 0;
  await save(run, { stepRuns: run.stepRuns });
  for (;;) {
    state.attempts++;
    try {
      const config = renderTemplate(step.config, scope) as Record<string, unknown>;
      const result = await withTimeout(step.timeoutMs, signal, (stepSignal) =>
        STEP_HANDLERS[step.kind]({
          config,
          peers: deps.peers,
          principal,
          requestId: `${run._id}:${step.id}:${state.attempts}`,
          signal: stepSignal,
          log,
          reportId: run.reportId,
          runId: run._id,
          playbookId: run.playbookId,
          stepId: step.id,
          signingSecret: () => deps.secretBox.open(playbook.signingSecret),
          nowSeconds: () => Math.floor(now() / 1000),
        }),
      );
      const bounded = boundOutput(result.output);
      Object.assign(state, {
        status: "SUCCEEDED",
        finishedAt: at(),
        output: bounded.output,
        outputTruncated: bounded.truncated,
        error: null,
        errorCode: null,
      });
      scope.steps[step.id] = result.output;
      await save(run, { stepRuns: run.stepRuns, ...(result.reportId ? { reportId: result.reportId } : {}) });
      return true;
    } catch (error) {
      const message = (error as Error).message;
      log(`attempt ${state.attempts} failed: ${message}`);
      const retry = state.attempts <= step.retries && !signal.aborted && !(error instanceof TemplateError);
      Object.assign(state, { error: message, errorCode: codeOf(error) });
      if (!retry) {
        Object.assign(state, { status: "FAILED", finishedAt: at() });
        await save(run, { stepRuns: run.stepRuns });
        return false;
      }
      await save(run, { stepRuns: run.stepRuns });
      await sleep(Math.min(30_000, deps.retryBackoffMs * 2 ** (state.attempts - 1)), signal);
    }
  }
}
