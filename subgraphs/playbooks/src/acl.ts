import { appError, ErrorCode } from "@intelgraph/kit";
import { RIGHTS, type AclEntry, type PlaybookRecord, type Right } from "./model.ts";

/** Who a right is checked for: a user id and their current roles in the playbook's tenant. */
export interface Grantee {
  userId: string;
  roles: readonly string[];
}

/**
 * The rights `who` holds on `playbook`: all of them for its owner and for a
 * tenant ADMIN; otherwise the union of the ACL entries naming their user id or
 * one of their roles. Any right implies VIEW.
 */
export function rightsOf(playbook: Pick<PlaybookRecord, "ownerId" | "acl">, who: Grantee): Right[] {
  if (playbook.ownerId === who.userId || who.roles.includes("ADMIN")) return [...RIGHTS];
  const held = new Set<Right>();
  for (const entry of playbook.acl as AclEntry[]) {
    const matches = entry.userId ? entry.userId === who.userId : entry.role !== null && who.roles.includes(entry.role);
    if (matches) for (const right of entry.rights) held.add(right);
  }
  if (held.size) held.add("VIEW");
  return RIGHTS.filter((r) => held.has(r));
}

export const notFound = (what = "playbook") =>
  appError(ErrorCode.NOT_FOUND, `No such ${what} in your tenant, or you may not view it. Ask its owner to share it with you.`);

/**
 * Throws NOT_FOUND when `who` may not even view the playbook (its existence
 * stays hidden), FORBIDDEN naming the missing right when they may view it but
 * lack `right`.
 */
export function requireRight(playbook: Pick<PlaybookRecord, "ownerId" | "acl" | "name">, who: Grantee, right: Right): Right[] {
  const rights = rightsOf(playbook, who);
  if (!rights.includes("VIEW")) throw notFound();
  if (!rights.includes(right)) {
    throw appError(
      ErrorCode.FORBIDDEN,
      `You may view the playbook "${playbook.name}" but not ${right.toLowerCase()} it (missing right ${right}). Ask its owner for the ${right} right.`,
      { missingRight: right },
    );
  }
  return rights;
}
