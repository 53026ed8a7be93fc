import type { Collection } from "mongodb";
import { z } from "zod";
import {
  appError,
  ErrorCode,
  requirePerson,
  systemClock,
  validateInput,
  type AuditHints,
  type Clock,
  type JobSlots,
  type Principal,
} from "@intelgraph/kit";
import type { UserRecord } from "./governanceRecords.ts";
import { applyImport } from "./userImportApply.ts";
import { parseImportFile, validateImportRows, type RowError } from "./userImportParsing.ts";
import { planImport, type ImportAction, type ImportChange } from "./userImportPlan.ts";

export type { FieldChange, ImportAction, ImportChange } from "./userImportPlan.ts";
export type { RowError } from "./userImportParsing.ts";

/** Largest import accepted in one call. */
export const MAX_IMPORT_ROWS = 10_000;

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

const input = z.object({
  format: z.enum(["CSV", "JSON"]),
  data: z.string().min(1, "the file is empty").max(5_000_000, "at most 5 MB per import"),
  dryRun: z.boolean().nullish(),
  deprovisionMissing: z.boolean().nullish(),
});

export interface UserImportDeps {
  users: Collection<UserRecord>;
  jobSlots: JobSlots;
  concurrentJobsOf: (tenantId: string) => Promise<number>;
  revokeSessions: (userId: string) => Promise<void>;
  /**
   * The clock (ms since the epoch) that stamps created users.
   * @default systemClock
   */
  now?: Clock;
}

/**
 * SCIM-lite provisioning: users and roles from a CSV or JSON file, matched by
 * externalId, then e-mail. Idempotent (the same file twice changes nothing),
 * all-or-nothing (any bad row → nothing applied, every bad row listed), a dry
 * run returns the diff, and fields an admin changed by hand (`updateUser`)
 * are kept and reported until the override is released. Reading the file is
 * userImportParsing.ts, the diff userImportPlan.ts, the writes userImportApply.ts.
 */
export function createUserImport({ now = systemClock, ...deps }: UserImportDeps) {
  const { users } = deps;

  return async function importUsers(principal: Principal, args: { input: unknown }, hints: AuditHints): Promise<ImportResult> {
    const caller = requirePerson(principal, "import users");
    const parsedInput = validateInput(input, args.input);
    const { format, data } = parsedInput;
    const dryRun = parsedInput.dryRun ?? false;
    const { raw, fatal } = parseImportFile(format, data);
    if (fatal) throw appError(ErrorCode.BAD_USER_INPUT, fatal, { argument: "input.data" });
    if (raw.length > MAX_IMPORT_ROWS) {
      throw appError(ErrorCode.BAD_USER_INPUT, `At most ${MAX_IMPORT_ROWS} users per import; this file has ${raw.length}. Split it.`, {
        argument: "input.data",
      });
    }
    const { rows, errors: rowErrors } = validateImportRows(raw);
    const existing = await users.find({ tenantId: caller.tenantId }).toArray();
    // E-mail addresses are global (they sign in); one used by another tenant cannot be imported here.
    const usedElsewhere = new Set(
      (
        await users
          .find({ email: { $in: rows.map((r) => r.email) }, tenantId: { $ne: caller.tenantId } }, { projection: { email: 1 } })
          .toArray()
      ).map((u) => u.email),
    );
    const plan = planImport({
      callerId: caller.userId,
      rows,
      existing,
      usedElsewhere,
      deprovisionMissing: parsedInput.deprovisionMissing ?? false,
    });
    const { changes } = plan;
    const errors = [...rowErrors, ...plan.errors].sort((a, b) => a.row - b.row);
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
    await deps.jobSlots.run(caller.tenantId, "userImport", await deps.concurrentJobsOf(caller.tenantId), () =>
      applyImport({ users, revokeSessions: deps.revokeSessions, now }, caller.tenantId, plan.writes, changes),
    );
    hints.targetIds = changes
      .filter((c) => c.action !== "UNCHANGED" && c.userId)
      .map((c) => c.userId!)
      .slice(0, 1000);
    return { ...result, applied: true };
  };
}

export type UserImport = ReturnType<typeof createUserImport>;
