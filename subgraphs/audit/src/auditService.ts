import type { Db, Filter } from "mongodb";
import { z } from "zod";
import {
  AUDIT_COLLECTION,
  createTenantRepository,
  auditTopic,
  decodeCursor,
  encodeCursor,
  ensureAuditIndexes,
  pageSize,
  requireUser,
  validateInput,
  type AuditEvent,
  type Principal,
  type PubSub,
} from "@intelgraph/kit";

const isoDate = z.iso.datetime({ offset: true, error: "an ISO-8601 date-time such as 2026-01-31T00:00:00Z" }).transform((s) => new Date(s));

const filterInput = z
  .object({
    action: z.string().max(100).nullish(),
    actorId: z.string().max(100).nullish(),
    targetId: z.string().max(100).nullish(),
    outcome: z.enum(["SUCCESS", "FAILURE"]).nullish(),
    since: isoDate.nullish(),
    until: isoDate.nullish(),
  })
  .nullish();

export interface AuditPage {
  nodes: AuditEvent[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export function createAuditService(deps: { db: Db; pubsub: PubSub }) {
  const events = createTenantRepository<AuditEvent>(deps.db, AUDIT_COLLECTION);
  return {
    ensureIndexes: () => ensureAuditIndexes(deps.db),

    async list(principal: Principal, args: { filter?: unknown; first?: number | null; after?: string | null }): Promise<AuditPage> {
      const caller = requireUser(principal);
      const filter = validateInput(filterInput, args.filter);
      const limit = pageSize(args.first);
      const query: Filter<AuditEvent> = {};
      if (filter?.action) query.action = filter.action;
      if (filter?.actorId) query["actor.userId"] = filter.actorId;
      if (filter?.targetId) query.targetIds = filter.targetId;
      if (filter?.outcome) query.outcome = filter.outcome === "SUCCESS" ? "success" : "failure";
      const at: Record<string, Date> = {};
      if (filter?.since) at["$gte"] = filter.since;
      if (filter?.until) at["$lt"] = filter.until;
      const and: Filter<AuditEvent>[] = [];
      if (Object.keys(at).length) and.push({ at } as Filter<AuditEvent>);
      if (args.after) {
        const cursor = decodeCursor(args.after);
        and.push({ $or: [{ at: { $lt: cursor.at } }, { at: cursor.at, _id: { $lt: cursor.id } }] } as Filter<AuditEvent>);
      }
      if (and.length) query.$and = and;
      const rows = await events.forTenant(caller.tenantId).find(query, { sort: { at: -1, _id: -1 }, limit: limit + 1 });
      const nodes = rows.slice(0, limit) as AuditEvent[];
      const last = nodes[nodes.length - 1];
      return {
        nodes,
        pageInfo: { hasNextPage: rows.length > limit, endCursor: last ? encodeCursor({ at: last.at, id: last._id }) : null },
      };
    },

    /** Live events of the caller's own tenant; the topic is derived from the principal, never from input. */
    subscribe(principal: Principal) {
      const caller = requireUser(principal);
      return deps.pubsub.subscribe<AuditEvent>(auditTopic(caller.tenantId));
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
