import { createMutation } from "@urql/solid";
import { createSignal, Show } from "solid-js";
import {
  ApprovePlaybookDocument,
  PausePlaybookScheduleDocument,
  ResumePlaybookScheduleDocument,
  type PlaybookDetailsFieldsFragment,
} from "../api/generated/graphql.ts";
import { session } from "../api/session.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { StateBadge } from "../components/StateBadge.tsx";
import { formatTimestamp } from "../lib/format.ts";

/** The saved schedule's state: active, paused or waiting for approval; pause/resume, and Approve for a second person. */
export function ScheduleStatePanel(props: {
  playbook: PlaybookDetailsFieldsFragment;
  onChanged: (p: PlaybookDetailsFieldsFragment) => void;
}) {
  const [pausing, pause] = createMutation(PausePlaybookScheduleDocument);
  const [resuming, resume] = createMutation(ResumePlaybookScheduleDocument);
  const [approving, approve] = createMutation(ApprovePlaybookDocument);
  const [error, setError] = createSignal<unknown>(null);
  const canEdit = () => props.playbook.myRights.includes("EDIT");
  const needsApproval = () => props.playbook.requiresApproval && props.playbook.approval?.version !== props.playbook.version;
  const changedByMe = () => props.playbook.updatedBy === session()?.user.id;
  const state = (s: NonNullable<PlaybookDetailsFieldsFragment["schedule"]>) =>
    s.active ? "ACTIVE" : s.paused ? "PAUSED" : needsApproval() ? "AWAITING_APPROVAL" : "INACTIVE";

  const act = async (run: () => Promise<{ data?: PlaybookDetailsFieldsFragment | undefined; error?: unknown }>) => {
    setError(null);
    const result = await run();
    if (result.data) props.onChanged(result.data);
    else setError(result.error ?? new Error("That did not work."));
  };
  const onPause = () =>
    act(async () => pause({ id: props.playbook.id }).then((r) => ({ data: r.data?.pausePlaybookSchedule, error: r.error })));
  const onResume = () =>
    act(async () => resume({ id: props.playbook.id }).then((r) => ({ data: r.data?.resumePlaybookSchedule, error: r.error })));
  const onApprove = () =>
    act(async () =>
      approve({ id: props.playbook.id, version: props.playbook.version }).then((r) => ({ data: r.data?.approvePlaybook, error: r.error })),
    );

  return (
    <section class="panel" aria-labelledby="schedule-state-title">
      <h2 id="schedule-state-title">Schedule and approval</h2>
      <Show
        when={props.playbook.schedule}
        fallback={<p class="empty">Not scheduled. Turn on “Run on a schedule” in the editor and save.</p>}
      >
        {(s) => (
          <>
            <p data-testid="schedule-state">
              <code>{s().cron}</code> in {s().timeZone} · missed runs {s().missedRunPolicy === "SKIP" ? "skipped" : "run once"} ·{" "}
              <StateBadge state={state(s())} />
            </p>
            <Show when={s().nextRuns.length}>
              <p class="muted">Next: {s().nextRuns.slice(0, 3).map(formatTimestamp).join(", ")}</p>
            </Show>
            <Show when={canEdit()}>
              <Show
                when={s().paused}
                fallback={
                  <button type="button" onClick={() => void onPause()} disabled={pausing.fetching}>
                    Pause schedule
                  </button>
                }
              >
                <button type="button" onClick={() => void onResume()} disabled={resuming.fetching}>
                  Resume schedule
                </button>
              </Show>
            </Show>
          </>
        )}
      </Show>
      <Show when={props.playbook.requiresApproval}>
        <Show
          when={!needsApproval()}
          fallback={
            <div class="notice" data-testid="approval-state">
              <p>Version {props.playbook.version} needs a second person’s approval before its schedule runs.</p>
              <Show
                when={canEdit() && !changedByMe()}
                fallback={<p class="muted">Someone else with edit rights approves it (not who changed it last).</p>}
              >
                <button type="button" class="primary" onClick={() => void onApprove()} disabled={approving.fetching}>
                  Approve version {props.playbook.version}
                </button>
              </Show>
            </div>
          }
        >
          <p class="muted" data-testid="approval-state">
            Version {props.playbook.approval!.version} approved by {props.playbook.approval!.approvedBy} at{" "}
            {formatTimestamp(props.playbook.approval!.approvedAt)}.
          </p>
        </Show>
      </Show>
      <Show when={error()}>
        <ErrorPanel error={error()} />
      </Show>
    </section>
  );
}
