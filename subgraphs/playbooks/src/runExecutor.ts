import {
  readCurrentRoles,
  type AuditRecorder,
  type Clock,
  type Logger,
  type PeerCaller,
  type Principal,
  type PubSub,
  type SecretBox,
} from "@intelgraph/kit";
import type { Db } from "mongodb";
import { rightsOf } from "./acl.ts";
import type { PlaybookRecord } from "./model.ts";
import { runTopic, type RunRecord } from "./runRecords.ts";
import type { RunStore } from "./runStore.ts";
import { codeOf, runStep } from "./stepRunner.ts";
import type { TemplateScope } from "./template.ts";
import { runView } from "./views.ts";

export interface RunExecutorDeps {
  db: Db;
  store: RunStore;
  peers: PeerCaller;
  pubsub: PubSub;
  audit: AuditRecorder;
  secretBox: SecretBox;
  logger: Logger;
  now: Clock;
  /** First retry waits this long, each next one twice as long (at most 30 s). */
  retryBackoffMs: number;
  /** Sends the failure alerts of a failed run (webhook, e-mail); returns what it sent. */
  alert(run: RunRecord, playbook: PlaybookRecord | null): Promise<RunRecord["alerts"]>;
}

class RunRefused extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * Executes a run this worker took: resolves the principal it runs as (the
 * user's roles as they are now; a removed or disabled user, or one who lost
 * the RUN right, fails the run), then runs the steps in order, each with its
 * timeout and retries, through `peers` as that principal. Steps that
 * succeeded in an earlier attempt (before a takeover) are kept.
 */
export function createRunExecutor(deps: RunExecutorDeps) {
  const { store, logger, now } = deps;
  const at = () => new Date(now());

  async function publish(run: RunRecord) {
    await deps.pubsub
      .publish(runTopic(run.tenantId), runView(run))
      .catch((error: unknown) => logger.warn({ err: error }, "publishing a run update failed"));
  }

  async function save(run: RunRecord, fields: Partial<RunRecord>) {
    Object.assign(run, fields);
    await store.save(run, fields);
    await publish(run);
  }

  async function principalOf(run: RunRecord, playbook: PlaybookRecord | null): Promise<Principal> {
    const userId = run.runAs.userId!;
    if (!playbook) throw new RunRefused("The playbook was deleted before the run started.", "NOT_FOUND");
    const current = await readCurrentRoles(deps.db, run.tenantId, userId);
    if (!current.ok) {
      throw new RunRefused(
        `The run runs as user ${userId}, who ${current.reason === "gone" ? "no longer exists in this tenant" : "is disabled"}; ` +
          "ask someone with the right to set the schedule or share link again as themselves.",
        "FORBIDDEN",
      );
    }
    if (!rightsOf(playbook, { userId, roles: current.roles }).includes("RUN")) {
      throw new RunRefused(`User ${userId}, whom the run runs as, no longer has the RUN right on "${playbook.name}".`, "FORBIDDEN");
    }
    return {
      kind: run.runAs.kind,
      tenantId: run.tenantId,
      userId,
      roles: current.roles,
      scopes: run.runAs.scopes,
      ...(run.runAs.tokenId ? { tokenId: run.runAs.tokenId } : {}),
    };
  }

  async function finish(run: RunRecord, playbook: PlaybookRecord | null, failure: { error: string; code: string } | null) {
    for (const s of run.stepRuns) if (s.status === "PENDING" && failure) s.status = "SKIPPED";
    await save(run, {
      status: failure ? "FAILED" : "SUCCEEDED",
      finishedAt: at(),
      error: failure?.error ?? null,
      errorCode: failure?.code ?? null,
      stepRuns: run.stepRuns,
      leaseUntil: null,
    });
    if (failure) await save(run, { alerts: await deps.alert(run, playbook).catch(() => []) });
    await deps.audit
      .record({
        tenantId: run.tenantId,
        actor: { userId: run.requestedBy, kind: run.runAs.kind },
        action: "playbookRunFinished",
        service: "playbooks",
        targetType: "PlaybookRun",
        targetIds: [run._id, run.playbookId],
        outcome: failure ? "failure" : "success",
        errorCode: failure?.code ?? null,
        requestId: run._id,
        arguments: { trigger: run.trigger, version: run.version, parameters: run.parameters, runAs: run.runAs.userId, status: run.status },
      })
      .catch((error: unknown) => logger.error({ err: error, runId: run._id }, "auditing a finished playbook run failed"));
  }

  return {
    /** Runs the taken run to its end (or until `signal` aborts: the lease was lost or the worker stops; the run is then left to a takeover). */
    async execute(run: RunRecord, playbook: PlaybookRecord | null, signal: AbortSignal): Promise<void> {
      await publish(run);
      let principal: Principal;
      try {
        principal = await principalOf(run, playbook);
      } catch (error) {
        const refused = error instanceof RunRefused ? error : new RunRefused((error as Error).message, codeOf(error));
        return finish(run, playbook, { error: refused.message, code: refused.code });
      }
      const scope: TemplateScope = { params: run.parameters, steps: {} };
      for (const [i, step] of run.steps.entries()) {
        const state = run.stepRuns[i]!;
        if (state.status === "SUCCEEDED") {
          scope.steps[step.id] = state.output;
          continue;
        }
        const ok = await runStep({ ...deps, save }, { run, step, state, principal, scope, playbook: playbook!, signal });
        if (signal.aborted) return;
        if (!ok)
          return finish(run, playbook, {
            error: `Step "${step.name}" (${step.id}) failed after ${state.attempts} attempt(s): ${state.error}`,
            code: state.errorCode ?? "INTERNAL_SERVER_ERROR",
          });
      }
      await finish(run, playbook, null);
    },
  };
}

export type RunExecutor = ReturnType<typeof createRunExecutor>;
