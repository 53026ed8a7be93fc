import { parse as parseCsv } from "csv-parse/sync";
import { z } from "zod";
import { TENANT_ROLES } from "@intelgraph/policies";
import type { Role } from "./governanceRecords.ts";

/** One valid row of an import file. */
export interface ImportRow {
  row: number;
  email: string;
  externalId: string | null;
  displayName: string | null;
  role: Role;
  active: boolean;
}

export interface RowError {
  /** 1-based: the CSV line after the header, or the position in the JSON array. */
  row: number;
  email: string | null;
  message: string;
}

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

/** The file's records, unchecked: CSV with a header line, or JSON (an array of users or a SCIM ListResponse). */
export function parseImportFile(format: "CSV" | "JSON", data: string): { raw: Array<Record<string, unknown>>; fatal?: string } {
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

/** Checks each record; a bad row, or an e-mail or externalId seen twice in the file, becomes a row error. */
export function validateImportRows(raw: Array<Record<string, unknown>>): { rows: ImportRow[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const rows: ImportRow[] = [];
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
    if (seenEmail.has(r.email)) return void errors.push({ row, email: r.email, message: "this e-mail appears more than once in the file" });
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
  return { rows, errors };
}
