import type { Filter } from "mongodb";
import { z } from "zod";
import type { AuditEvent } from "@intelgraph/kit";

const isoDate = z.iso.datetime({ offset: true, error: "an ISO-8601 date-time such as 2026-01-31T00:00:00Z" });

/** What a search, a saved query or an export selects. */
export const auditFilterShape = z
  .object({
    action: z.string().max(100).nullish(),
    actorId: z.string().max(100).nullish(),
    targetType: z.string().max(100).nullish(),
    targetId: z.string().max(100).nullish(),
    outcome: z.enum(["SUCCESS", "FAILURE"]).nullish(),
    since: isoDate.nullish(),
    until: isoDate.nullish(),
    text: z.string().trim().min(2, "at least 2 characters").max(200).nullish(),
  })
  .strict()
  .refine((f) => !f.since || !f.until || f.since < f.until, { message: "since must be before until", path: ["since"] });

export type AuditFilter = z.infer<typeof auditFilterShape>;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Where free text is looked for: the reasons people give (overrides, approvals, holds, retention) and error codes. */
const TEXT_FIELDS = [
  "arguments.reason",
  "arguments.input.reason",
  "arguments.approvalOverride.reason",
  "arguments.input.approvalOverride.reason",
  "errorCode",
];

/** The Mongo query of a filter (within the tenant: the repository adds it). */
export function queryOf(filter: AuditFilter | null | undefined): Filter<AuditEvent> {
  const query: Filter<AuditEvent> = {};
  const and: Filter<AuditEvent>[] = [];
  if (!filter) return query;
  if (filter.action) query.action = filter.action;
  if (filter.actorId) query["actor.userId"] = filter.actorId;
  if (filter.targetType) query.targetType = filter.targetType;
  if (filter.targetId) query.targetIds = filter.targetId;
  if (filter.outcome) query.outcome = filter.outcome === "SUCCESS" ? "success" : "failure";
  const at: Record<string, Date> = {};
  if (filter.since) at["$gte"] = new Date(filter.since);
  if (filter.until) at["$lt"] = new Date(filter.until);
  if (Object.keys(at).length) and.push({ at } as Filter<AuditEvent>);
  if (filter.text) {
    const regex = { $regex: escapeRegex(filter.text), $options: "i" };
    and.push({ $or: TEXT_FIELDS.map((field) => ({ [field]: regex })) } as Filter<AuditEvent>);
  }
  if (and.length) query.$and = and;
  return query;
}
