import { z } from "zod";
import { parseCron, type SealedSecret, type TenantDocument } from "@intelgraph/kit";

/*
 * The playbook model: what a definition may hold (validated with zod on every
 * create and update) and the stored records.
 */

export const PARAMETER_TYPES = ["STRING", "NUMBER", "DATE", "ENUM", "ENTITY"] as const;
export const ENTITY_TYPES = [
  "Person",
  "Organization",
  "Domain",
  "IPAddress",
  "Indicator",
  "Incident",
  "ThreatActor",
  "IntrusionSet",
  "Campaign",
  "Malware",
  "Tool",
  "AttackPattern",
  "Vulnerability",
  "ThreatReport",
] as const;
export const STEP_KINDS = [
  "ASK",
  "GRAPH_QUERY",
  "CREATE_REPORT",
  "UPDATE_REPORT",
  "EXPORT_REPORT",
  "CONNECTOR_INGEST",
  "SERVICENOW_INCIDENT",
  "WEBHOOK",
] as const;
export const RIGHTS = ["VIEW", "RUN", "EDIT", "SHARE"] as const;

export type ParameterType = (typeof PARAMETER_TYPES)[number];
export type EntityType = (typeof ENTITY_TYPES)[number];
export type StepKind = (typeof STEP_KINDS)[number];
export type Right = (typeof RIGHTS)[number];

/** Defaults and bounds of a step's timeout and retries. */
export const STEP_LIMITS = { defaultTimeoutMs: 30_000, maxTimeoutMs: 600_000, maxRetries: 5 } as const;

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const STEP_ID = /^[A-Za-z0-9_-]{1,64}$/;

const parameter = z
  .object({
    name: z.string().regex(NAME, "a name of letters, digits and _ (not starting with a digit), at most 64"),
    type: z.enum(PARAMETER_TYPES),
    required: z
      .boolean()
      .nullish()
      .transform((v) => v ?? false),
    default: z.unknown().optional(),
    options: z.array(z.string().min(1).max(200)).max(100).nullish(),
    entityType: z.enum(ENTITY_TYPES).nullish(),
    description: z.string().max(500).nullish(),
  })
  .superRefine((p, ctx) => {
    if (p.type === "ENUM" && !p.options?.length) ctx.addIssue({ code: "custom", path: ["options"], message: "an ENUM needs options" });
    if (p.type === "ENTITY" && !p.entityType)
      ctx.addIssue({ code: "custom", path: ["entityType"], message: "an ENTITY needs an entityType" });
  })
  .transform((p) => ({
    name: p.name,
    type: p.type,
    required: p.required,
    default: p.default ?? null,
    options: p.type === "ENUM" ? (p.options ?? []) : null,
    entityType: p.type === "ENTITY" ? (p.entityType ?? null) : null,
    description: p.description ?? null,
  }));

export type Parameter = z.output<typeof parameter>;

const configObject = z.record(z.string(), z.unknown(), { error: "an object" });

const step = z.object({
  id: z.string().regex(STEP_ID, "letters, digits, _ and -, at most 64").nullish(),
  name: z.string().trim().min(1).max(120).nullish(),
  kind: z.enum(STEP_KINDS),
  config: configObject.nullish(),
  timeoutMs: z.number().int().min(100).max(STEP_LIMITS.maxTimeoutMs).nullish(),
  retries: z.number().int().min(0).max(STEP_LIMITS.maxRetries).nullish(),
});

export interface Step {
  id: string;
  name: string;
  kind: StepKind;
  config: Record<string, unknown>;
  timeoutMs: number;
  retries: number;
}

export const MISSED_RUN_POLICIES = ["SKIP", "RUN_ONCE"] as const;

const schedule = z
  .object({
    cron: z.string().trim().min(1).max(100),
    timeZone: z
      .string()
      .nullish()
      .transform((v) => v ?? "UTC"),
    missedRunPolicy: z
      .enum(MISSED_RUN_POLICIES)
      .nullish()
      .transform((v) => v ?? "SKIP"),
  })
  .superRefine((s, ctx) => {
    try {
      parseCron(s.cron, s.timeZone);
    } catch (error) {
      const message = (error as Error).message;
      ctx.addIssue({ code: "custom", path: [message.startsWith("Unknown time zone") ? "timeZone" : "cron"], message });
    }
  });

export type ScheduleDefinition = z.output<typeof schedule>;

/** The definition every version of a playbook holds. */
export const definitionInput = z
  .object({
    name: z.string().trim().min(1, "required").max(120),
    description: z.string().max(2000).nullish(),
    parameters: z.array(parameter).max(50, "at most 50 parameters").nullish(),
    steps: z.array(step, { error: "a list of steps" }).min(1, "at least one step").max(50, "at most 50 steps"),
    schedule: schedule.nullish(),
    requiresApproval: z.boolean().nullish(),
  })
  .superRefine((d, ctx) => {
    const names = new Set<string>();
    (d.parameters ?? []).forEach((p, i) => {
      if (names.has(p.name)) ctx.addIssue({ code: "custom", path: ["parameters", i, "name"], message: `"${p.name}" is used twice` });
      names.add(p.name);
    });
    const ids = new Set<string>();
    d.steps.forEach((s, i) => {
      const id = s.id ?? `s${i + 1}`;
      if (ids.has(id)) ctx.addIssue({ code: "custom", path: ["steps", i, "id"], message: `step id "${id}" is used twice` });
      ids.add(id);
    });
  })
  .transform((d) => ({
    name: d.name,
    description: d.description ?? null,
    parameters: d.parameters ?? [],
    steps: d.steps.map((s, i): Step => ({
      id: s.id ?? `s${i + 1}`,
      name: s.name ?? `${s.kind.toLowerCase().replace(/_/g, " ")} ${i + 1}`,
      kind: s.kind,
      config: s.config ?? {},
      timeoutMs: s.timeoutMs ?? STEP_LIMITS.defaultTimeoutMs,
      retries: s.retries ?? 0,
    })),
    schedule: d.schedule ?? null,
    requiresApproval: d.requiresApproval ?? false,
  }));

export type Definition = z.output<typeof definitionInput>;

export const aclInput = z
  .array(
    z
      .object({
        role: z.string().trim().min(1).max(40).nullish(),
        userId: z.string().uuid("a user id").nullish(),
        rights: z.array(z.enum(RIGHTS)).min(1, "at least one right").max(4),
      })
      .refine((e) => Boolean(e.role) !== Boolean(e.userId), "give either a role or a userId"),
  )
  .max(100, "at most 100 entries")
  .transform((entries) =>
    entries.map((e) => ({ role: e.role ?? null, userId: e.userId?.toLowerCase() ?? null, rights: [...new Set(e.rights)] })),
  );

export type AclEntry = z.output<typeof aclInput>[number];

export interface PlaybookSchedule extends ScheduleDefinition {
  paused: boolean;
  /** Whom scheduled runs run as: who last set the schedule (re-checked at run time). */
  setBy: string;
  /** Slots before this are never run (the schedule did not exist, was paused, or was not approved yet). */
  activeSince: Date;
}

export interface PlaybookRecord extends TenantDocument {
  name: string;
  description: string | null;
  parameters: Parameter[];
  steps: Step[];
  schedule: PlaybookSchedule | null;
  requiresApproval: boolean;
  version: number;
  approval: { version: number; approvedBy: string; approvedAt: Date } | null;
  ownerId: string;
  acl: AclEntry[];
  alerts: { webhookUrl: string | null; emails: string[] };
  /** Signs WEBHOOK steps and alert webhooks; shown once (setPlaybookAlerts). */
  signingSecret: SealedSecret;
  signingSecretShown: boolean;
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface PlaybookVersionRecord extends TenantDocument {
  playbookId: string;
  version: number;
  name: string;
  description: string | null;
  parameters: Parameter[];
  steps: Step[];
  schedule: ScheduleDefinition | null;
  requiresApproval: boolean;
  changedBy: string;
  changedAt: Date;
}

/** Whether the playbook's schedule fires on its own now. */
export function scheduleActive(p: Pick<PlaybookRecord, "schedule" | "requiresApproval" | "approval" | "version">): boolean {
  if (!p.schedule || p.schedule.paused) return false;
  return !p.requiresApproval || p.approval?.version === p.version;
}
