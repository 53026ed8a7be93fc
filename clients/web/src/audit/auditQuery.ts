/**
 * An audit search as data: what the filters say, kept in the URL (so a search
 * can be linked and reloaded) and turned into the API's AuditEventFilter.
 * Saved queries (being built separately) store and apply exactly this shape.
 */
import type { AuditEventFilter, AuditOutcome } from "../api/generated/graphql.ts";

export interface AuditQuery {
  action: string;
  actorId: string;
  targetId: string;
  outcome: "" | AuditOutcome;
  /** `YYYY-MM-DDTHH:mm` as a datetime-local input gives it, in UTC. */
  since: string;
  until: string;
}

export const EMPTY_AUDIT_QUERY: AuditQuery = { action: "", actorId: "", targetId: "", outcome: "", since: "", until: "" };

const KEYS = Object.keys(EMPTY_AUDIT_QUERY) as Array<keyof AuditQuery>;

export function auditQueryFromSearch(search: string): AuditQuery {
  const params = new URLSearchParams(search);
  const query = { ...EMPTY_AUDIT_QUERY };
  for (const key of KEYS) {
    const value = params.get(key)?.trim() ?? "";
    if (key === "outcome") query.outcome = value === "SUCCESS" || value === "FAILURE" ? value : "";
    else query[key] = value;
  }
  return query;
}

export function auditQueryToSearch(query: AuditQuery): string {
  const params = new URLSearchParams();
  for (const key of KEYS) if (query[key].trim()) params.set(key, query[key].trim());
  return params.toString();
}

/** A datetime-local value (UTC) as ISO-8601, or null when it is not a time. */
function toIso(value: string): string | null {
  if (!value) return null;
  const at = Date.parse(/Z$|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

/** The API filter, or a message naming the field that is wrong. */
export function auditFilterOf(query: AuditQuery): { filter: AuditEventFilter; problem: null } | { filter: null; problem: string } {
  const filter: AuditEventFilter = {};
  if (query.action.trim()) filter.action = query.action.trim();
  if (query.actorId.trim()) filter.actorId = query.actorId.trim();
  if (query.targetId.trim()) filter.targetId = query.targetId.trim();
  if (query.outcome) filter.outcome = query.outcome;
  const since = toIso(query.since);
  const until = toIso(query.until);
  if (query.since && !since) return { filter: null, problem: "“From” is not a date and time." };
  if (query.until && !until) return { filter: null, problem: "“To” is not a date and time." };
  if (since && until && since >= until) return { filter: null, problem: "“From” must be before “To”." };
  if (since) filter.since = since;
  if (until) filter.until = until;
  return { filter, problem: null };
}

export const isEmptyAuditQuery = (query: AuditQuery) => KEYS.every((k) => !query[k].trim());
