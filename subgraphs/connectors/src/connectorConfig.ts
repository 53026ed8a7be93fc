/**
 * A connector's configuration beyond its address and secret: auth kind, field
 * mapping, rate limit, replay policy and pull sync, with their defaults and
 * input validation (docs/connectors/servicenow.md documents each).
 */
import { z } from "zod";

export type AuthKind = "BASIC" | "OAUTH_CLIENT_CREDENTIALS";

export interface SeverityMapping {
  severity: string;
  urgency: number;
  impact: number;
}

export interface ConnectorMapping {
  assignmentGroup: string | null;
  category: string | null;
  callerId: string | null;
  severity: SeverityMapping[];
  defaultUrgency: number;
  defaultImpact: number;
  closeCode: string;
}

export interface RateLimit {
  ratePerSecond: number;
  burst: number;
}

export interface ReplayPolicy {
  inlineAttempts: number;
  maxAttempts: number;
  backoffSeconds: number;
  windowHours: number;
  alertThreshold: number;
}

export interface SyncSettings {
  enabled: boolean;
  intervalMinutes: number;
  query: string | null;
  cursor: string | null;
  lastSyncAt: Date | null;
  /** The principal the scheduled sync runs as: whoever enabled it (an audited updateConnector). */
  runAs: { userId: string; roles: string[] } | null;
}

/** ServiceNow's 1 (high) … 3 (low); our severities by name. */
export const DEFAULT_MAPPING: ConnectorMapping = {
  assignmentGroup: null,
  category: null,
  callerId: null,
  severity: [
    { severity: "critical", urgency: 1, impact: 1 },
    { severity: "high", urgency: 1, impact: 2 },
    { severity: "medium", urgency: 2, impact: 2 },
    { severity: "low", urgency: 3, impact: 3 },
  ],
  defaultUrgency: 2,
  defaultImpact: 2,
  closeCode: "Solution provided",
};

/** ServiceNow's default REST rate limits are per user per hour; 5/s with a burst of 10 stays well inside them. */
export const DEFAULT_RATE_LIMIT: RateLimit = { ratePerSecond: 5, burst: 10 };

export const DEFAULT_REPLAY: ReplayPolicy = { inlineAttempts: 3, maxAttempts: 8, backoffSeconds: 30, windowHours: 24, alertThreshold: 10 };

export const DEFAULT_SYNC: SyncSettings = { enabled: false, intervalMinutes: 15, query: null, cursor: null, lastSyncAt: null, runAs: null };

const level = z.number().int().min(1, "1 (high) to 3 (low)").max(3, "1 (high) to 3 (low)");
const optionalText = (max: number) => z.string().trim().max(max).nullish();

export const mappingInput = z.object({
  assignmentGroup: optionalText(200),
  category: optionalText(100),
  callerId: optionalText(200),
  severity: z
    .array(z.object({ severity: z.string().trim().toLowerCase().min(1, "required").max(40), urgency: level, impact: level }))
    .max(20)
    .refine((rows) => new Set(rows.map((r) => r.severity)).size === rows.length, "each severity once")
    .nullish(),
  defaultUrgency: level.nullish(),
  defaultImpact: level.nullish(),
  closeCode: z.string().trim().min(1).max(100).nullish(),
});

export const rateLimitInput = z.object({
  ratePerSecond: z.number().positive("above 0").max(100, "at most 100 per second"),
  burst: z.number().int().min(1, "at least 1").max(1000),
});

export const replayInput = z.object({
  inlineAttempts: z.number().int().min(1).max(10).nullish(),
  maxAttempts: z.number().int().min(0).max(50).nullish(),
  backoffSeconds: z.number().int().min(0).max(86_400).nullish(),
  windowHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .nullish(),
  alertThreshold: z.number().int().min(1).max(100_000).nullish(),
});

export const syncInput = z.object({
  enabled: z.boolean(),
  intervalMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .nullish(),
  query: z
    .string()
    .trim()
    .max(1000)
    .refine((q) => !/\^OR|\^NQ/.test(q), "only AND conditions (no ^OR / ^NQ): the cursor is ANDed to it")
    .nullish(),
});

/** Keeps what `patch` does not set; `null`/absent fields in a patch leave the current value. */
export function mergeMapping(current: ConnectorMapping, patch: z.output<typeof mappingInput> | null | undefined): ConnectorMapping {
  if (!patch) return current;
  return {
    assignmentGroup: patch.assignmentGroup !== undefined ? (patch.assignmentGroup ?? null) : current.assignmentGroup,
    category: patch.category !== undefined ? (patch.category ?? null) : current.category,
    callerId: patch.callerId !== undefined ? (patch.callerId ?? null) : current.callerId,
    severity: patch.severity ?? current.severity,
    defaultUrgency: patch.defaultUrgency ?? current.defaultUrgency,
    defaultImpact: patch.defaultImpact ?? current.defaultImpact,
    closeCode: patch.closeCode ?? current.closeCode,
  };
}

export function mergeReplay(current: ReplayPolicy, patch: z.output<typeof replayInput> | null | undefined): ReplayPolicy {
  if (!patch) return current;
  return {
    inlineAttempts: patch.inlineAttempts ?? current.inlineAttempts,
    maxAttempts: patch.maxAttempts ?? current.maxAttempts,
    backoffSeconds: patch.backoffSeconds ?? current.backoffSeconds,
    windowHours: patch.windowHours ?? current.windowHours,
    alertThreshold: patch.alertThreshold ?? current.alertThreshold,
  };
}
