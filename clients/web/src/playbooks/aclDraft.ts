/** The ACL editor's rows ↔ setPlaybookAcl's entries. */
import type { PlaybookAclEntryInput, PlaybookRight } from "../api/generated/graphql.ts";

export const RIGHTS: PlaybookRight[] = ["VIEW", "RUN", "EDIT", "SHARE"];

export interface AclRow {
  key: string;
  kind: "role" | "user";
  /** The role name or the user id. */
  who: string;
  rights: PlaybookRight[];
}

let counter = 0;
const key = () => `acl${(counter += 1)}`;

export const aclRowsOf = (
  entries: ReadonlyArray<{ role: string | null; userId: string | null; rights: readonly PlaybookRight[] }>,
): AclRow[] =>
  entries.map((e) => ({
    key: key(),
    kind: e.userId ? "user" : "role",
    who: e.userId ?? e.role ?? "",
    rights: RIGHTS.filter((r) => e.rights.includes(r)),
  }));

export const newAclRow = (kind: AclRow["kind"]): AclRow => ({ key: key(), kind, who: kind === "role" ? "ANALYST" : "", rights: ["VIEW"] });

/** Toggles a right; any right implies VIEW (as the API reads it), so VIEW stays while others are held. */
export function toggledRights(rights: readonly PlaybookRight[], right: PlaybookRight): PlaybookRight[] {
  const next = new Set(rights);
  if (next.has(right)) {
    if (right === "VIEW" && rights.some((r) => r !== "VIEW")) return [...rights];
    next.delete(right);
  } else {
    next.add(right);
    next.add("VIEW");
  }
  return RIGHTS.filter((r) => next.has(r));
}

export function aclEntries(rows: readonly AclRow[]): {
  entries: PlaybookAclEntryInput[];
  problems: Array<{ path: string; message: string }>;
} {
  const problems: Array<{ path: string; message: string }> = [];
  const entries = rows.map((row, i) => {
    const who = row.who.trim();
    if (!who) problems.push({ path: `entries.${i}`, message: row.kind === "role" ? "Pick a role." : "Give a user id." });
    if (row.rights.length === 0) problems.push({ path: `entries.${i}.rights`, message: "Tick at least one right, or remove the row." });
    return row.kind === "role" ? { role: who, rights: row.rights } : { userId: who, rights: row.rights };
  });
  return { entries, problems };
}
