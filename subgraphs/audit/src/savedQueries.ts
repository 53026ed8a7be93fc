import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  appError,
  ErrorCode,
  requireUser,
  validateInput,
  type AuditHints,
  type Clock,
  type Principal,
  type TenantRepository,
} from "@intelgraph/kit";
import { auditFilterShape, type AuditFilter } from "./auditFilter.ts";

export const SAVED_QUERIES = "audit_saved_queries";

export interface SavedQuery {
  _id: string;
  tenantId: string;
  name: string;
  description: string | null;
  filter: AuditFilter;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  /** Soft delete: hidden from the list, restorable. */
  deletedAt: Date | null;
  deletedBy: string | null;
}

const savedQueryInput = z.object({
  name: z.string().trim().min(2, "at least 2 characters").max(100),
  description: z.string().trim().max(500).nullish(),
  filter: auditFilterShape,
});

/** A saved query of the tenant; NOT_FOUND if there is none (or it is deleted, unless `deleted` is asked for). */
export async function findSavedQuery(
  saved: TenantRepository<SavedQuery>,
  tenantId: string,
  id: string,
  options: { deleted?: boolean } = {},
) {
  const query = await saved.forTenant(tenantId).findOne({ _id: id });
  if (!query || (!options.deleted && query.deletedAt))
    throw appError(ErrorCode.NOT_FOUND, `No saved audit query ${id} in this tenant.`, { id });
  return query;
}

export interface SavedQueriesDeps {
  saved: TenantRepository<SavedQuery>;
  now: Clock;
}

/** Named audit filters of a tenant: listed, saved, soft-deleted and restored. */
export function createSavedQueries({ saved, now }: SavedQueriesDeps) {
  return {
    async savedQueries(principal: Principal, args: { includeDeleted?: boolean | null }): Promise<SavedQuery[]> {
      const caller = requireUser(principal);
      const includeDeleted = args.includeDeleted === true;
      return saved.forTenant(caller.tenantId).find(includeDeleted ? {} : { deletedAt: null }, { sort: { name: 1 }, limit: 200 });
    },

    async saveQuery(principal: Principal, args: { input: unknown }, hints: AuditHints): Promise<SavedQuery> {
      const caller = requireUser(principal);
      const input = validateInput(savedQueryInput, args.input);
      const repo = saved.forTenant(caller.tenantId);
      if (await repo.findOne({ name: input.name, deletedAt: null }))
        throw appError(
          ErrorCode.CONFLICT,
          `A saved audit query named "${input.name}" already exists; pick another name or delete it first.`,
          {
            name: input.name,
          },
        );
      const at = new Date(now());
      const query = await repo.insertOne({
        _id: randomUUID(),
        name: input.name,
        description: input.description ?? null,
        filter: input.filter,
        createdBy: caller.userId,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
        deletedBy: null,
      });
      hints.targetType = "AuditSavedQuery";
      hints.targetIds = [query._id];
      return query;
    },

    async deleteQuery(principal: Principal, { id }: { id: string }, hints: AuditHints): Promise<SavedQuery> {
      hints.targetType = "AuditSavedQuery";
      const caller = requireUser(principal);
      await findSavedQuery(saved, caller.tenantId, id);
      const at = new Date(now());
      return (await saved
        .forTenant(caller.tenantId)
        .findOneAndUpdate({ _id: id, deletedAt: null }, { $set: { deletedAt: at, deletedBy: caller.userId, updatedAt: at } }))!;
    },

    async restoreQuery(principal: Principal, { id }: { id: string }, hints: AuditHints): Promise<SavedQuery> {
      hints.targetType = "AuditSavedQuery";
      const caller = requireUser(principal);
      const query = await findSavedQuery(saved, caller.tenantId, id, { deleted: true });
      if (!query.deletedAt) throw appError(ErrorCode.CONFLICT, `Saved audit query "${query.name}" is not deleted.`, { id });
      if (await saved.forTenant(caller.tenantId).findOne({ name: query.name, deletedAt: null }))
        throw appError(ErrorCode.CONFLICT, `Another saved audit query is now named "${query.name}"; rename or delete it first.`, { id });
      return (await saved
        .forTenant(caller.tenantId)
        .findOneAndUpdate({ _id: id }, { $set: { deletedAt: null, deletedBy: null, updatedAt: new Date(now()) } }))!;
    },
  };
}
