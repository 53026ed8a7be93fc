import { randomBytes } from "node:crypto";
import type { Db } from "mongodb";
import { z } from "zod";
import {
  appError,
  createTenantRepository,
  ErrorCode,
  isDuplicateKeyError,
  parseId,
  previewCron,
  requireUser,
  systemClock,
  validateInput,
  type AuditHints,
  type Clock,
  type Principal,
  type SecretBox,
} from "@intelgraph/kit";
import { notFound, requireRight, rightsOf, type Grantee } from "./acl.ts";
import { definitionInput, type Definition, type PlaybookRecord, type PlaybookVersionRecord, type Right } from "./model.ts";
import { defaultProblems } from "./parameters.ts";
import { createPlaybookSettings } from "./playbookSettings.ts";

export interface PlaybookServiceDeps {
  db: Db;
  secretBox: SecretBox;
  /** @default systemClock */
  now?: Clock;
  /** Called when a schedule may have become active (the worker wakes). */
  onScheduleChange?: () => void;
}

const previewInput = z.object({
  cron: z.string().trim().min(1).max(100),
  timeZone: z.string().nullish(),
  count: z.number().int().min(1, "at least 1").max(50, "at most 50").nullish(),
});

export const granteeOf = (caller: { userId: string; roles: readonly string[] }): Grantee => ({
  userId: caller.userId,
  roles: caller.roles,
});

function validDefinition(input: unknown): Definition {
  const definition = validateInput(definitionInput, input);
  const problems = defaultProblems(definition.parameters);
  if (problems.length)
    throw appError(ErrorCode.BAD_USER_INPUT, `Invalid input — ${problems.map((p) => p.message).join("; ")}.`, { problems });
  return definition;
}

/** Whether a change of definition must reset the approval: its parameters, steps or schedule changed. */
function approvalRelevant(
  a: Pick<Definition, "parameters" | "steps" | "schedule">,
  b: Pick<Definition, "parameters" | "steps" | "schedule">,
) {
  const pick = (d: typeof a) =>
    JSON.stringify([d.parameters, d.steps, d.schedule && { ...d.schedule, paused: undefined, setBy: undefined, activeSince: undefined }]);
  return pick(a) !== pick(b);
}

/** The next `count` run times of a cron pattern in a time zone, from `nowMs`; BAD_USER_INPUT naming cron or timeZone. */
export function previewSchedule(args: { cron: unknown; timeZone?: unknown; count?: unknown }, nowMs: number): string[] {
  const input = validateInput(previewInput, args);
  try {
    return previewCron(input.cron, input.timeZone ?? "UTC", input.count ?? 5, new Date(nowMs)).map((d) => d.toISOString());
  } catch (error) {
    const message = (error as Error).message;
    const path = message.startsWith("Unknown time zone") ? "timeZone" : "cron";
    throw appError(ErrorCode.BAD_USER_INPUT, message, { problems: [{ path, message }] });
  }
}

/** The immutable record of the playbook's current version. */
const versionRecord = (p: PlaybookRecord, changedBy: string, at: Date): Omit<PlaybookVersionRecord, "tenantId"> => ({
  _id: `${p._id}@${p.version}`,
  playbookId: p._id,
  version: p.version,
  name: p.name,
  description: p.description,
  parameters: p.parameters,
  steps: p.steps,
  schedule: p.schedule && { cron: p.schedule.cron, timeZone: p.schedule.timeZone, missedRunPolicy: p.schedule.missedRunPolicy },
  requiresApproval: p.requiresApproval,
  changedBy,
  changedAt: at,
});

export function createPlaybookService({ db, secretBox, now = systemClock, onScheduleChange = () => undefined }: PlaybookServiceDeps) {
  const repo = createTenantRepository<PlaybookRecord>(db, "playbooks", {
    indexes: [{ key: { tenantId: 1, name: 1 }, unique: true, name: "tenant_name_unique" }],
  });
  const versions = createTenantRepository<PlaybookVersionRecord>(db, "playbook_versions", {
    indexes: [{ key: { tenantId: 1, playbookId: 1, version: -1 }, name: "playbook_version" }],
  });

  const nameTaken = (name: string) =>
    appError(ErrorCode.CONFLICT, `A playbook named "${name}" already exists in this tenant. Pick another name.`, { field: "name" });

  /** The playbook if `principal` holds `right` on it (NOT_FOUND when they may not view it, FORBIDDEN naming the right otherwise). */
  async function load(principal: Principal, id: unknown, right: Right) {
    const caller = requireUser(principal);
    const playbook = await repo.forTenant(caller.tenantId).findOne({ _id: parseId(id) });
    if (!playbook) throw notFound();
    const rights = requireRight(playbook, granteeOf(caller), right);
    return { caller, playbook, rights };
  }

  async function replace(tenantId: string, playbook: PlaybookRecord): Promise<PlaybookRecord> {
    const { _id, tenantId: _t, ...rest } = playbook;
    await repo.forTenant(tenantId).updateOne({ _id }, { $set: rest });
    return playbook;
  }

  const settings = createPlaybookSettings({ load, replace, secretBox, now, onScheduleChange });
  return {
    repo,
    load,
    ...settings,
    ensureIndexes: async () => {
      await repo.ensureIndexes();
      await versions.ensureIndexes();
    },

    async create(principal: Principal, args: { input: unknown }, hints: AuditHints): Promise<PlaybookRecord> {
      const caller = requireUser(principal);
      const definition = validDefinition(args.input);
      const at = new Date(now());
      const { schedule, ...rest } = definition;
      try {
        const playbook = await repo.forTenant(caller.tenantId).insertOne({
          ...rest,
          schedule: schedule && { ...schedule, paused: false, setBy: caller.userId, activeSince: at },
          version: 1,
          approval: null,
          ownerId: caller.userId,
          acl: [],
          alerts: { webhookUrl: null, emails: [] },
          signingSecret: secretBox.seal(randomBytes(32).toString("base64url")),
          signingSecretShown: false,
          updatedBy: caller.userId,
          createdAt: at,
          updatedAt: at,
        });
        hints.targetIds = [playbook._id];
        await versions.forTenant(caller.tenantId).insertOne(versionRecord(playbook, caller.userId, at));
        if (schedule) onScheduleChange();
        return playbook;
      } catch (error) {
        if (isDuplicateKeyError(error)) throw nameTaken(definition.name);
        throw error;
      }
    },

    /**
     * A new version. The version record's fixed id `<playbook>@<n>` is what
     * makes two concurrent edits of version n-1 fail but one (CONFLICT).
     */
    async update(principal: Principal, args: { id: unknown; expectedVersion: unknown; input: unknown }, hints: AuditHints) {
      const { caller, playbook } = await load(principal, args.id, "EDIT");
      hints.targetIds = [playbook._id];
      const definition = validDefinition(args.input);
      if (args.expectedVersion !== playbook.version) {
        throw appError(
          ErrorCode.CONFLICT,
          `The playbook is at version ${playbook.version}, not ${String(args.expectedVersion)}. Reload it and apply your change again.`,
          {
            currentVersion: playbook.version,
          },
        );
      }
      const at = new Date(now());
      const { schedule, ...rest } = definition;
      const next: PlaybookRecord = {
        ...playbook,
        ...rest,
        schedule: schedule && {
          ...schedule,
          paused: playbook.schedule?.paused ?? false,
          setBy: caller.userId,
          activeSince: at,
        },
        version: playbook.version + 1,
        updatedBy: caller.userId,
        updatedAt: at,
      };
      if (playbook.approval && approvalRelevant(playbook, definition)) next.approval = null;
      else if (playbook.approval) next.approval = { ...playbook.approval, version: next.version };
      if (definition.name !== playbook.name) {
        const clash = await repo.forTenant(caller.tenantId).findOne({ name: definition.name, _id: { $ne: playbook._id } });
        if (clash) throw nameTaken(definition.name);
      }
      try {
        await versions.forTenant(caller.tenantId).insertOne(versionRecord(next, caller.userId, at));
      } catch (error) {
        if (isDuplicateKeyError(error))
          throw appError(ErrorCode.CONFLICT, "Someone else changed the playbook at the same time. Reload it and apply your change again.");
        throw error;
      }
      await replace(caller.tenantId, next);
      if (schedule) onScheduleChange();
      return next;
    },

    async list(principal: Principal) {
      const caller = requireUser(principal);
      const all = await repo.forTenant(caller.tenantId).find({}, { sort: { createdAt: -1 } });
      return all.filter((p) => rightsOf(p, granteeOf(caller)).includes("VIEW"));
    },

    /** null when it does not exist or the caller may not view it. */
    async get(principal: Principal, args: { id: unknown }) {
      const caller = requireUser(principal);
      const playbook = await repo.forTenant(caller.tenantId).findOne({ _id: parseId(args.id) });
      return playbook && rightsOf(playbook, granteeOf(caller)).includes("VIEW") ? playbook : null;
    },

    rightsOf: (principal: Principal, playbook: PlaybookRecord) => rightsOf(playbook, granteeOf(requireUser(principal))),

    async versions(principal: Principal, playbook: PlaybookRecord) {
      const caller = requireUser(principal);
      return versions.forTenant(caller.tenantId).find({ playbookId: playbook._id }, { sort: { version: -1 } });
    },

    async version(principal: Principal, args: { id: unknown; version: unknown }) {
      const playbook = await this.get(principal, args);
      if (!playbook || typeof args.version !== "number") return null;
      return versions.forTenant(playbook.tenantId).findOne({ playbookId: playbook._id, version: args.version });
    },

    preview: (args: { cron: unknown; timeZone?: unknown; count?: unknown }) => previewSchedule(args, now()),
  };
}

export type PlaybookService = ReturnType<typeof createPlaybookService>;
