import { scheduleActive, type PlaybookRecord, type PlaybookVersionRecord } from "./model.ts";
import type { RunRecord, StepRunRecord } from "./runRecords.ts";

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** A playbook as the API shows it (resolvers add rights, versions and runs). */
export const playbookView = (p: PlaybookRecord) => ({
  id: p._id,
  name: p.name,
  description: p.description,
  version: p.version,
  parameters: p.parameters,
  steps: p.steps,
  schedule: p.schedule && {
    cron: p.schedule.cron,
    timeZone: p.schedule.timeZone,
    missedRunPolicy: p.schedule.missedRunPolicy,
    paused: p.schedule.paused,
    active: scheduleActive(p),
  },
  alerts: p.alerts,
  requiresApproval: p.requiresApproval,
  approval: p.approval && p.approval.version === p.version ? { ...p.approval, approvedAt: iso(p.approval.approvedAt) } : null,
  ownerId: p.ownerId,
  acl: p.acl,
  updatedBy: p.updatedBy,
  createdAt: iso(p.createdAt),
  updatedAt: iso(p.updatedAt),
  record: p,
});

export const versionView = (v: PlaybookVersionRecord) => ({
  playbookId: v.playbookId,
  version: v.version,
  name: v.name,
  description: v.description,
  parameters: v.parameters,
  steps: v.steps,
  schedule: v.schedule,
  requiresApproval: v.requiresApproval,
  changedBy: v.changedBy,
  changedAt: iso(v.changedAt),
});

const stepView = (s: StepRunRecord) => {
  const started = s.startedAt ? new Date(s.startedAt).getTime() : null;
  const finished = s.finishedAt ? new Date(s.finishedAt).getTime() : null;
  return {
    ...s,
    startedAt: iso(s.startedAt),
    finishedAt: iso(s.finishedAt),
    durationMs: started !== null && finished !== null ? finished - started : null,
  };
};

export type RunView = ReturnType<typeof runView>;

/** A run as the API shows it; also what is published on the run topic (JSON-safe, so it crosses processes as is). */
export const runView = (r: RunRecord) => ({
  id: r._id,
  tenantId: r.tenantId,
  playbookId: r.playbookId,
  version: r.version,
  status: r.status,
  trigger: r.trigger,
  parameters: r.parameters,
  requestedBy: r.requestedBy,
  runAs: r.runAs.userId,
  scheduledFor: iso(r.scheduledFor),
  queuedAt: iso(r.queuedAt)!,
  startedAt: iso(r.startedAt),
  finishedAt: iso(r.finishedAt),
  error: r.error,
  errorCode: r.errorCode,
  reportId: r.reportId,
  steps: r.stepRuns.map(stepView),
});
