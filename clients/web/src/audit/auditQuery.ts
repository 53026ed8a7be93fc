/**
 * An audit search as data: what the filters say, kept in the URL (so a search
 * can be linked and reloaded) and turned into the API's AuditEventFilter.
 * Saved queries (being built separately) store and apply exactly this shape.
 */
import type { AuditEventFilter, AuditOutcome, SavedAuditQueryFragment } from "../api/generated/graphql.ts";

export interface AuditQuery {
  action: string;
  actorId: string;
  /** e.g. Person, IngestJob, AuditSavedQuery */
  targetType: string;
  targetId: string;
  outcome: "" | AuditOutcome;
  /** `YYYY-MM-DDTHH:mm` as a datetime-local input gives it, in UTC. */
  since: string;
  until: string;
  /** Free text over the reasons people gave and error codes (the API wants ≥ 2 characters). */
  text: string;
}

export const EMPTY_AUDIT_QUERY: AuditQuery = {
  action: "",
  actorId: "",
  targetType: "",
  targetId: "",
  outcome: "",
  since: "",
  until: "",
  text: "",
};

/** The shortest free text the API accepts. */
export const MIN_TEXT = 2;

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
  if (query.targetType.trim()) filter.targetType = query.targetType.trim();
  if (query.targetId.trim()) filter.targetId = query.targetId.trim();
  if (query.outcome) filter.outcome = query.outcome;
  const text = query.text.trim();
  if (text && text.length < MIN_TEXT) return { filter: null, problem: `“Text” needs at least ${MIN_TEXT} characters.` };
  if (text) filter.text = text;
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

/** An ISO-8601 time from the API as a datetime-local value in UTC (seconds only when there are any). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  const full = new Date(at).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
  if (full.endsWith(":00.000Z")) return full.slice(0, 16);
  return full.endsWith(".000Z") ? full.slice(0, 19) : full.slice(0, 23);
}

/** A saved query's filter as the form's search, so applying it puts it in the URL. */
export function auditQueryFromSaved(filter: SavedAuditQueryFragment["filter"]): AuditQuery {
  return {
    action: filter.action ?? "",
    actorId: filter.actorId ?? "",
    targetType: filter.targetType ?? "",
    targetId: filter.targetId ?? "",
    outcome: filter.outcome ?? "",
    since: toLocalInput(filter.since),
    until: toLocalInput(filter.until),
    text: filter.text ?? "",
  };
}

/** Whether two searches select the same events (same URL once normalised). */
export const sameAuditQuery = (a: AuditQuery, b: AuditQuery) => auditQueryToSearch(a) === auditQueryToSearch(b);

const LABELS: Record<keyof AuditQuery, string> = {
  action: "action",
  actorId: "actor",
  targetType: "target type",
  targetId: "target",
  outcome: "outcome",
  since: "from",
  until: "to",
  text: "text",
};

/** A one-line summary of a search, e.g. `action approveIngestMapping · outcome SUCCESS`. */
export function describeAuditQuery(query: AuditQuery): string {
  const parts = KEYS.filter((k) => query[k].trim()).map((k) => {
    const value = query[k].trim();
    return k === "text" ? `${LABELS[k]} “${value}”` : `${LABELS[k]} ${k === "since" || k === "until" ? value.replace("T", " ") : value}`;
  });
  return parts.length ? parts.join(" · ") : "all events";
}
