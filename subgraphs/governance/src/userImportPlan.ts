import type { ManagedField, UserRecord } from "./governanceRecords.ts";
import type { ImportRow, RowError } from "./userImportParsing.ts";

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

/** One write the import will make: a new user (`user` null) or a `$set` on an existing one. */
export interface PlannedWrite {
  row: ImportRow;
  user: UserRecord | null;
  $set: Partial<UserRecord>;
}

export interface ImportPlan {
  changes: ImportChange[];
  writes: PlannedWrite[];
  errors: RowError[];
}

export interface PlanImportOptions {
  /** The admin running the import, who must not demote or deactivate themself. */
  callerId: string;
  rows: ImportRow[];
  /** The tenant's users now. */
  existing: UserRecord[];
  /** E-mail addresses of the file that another tenant's users hold. */
  usedElsewhere: Set<string>;
  /** Deactivate imported users the file no longer lists. */
  deprovisionMissing: boolean;
}

const show = (v: string | boolean | null | undefined) => (v === null || v === undefined ? null : String(v));

/** Why a row cannot be applied to the user it matched (or to a new user), if it cannot. */
function refusal(row: ImportRow, user: UserRecord | null, options: PlanImportOptions): string | null {
  if (!user && options.usedElsewhere.has(row.email)) {
    return "this e-mail address is already in use and cannot be imported into this tenant";
  }
  if (user?.platformAdmin) return "platform operators are not managed by imports";
  if (user && user.externalId && row.externalId && user.externalId !== row.externalId) {
    return `this e-mail belongs to a user with externalId ${user.externalId}`;
  }
  if (user && user._id === options.callerId && (row.role !== "ADMIN" || !row.active) && !user.overrides?.role && !user.overrides?.active) {
    return "the import would demote or deactivate you; change that row or have another admin run it";
  }
  return null;
}

function createChange(row: ImportRow): ImportChange {
  return {
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
  };
}

/** The diff of a row against the user it matched; fields an admin pinned are kept and reported. */
function updateChange(row: ImportRow, user: UserRecord): { change: ImportChange; write: PlannedWrite } {
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
  return {
    change: {
      action,
      email: row.email,
      externalId: row.externalId ?? user.externalId ?? null,
      userId: user._id,
      changes: fieldChanges,
      keptOverrides: kept,
    },
    write: { row, user, $set: $set as Partial<UserRecord> },
  };
}

/** Imported users the file no longer lists: deactivated, unless an admin pinned them active. */
function deprovision(existing: UserRecord[], matched: Set<string>, plan: ImportPlan) {
  for (const user of existing) {
    if (matched.has(user._id) || user.source !== "import" || user.active === false || user.platformAdmin) continue;
    const base = { email: user.email, externalId: user.externalId ?? null, userId: user._id };
    const deactivation = { field: "active" as const, from: "true", to: "false" };
    if (user.overrides?.active) {
      plan.changes.push({ action: "UNCHANGED", ...base, changes: [], keptOverrides: [deactivation] });
      continue;
    }
    plan.changes.push({ action: "DEACTIVATE", ...base, changes: [deactivation], keptOverrides: [] });
    plan.writes.push({
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

/**
 * The diff of a file's rows against the tenant's users, matched by externalId,
 * then e-mail: what each row changes, the writes that do it, and the rows refused.
 */
export function planImport(options: PlanImportOptions): ImportPlan {
  const byExternal = new Map(options.existing.filter((u) => u.externalId).map((u) => [u.externalId!, u]));
  const byEmail = new Map(options.existing.map((u) => [u.email, u]));
  const plan: ImportPlan = { changes: [], writes: [], errors: [] };
  const matched = new Set<string>();
  for (const row of options.rows) {
    const user = (row.externalId ? byExternal.get(row.externalId) : undefined) ?? byEmail.get(row.email) ?? null;
    const refused = refusal(row, user, options);
    if (refused) {
      plan.errors.push({ row: row.row, email: row.email, message: refused });
      continue;
    }
    if (!user) {
      plan.changes.push(createChange(row));
      plan.writes.push({ row, user: null, $set: {} });
      continue;
    }
    matched.add(user._id);
    const { change, write } = updateChange(row, user);
    plan.changes.push(change);
    plan.writes.push(write);
  }
  if (options.deprovisionMissing) deprovision(options.existing, matched, plan);
  return plan;
}
