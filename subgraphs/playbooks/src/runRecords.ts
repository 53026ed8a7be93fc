import { createHash } from "node:crypto";
import type { Principal, TenantDocument } from "@intelgraph/kit";
import type { Parameter, Step, StepKind } from "./model.ts";

export type RunStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";
export type StepStatus = "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED" | "SKIPPED";
export type RunTrigger = "MANUAL" | "SCHEDULE" | "SHARE_LINK";

/** Bounds of what a run keeps per step. */
export const RUN_LIMITS = { outputBytes: 64 * 1024, logLines: 50, logLineChars: 500 } as const;

export interface StepRunRecord {
  id: string;
  name: string;
  kind: StepKind;
  status: StepStatus;
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  output: unknown;
  outputTruncated: boolean;
  error: string | null;
  errorCode: string | null;
  logs: string[];
}

export interface RunRecord extends TenantDocument {
  playbookId: string;
  version: number;
  /** The version's steps and parameters, frozen when the run was queued. */
  steps: Step[];
  parameterDefinitions: Parameter[];
  parameters: Record<string, unknown>;
  status: RunStatus;
  trigger: RunTrigger;
  requestedBy: string;
  /** Whose rights the steps run with; roles are re-read when the run starts. */
  runAs: Pick<Principal, "kind" | "userId" | "scopes" | "tokenId">;
  shareLinkId: string | null;
  scheduledFor: Date | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  errorCode: string | null;
  reportId: string | null;
  stepRuns: StepRunRecord[];
  /** 0 while queued; n for the n-th worker that took it (n-1 takeovers from workers whose lease ran out). */
  attempt: number;
  owner: string | null;
  leaseUntil: Date | null;
  /** Failure alerts sent for this run (webhook, e-mail). */
  alerts: Array<{ channel: "WEBHOOK" | "EMAIL"; target: string; delivered: boolean; error: string | null }>;
}

/** A UUID-shaped id derived from `key`: the same key always gives the same id (a scheduled slot runs once). */
export function idFor(key: string): string {
  const h = createHash("sha256").update(key).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function pendingSteps(steps: readonly Step[]): StepRunRecord[] {
  return steps.map((s) => ({
    id: s.id,
    name: s.name,
    kind: s.kind,
    status: "PENDING",
    attempts: 0,
    startedAt: null,
    finishedAt: null,
    output: null,
    outputTruncated: false,
    error: null,
    errorCode: null,
    logs: [],
  }));
}

/** `output` as stored: itself when its JSON fits the bound, else a note with the first characters. */
export function boundOutput(output: unknown): { output: unknown; truncated: boolean } {
  const json = JSON.stringify(output ?? null);
  if (json.length <= RUN_LIMITS.outputBytes) return { output: output ?? null, truncated: false };
  return { output: { truncated: true, bytes: json.length, preview: json.slice(0, 2000) }, truncated: true };
}

export const runTopic = (tenantId: string) => `playbooks.runs.${tenantId}`;
