/**
 * The signed-in session: token, user and tenant, kept in sessionStorage (this
 * tab only, gone when it closes). Refreshed before it expires with the
 * single-use refresh token (docs/security.md).
 */
import { createSignal } from "solid-js";
import type { SignedInUserFragment } from "./generated/graphql.ts";

export interface Session {
  token: string;
  expiresAt: string;
  refreshToken: string;
  user: SignedInUserFragment;
}

const KEY = "intelgraph.session";

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    return Date.parse(session.expiresAt) > Date.now() ? session : null;
  } catch {
    return null;
  }
}

const [session, setSessionSignal] = createSignal<Session | null>(load());

export { session };

export function setSession(next: Session | null) {
  if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
  else sessionStorage.removeItem(KEY);
  setSessionSignal(next);
}

export const currentToken = () => session()?.token ?? null;

/** Roles that may approve mappings and read the audit log (docs/security.md). */
export const canApprove = () => session()?.user.role === "ADMIN";
/** Suppression rules are changed with `intel:manage`, which only admins hold (policies/src/permissions.ts); others may read and dry-run them. */
export const canManageIntel = () => session()?.user.role === "ADMIN";
export const canReadAudit = () => ["ADMIN", "COMPLIANCE"].includes(session()?.user.role ?? "");
