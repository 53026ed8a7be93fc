import type { Filter } from "mongodb";
import {
  appError,
  decodeCursor,
  encodeCursor,
  ErrorCode,
  pageSize,
  requireUser,
  validateInput,
  type AuditEvent,
  type AuditRecorder,
  type Principal,
  type TenantRepository,
} from "@intelgraph/kit";
import { auditFilterShape, queryOf, type AuditFilter } from "./auditFilter.ts";
import { findSavedQuery, type SavedQuery } from "./savedQueries.ts";

export interface AuditPage {
  nodes: AuditEvent[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The filter a request names: given inline, or by a saved query of the tenant (not both). */
export async function filterFor(
  saved: TenantRepository<SavedQuery>,
  tenantId: string,
  args: { filter?: unknown; savedQueryId?: string | null },
): Promise<AuditFilter | null> {
  if (args.savedQueryId && args.filter)
    throw appError(ErrorCode.BAD_USER_INPUT, "Give either a filter or a savedQueryId, not both.", { argument: "savedQueryId" });
  if (args.savedQueryId) return (await findSavedQuery(saved, tenantId, args.savedQueryId)).filter;
  return validateInput(auditFilterShape.nullish(), args.filter) ?? null;
}

export interface AuditSearchDeps {
  events: TenantRepository<AuditEvent>;
  saved: TenantRepository<SavedQuery>;
  audit: AuditRecorder;
}

/** Searching the tenant's audit log, newest first, a page at a time; every search is itself audited. */
export function createAuditSearch({ events, saved, audit }: AuditSearchDeps) {
  /** Reading the audit log is itself audited (who looked, for what). */
  async function recordRead(principal: Principal, requestId: string, what: string, args: Record<string, unknown>) {
    const caller = requireUser(principal);
    await audit.record({
      tenantId: caller.tenantId,
      actor: {
        userId: caller.userId,
        kind: caller.kind,
        ...(caller.kind === "token" && caller.tokenId ? { tokenId: caller.tokenId } : {}),
      },
      action: what,
      service: "audit",
      targetType: "AuditLog",
      targetIds: [],
      outcome: "success",
      errorCode: null,
      requestId,
      arguments: args,
    });
  }

  return {
    /** `requestId` names the search in its own audit event. */
    async list(
      principal: Principal,
      args: { filter?: unknown; savedQueryId?: string | null; first?: number | null; after?: string | null },
      requestId: string,
    ): Promise<AuditPage> {
      const caller = requireUser(principal);
      const filter = await filterFor(saved, caller.tenantId, args);
      const limit = pageSize(args.first);
      const query = queryOf(filter);
      if (args.after) {
        const cursor = decodeCursor(args.after);
        (query.$and ??= []).push({ $or: [{ at: { $lt: cursor.at } }, { at: cursor.at, _id: { $lt: cursor.id } }] } as Filter<AuditEvent>);
      }
      const rows = await events.forTenant(caller.tenantId).find(query, { sort: { at: -1, _id: -1 }, limit: limit + 1 });
      await recordRead(principal, requestId, "readAuditLog", {
        filter,
        savedQueryId: args.savedQueryId ?? null,
        first: limit,
        after: args.after ?? null,
      });
      const nodes = rows.slice(0, limit) as AuditEvent[];
      const last = nodes[nodes.length - 1];
      return {
        nodes,
        pageInfo: { hasNextPage: rows.length > limit, endCursor: last ? encodeCursor({ at: last.at, id: last._id }) : null },
      };
    },
  };
}
