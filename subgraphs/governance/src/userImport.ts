import { parse as parseCsv } from "csv-parse/sync";
import type { Collection } from "mongodb";
import { z } from "zod";
import {
  appError,
  ErrorCode,
  isDuplicateKeyError,
  newId,
  requirePerson,
  validateInput,
  type AuditHints,
  type JobSlots,
  type Principal,
} from "@intelgraph/kit";
import { TENANT_ROLES } from "@intelgraph/policies";
import type { ManagedField, Role, UserRecord } from "./governanceService.ts";

/** Largest import accepted in one call. */
export const MAX_IMPORT_ROWS = 10_000;

export type ImportAction = "CREATE" | "UPDATE" | "DEACTIVATE" | "UNCHANGED";

export interface FieldChange {
  field: ManagedField;
  from: string | null;
  to: string | null;
}

export interface ImportChange {
  action: ImportAction;
  email: string;
  externalId: string | null;
  userId: string | null;
  /** What the import changes (or would change, in a dry run). */
  changes: FieldChange[];
  /** What the file says but a manual override keeps: `to` is the file's value, `from` the kept one. */
  keptOverrides: FieldChange[];
}

export interface RowError {
  /** 1-based: the CSV line after the header, or the position in the JSON array. */
  row: number;
  email: string | null;
  message: string;
}

export interface ImportResult {
  dryRun: boolean;
  applied: boolean;
  created: number;
  updated: number;
  deactivated: number;
  unchanged: number;
  changes: ImportChange[];
  errors: RowError[];
}

interface Row {
  row: number;
  email: string;
  externalId: string | null;
  displayName: string | null;
  role: Role;
  active: boolean;
}

const input = z.object({
  format: z.enum(["CSV", "JSON"]),
  data: z.string().min(1, "the file is empty").max(5_000_000, "at most 5 MB per import"),
  dryRun: z.boolean().nullish(),
  deprovisionMissing: z.boolean().nullish(),
});

const rowSchema = z.object({
  email: z.email("not a valid e-mail address").transform((e) => e.toLowerCase()),
  externalId: z.string().trim().min(1).max(200).nullish(),
  displayName: z.string().trim().max(100).nullish(),
  role: z
    .string()
    .transform((r) => r.trim().toUpperCase())
    .pipe(z.enum(TENANT_ROLES, { error: `role must be one of ${TENANT_ROLES.join(", ")}` })),
  active: z
    .union([z.boolean(), z.string()])
    .nullish()
    .transform((v, ctx) => {
      if (v === null || v === undefined || v === "") return true;
      if (typeof v === "boolean") return v;
      const t = v.trim().toLowerCase();
      if (["true", "yes", "1"].includes(t)) return true;
      if (["false", "no", "0"].includes(t)) return false;
      ctx.addIssue({ code: "custom", message: "active must be true or false" });
      return z.NEVER;
    }),
});

/** A SCIM core User resource (the subset we read) → our flat row. */
function fromScim(resource: Record<string, unknown>): Record<string, unknown> {
  const emails = Array.isArray(resource["emails"]) ? (resource["emails"] as Array<{ value?: unknown; primary?: unknown }>) : [];
  const primary = emails.find((e) => e.primary === true) ?? emails[0];
  const roles = Array.isArray(resource["roles"]) ? (resource["roles"] as Array<{ value?: unknown; primary?: unknown }>) : [];
  const role = roles.find((r) => r.primary === true) ?? roles[0];
  const name = resource["name"] as { formatted?: unknown } | undefined;
  return {
    email: resource["userName"] ?? primary?.value,
    externalId: resource["externalId"] ?? resource["id"],
    displayName: resource["displayName"] ?? name?.formatted,
    role: role?.value ?? resource["role"],
    active: resource["active"],
  };
}

function parseRows(format: "CSV" | "JSON", data: string): { raw: Array<Record<string, unknown>>; fatal?: string } {
  if (format === "CSV") {
    try {
      const records = parseCsv(data, {
        columns: (header: string[]) => header.map((h) => h.trim()),
        skip_empty_lines: true,
        trim: true,
        bom: true,
      });
      return { raw: records as Array<Record<string, unknown>> };
    } catch (error) {
      return { raw: [], fatal: `The CSV could not be read: ${(error as Error).message}` };
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    return { raw: [], fatal: `The JSON could not be read: ${(error as Error).message}` };
  }
  // Either a plain array of users, or a SCIM ListResponse ({ "Resources": [...] }).
  if (Array.isArray(parsed)) return { raw: parsed.map((r) => (r && typeof r === "object" && "userName" in r ? fromScim(r) : r)) };
  if (parsed && typeof parsed === "object" && Array.isArray((parsed as { Resources?: unknown }).Resources)) {
    return { raw: ((parsed as { Resources: Array<Record<string, unknown>> }).Resources ?? []).map(fromScim) };
  }
  return { raw: [], fatal: 'JSON must be an array of users or a SCIM ListResponse with "Resources".' };
}

const show = (v: string | boolean | null | undefined) => (v === null || v === undefined ? null : String(v));

/**
 * SCIM-lite provisioning: users and roles from a CSV or JSON file, matched by
 * externalId, then e-mail. Idempotent (the same file twice changes nothing),
 * all-or-nothing (any bad row → nothing applied, every bad row listed), a dry
 * run returns the diff, and fields an admin changed by hand (`updateUser`)
 * are kept and reported until the override is released.
 */
export function createUserImport(deps: {
  users: Collection<UserRecord>;
  jobSlots: JobSlots;
  concurrentJobsOf: (tenantId: string) => Promise<number>;
  revokeSessions: (userId: string) => Promise<void>;
}) {
  const { users } = deps;

  return async function importUsers(principal: Principal, rawInput: unknown, hints: AuditHints): Promise<ImportResult> {
    const caller = requirePerson(principal, "import users");
    const parsedInput = validateInput(input, rawInput);
    const { format, data } = parsedInput;
    const dryRun = parsedInput.dryRun ?? false;
    const deprovisionMissing = parsedInput.deprovisionMissing ?? false;
    const { raw, fatal } = parseRows(format, data);
    if (fatal) throw appError(ErrorCode.BAD_USER_INPUT, fatal, { argument: "input.data" });
    if (raw.length > MAX_IMPORT_ROWS) {
      throw appError(ErrorCode.BAD_USER_INPUT, `At most ${MAX_IMPORT_ROWS} users per import; this file has ${raw.length}. Split it.`, {
        argument: "input.data",
      });
    }

    const errors: RowError[] = [];
    const rows: Row[] = [];
    const seenEmail = new Set<string>();
    const seenExternal = new Set<string>();
    raw.forEach((record, index) => {
      const row = index + 1;
      const result = rowSchema.safeParse(record ?? {});
      const email = typeof record?.["email"] === "string" ? (record["email"] as string) : null;
      if (!result.success) {
        const issue = result.error.issues[0]!;
        errors.push({ row, email, message: `${issue.path.join(".") || "row"}: ${issue.message}` });
        return;
      }
      const r = result.data;
      if (seenEmail.has(r.email))
        return void errors.push({ row, email: r.email, message: "this e-mail appears more than once in the file" });
      if (r.externalId && seenExternal.has(r.externalId)) {
        return void errors.push({ row, email: r.email, message: `externalId ${r.externalId} appears more than once in the file` });
      }
      seenEmail.add(r.email);
      if (r.externalId) seenExternal.add(r.externalId);
      rows.push({
        row,
        email: r.email,
        externalId: r.externalId ?? null,
        displayName: r.displayName ?? null,
        role: r.role,
        active: r.active,
      });
    });

    const existing = await users.find({ tenantId: caller.tenantId }).toArray();
    const byExternal = new Map(existing.filter((u) => u.externalId).map((u) => [u.externalId!, u]));
    const byEmail = new Map(existing.map((u) => [u.email, u]));
    // E-mail addresses are global (they sign in); one used by another tenant cannot be imported here.
    const elsewhere = new Set(
      (
        await users
          .find({ email: { $in: rows.map((r) => r.email) }, tenantId: { $ne: caller.tenantId } }, { projection: { email: 1 } })
          .toArray()
      ).map((u) => u.email),
    );

    const changes: ImportChange[] = [];
    const plans: Array<{ row: Row; user: UserRecord | null; $set: Partial<UserRecord> }> = [];
    const matched = new Set<string>();
    for (const row of rows) {
      const user = (row.externalId ? byExternal.get(row.externalId) : undefined) ?? byEmail.get(row.email) ?? null;
      if (!user && elsewhere.has(row.email)) {
        errors.push({
          row: row.row,
          email: row.email,
          message: "this e-mail address is already in use and cannot be imported into this tenant",
        });
        continue;
      }
      if (user?.platformAdmin) {
        errors.push({ row: row.row, email: row.email, message: "platform operators are not managed by imports" });
        continue;
      }
      if (user && user.externalId && row.externalId && user.externalId !== row.externalId) {
        errors.push({ row: row.row, email: row.email, message: `this e-mail belongs to a user with externalId ${user.externalId}` });
        continue;
      }
      if (user && user._id === caller.userId && (row.role !== "ADMIN" || !row.active) && !user.overrides?.role && !user.overrides?.active) {
        errors.push({
          row: row.row,
          email: row.email,
          message: "the import would demote or deactivate you; change that row or have another admin run it",
        });
        continue;
      }
      if (!user) {
        changes.push({
          action: "CREATE",
          email: row.email,
          externalId: row.externalId,
          userId: null,
          changes: [
            { field: "role", from: null, to: row.role },
            ...(row.displayName ? [{ field: "displayName" as const, from: null, to: row.displayName }] : []),
            ...(!row.active ? [{ field: "active" as const, from: null, to: "false" }] : []),
          ],
          keptOverrides: [],
        });
        plans.push({ row, user: null, $set: {} });
        continue;
      }
      matched.add(user._id);
      const wanted: Record<ManagedField, string | boolean | null> = { role: row.role, displayName: row.displayName, active: row.active };
      const current: Record<ManagedField, string | boolean | null> = {
        role: user.role,
        displayName: user.displayName,
        active: user.active !== false,
      };
      const $set: Record<string, unknown> = {};
      const fieldChanges: FieldChange[] = [];
      const kept: FieldChange[] = [];
      for (const field of ["role", "displayName", "active"] as const) {
        if (wanted[field] === current[field]) continue;
        if (user.overrides?.[field]) kept.push({ field, from: show(current[field]), to: show(wanted[field]) });
        else {
          fieldChanges.push({ field, from: show(current[field]), to: show(wanted[field]) });
          $set[field] = wanted[field];
        }
      }
      if (row.externalId && !user.externalId) $set["externalId"] = row.externalId;
      const action: ImportAction = fieldChanges.length
        ? fieldChanges.some((c) => c.field === "active" && c.to === "false")
          ? "DEACTIVATE"
          : "UPDATE"
        : "UNCHANGED";
      changes.push({
        action,
        email: row.email,
        externalId: row.externalId ?? user.externalId ?? null,
        userId: user._id,
        changes: fieldChanges,
        keptOverrides: kept,
      });
      plans.push({ row, user, $set: $set as Partial<UserRecord> });
    }

    if (deprovisionMissing) {
      for (const user of existing) {
        if (matched.has(user._id) || user.source !== "import" || user.active === false || user.platformAdmin) continue;
        if (user.overrides?.active) {
          changes.push({
            action: "UNCHANGED",
            email: user.email,
            externalId: user.externalId ?? null,
            userId: user._id,
            changes: [],
            keptOverrides: [{ field: "active", from: "true", to: "false" }],
          });
          continue;
        }
        changes.push({
          action: "DEACTIVATE",
          email: user.email,
          externalId: user.externalId ?? null,
          userId: user._id,
          changes: [{ field: "active", from: "true", to: "false" }],
          keptOverrides: [],
        });
        plans.push({
          row: {
            row: 0,
            email: user.email,
            externalId: user.externalId ?? null,
            displayName: user.displayName,
            role: user.role,
            active: false,
          },
          user,
          $set: { active: false },
        });
      }
    }

    errors.sort((a, b) => a.row - b.row);
    const count = (action: ImportAction) => changes.filter((c) => c.action === action).length;
    const result: ImportResult = {
      dryRun,
      applied: false,
      created: count("CREATE"),
      updated: count("UPDATE"),
      deactivated: count("DEACTIVATE"),
      unchanged: count("UNCHANGED"),
      changes,
      errors,
    };
    if (dryRun) return result;
    if (errors.length) {
      throw appError(
        ErrorCode.BAD_USER_INPUT,
        `${errors.length} row(s) are not valid, so nothing was imported. Fix them (a dry run lists them all) and import again.`,
        {
          argument: "input.data",
          rows: errors.slice(0, 50),
        },
      );
    }

    // Applying is a long job: it holds one of the tenant's concurrent-job slots.
    await deps.jobSlots.run(caller.tenantId, "userImport", await deps.concurrentJobsOf(caller.tenantId), async () => {
      const at = new Date();
      for (const plan of plans) {
        if (!plan.user) {
          const record: UserRecord = {
            _id: newId(),
            tenantId: caller.tenantId,
            email: plan.row.email,
            displayName: plan.row.displayName,
            role: plan.row.role,
            platformAdmin: false,
            passwordHash: null,
            active: plan.row.active,
            externalId: plan.row.externalId,
            source: "import",
            overrides: {},
            createdAt: at,
          };
          try {
            await users.insertOne(record);
          } catch (error) {
            // Someone took the address since the diff was computed: report it, the rest stands.
            if (!isDuplicateKeyError(error)) throw error;
            throw appError(
              ErrorCode.CONFLICT,
              `${plan.row.email} was created by someone else during the import; run it again (it is idempotent).`,
              {
                email: plan.row.email,
              },
            );
          }
          const change = changes.find((c) => c.action === "CREATE" && c.email === record.email);
          if (change) change.userId = record._id;
        } else if (Object.keys(plan.$set).length) {
          await users.updateOne({ _id: plan.user._id, tenantId: caller.tenantId }, { $set: plan.$set });
          if (plan.$set.active === false) await deps.revokeSessions(plan.user._id);
        }
      }
    });
    hints.targetIds = changes
      .filter((c) => c.action !== "UNCHANGED" && c.userId)
      .map((c) => c.userId!)
      .slice(0, 1000);
    return { ...result, applied: true };
  };
}

export type UserImport = ReturnType<typeof createUserImport>;
