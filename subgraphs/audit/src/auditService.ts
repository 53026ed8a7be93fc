import { createHash, randomUUID } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import type { Db, Filter } from "mongodb";
import { z } from "zod";
import {
  AUDIT_COLLECTION,
  appError,
  createTenantRepository,
  auditTopic,
  decodeCursor,
  encodeCursor,
  ensureAuditIndexes,
  ErrorCode,
  pageSize,
  requireResidency,
  requireUser,
  validateInput,
  type AuditEvent,
  type AuditRecorder,
  type Principal,
  type PubSub,
  type RequestContext,
  type Residency,
} from "@intelgraph/kit";

const isoDate = z.iso.datetime({ offset: true, error: "an ISO-8601 date-time such as 2026-01-31T00:00:00Z" });

const filterShape = z
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

export type AuditFilter = z.infer<typeof filterShape>;

const savedQueryInput = z.object({
  name: z.string().trim().min(2, "at least 2 characters").max(100),
  description: z.string().trim().max(500).nullish(),
  filter: filterShape,
});

const exportInput = z.object({
  filter: filterShape.nullish(),
  savedQueryId: z.string().max(100).nullish(),
  format: z.enum(["CSV", "JSON"]),
  destinationRegion: z.string().trim().max(40),
  limit: z.number().int().min(1).max(10_000, "at most 10000 events per export; narrow the filter or page by time").nullish(),
});

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

export interface AuditExportRecord {
  _id: string;
  tenantId: string;
  format: "CSV" | "JSON";
  filter: AuditFilter | null;
  savedQueryId: string | null;
  destinationRegion: string;
  residency: Residency;
  rows: number;
  truncated: boolean;
  sha256: string;
  requestedBy: string;
  at: Date;
}

export interface AuditPage {
  nodes: AuditEvent[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Where free text is looked for: the reasons people give (overrides, approvals, holds, retention) and error codes. */
const TEXT_FIELDS = [
  "arguments.reason",
  "arguments.input.reason",
  "arguments.approvalOverride.reason",
  "arguments.input.approvalOverride.reason",
  "errorCode",
];

function queryOf(filter: AuditFilter | null | undefined): Filter<AuditEvent> {
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

export function createAuditService(deps: { db: Db; pubsub: PubSub; audit: AuditRecorder }) {
  const events = createTenantRepository<AuditEvent>(deps.db, AUDIT_COLLECTION);
  const saved = createTenantRepository<SavedQuery>(deps.db, "audit_saved_queries", {
    indexes: [{ key: { tenantId: 1, name: 1 }, name: "tenant_name" }],
  });
  const exports = createTenantRepository<AuditExportRecord>(deps.db, "audit_exports");

  async function savedQuery(tenantId: string, id: string, options: { deleted?: boolean } = {}) {
    const query = await saved.forTenant(tenantId).findOne({ _id: id });
    if (!query || (!options.deleted && query.deletedAt))
      throw appError(ErrorCode.NOT_FOUND, `No saved audit query ${id} in this tenant.`, { id });
    return query;
  }

  /** Reading the audit log is itself audited (who looked, for what). */
  async function recordRead(ctx: RequestContext, what: string, args: Record<string, unknown>) {
    const caller = requireUser(ctx.principal);
    await deps.audit.record({
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
      requestId: ctx.requestId,
      arguments: args,
    });
  }

  async function filterFor(tenantId: string, args: { filter?: unknown; savedQueryId?: string | null }) {
    if (args.savedQueryId && args.filter)
      throw appError(ErrorCode.BAD_USER_INPUT, "Give either a filter or a savedQueryId, not both.", { argument: "savedQueryId" });
    if (args.savedQueryId) return (await savedQuery(tenantId, args.savedQueryId)).filter;
    return validateInput(filterShape.nullish(), args.filter) ?? null;
  }

  return {
    async ensureIndexes() {
      await ensureAuditIndexes(deps.db);
      await saved.ensureIndexes();
      await exports.ensureIndexes();
    },

    async list(
      ctx: RequestContext,
      args: { filter?: unknown; savedQueryId?: string | null; first?: number | null; after?: string | null },
    ): Promise<AuditPage> {
      const caller = requireUser(ctx.principal);
      const filter = await filterFor(caller.tenantId, args);
      const limit = pageSize(args.first);
      const query = queryOf(filter);
      if (args.after) {
        const cursor = decodeCursor(args.after);
        (query.$and ??= []).push({ $or: [{ at: { $lt: cursor.at } }, { at: cursor.at, _id: { $lt: cursor.id } }] } as Filter<AuditEvent>);
      }
      const rows = await events.forTenant(caller.tenantId).find(query, { sort: { at: -1, _id: -1 }, limit: limit + 1 });
      await recordRead(ctx, "readAuditLog", { filter, savedQueryId: args.savedQueryId ?? null, first: limit, after: args.after ?? null });
      const nodes = rows.slice(0, limit) as AuditEvent[];
      const last = nodes[nodes.length - 1];
      return {
        nodes,
        pageInfo: { hasNextPage: rows.length > limit, endCursor: last ? encodeCursor({ at: last.at, id: last._id }) : null },
      };
    },

    async savedQueries(principal: Principal, includeDeleted: boolean): Promise<SavedQuery[]> {
      const caller = requireUser(principal);
      return saved.forTenant(caller.tenantId).find(includeDeleted ? {} : { deletedAt: null }, { sort: { name: 1 }, limit: 200 });
    },

    async saveQuery(principal: Principal, raw: unknown): Promise<SavedQuery> {
      const caller = requireUser(principal);
      const input = validateInput(savedQueryInput, raw);
      const repo = saved.forTenant(caller.tenantId);
      if (await repo.findOne({ name: input.name, deletedAt: null }))
        throw appError(
          ErrorCode.CONFLICT,
          `A saved audit query named "${input.name}" already exists; pick another name or delete it first.`,
          {
            name: input.name,
          },
        );
      const now = new Date();
      return repo.insertOne({
        _id: randomUUID(),
        name: input.name,
        description: input.description ?? null,
        filter: input.filter,
        createdBy: caller.userId,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
        deletedBy: null,
      });
    },

    async deleteQuery(principal: Principal, id: string): Promise<SavedQuery> {
      const caller = requireUser(principal);
      await savedQuery(caller.tenantId, id);
      return (await saved
        .forTenant(caller.tenantId)
        .findOneAndUpdate(
          { _id: id, deletedAt: null },
          { $set: { deletedAt: new Date(), deletedBy: caller.userId, updatedAt: new Date() } },
        ))!;
    },

    async restoreQuery(principal: Principal, id: string): Promise<SavedQuery> {
      const caller = requireUser(principal);
      const query = await savedQuery(caller.tenantId, id, { deleted: true });
      if (!query.deletedAt) throw appError(ErrorCode.CONFLICT, `Saved audit query "${query.name}" is not deleted.`, { id });
      if (await saved.forTenant(caller.tenantId).findOne({ name: query.name, deletedAt: null }))
        throw appError(ErrorCode.CONFLICT, `Another saved audit query is now named "${query.name}"; rename or delete it first.`, { id });
      return (await saved
        .forTenant(caller.tenantId)
        .findOneAndUpdate({ _id: id }, { $set: { deletedAt: null, deletedBy: null, updatedAt: new Date() } }))!;
    },

    /**
     * The events a filter (or saved query) selects, newest first, as CSV or
     * JSON, labelled with the tenant's residency. Fails closed when the
     * destination is outside the tenant's region.
     */
    async exportEvents(ctx: RequestContext, raw: unknown) {
      const caller = requireUser(ctx.principal);
      const input = validateInput(exportInput, raw);
      const residency = await requireResidency(deps.db, caller.tenantId, input.destinationRegion);
      const filter = await filterFor(caller.tenantId, input);
      const limit = input.limit ?? 10_000;
      const rows = await events.forTenant(caller.tenantId).find(queryOf(filter), { sort: { at: -1, _id: -1 }, limit: limit + 1 });
      const truncated = rows.length > limit;
      const selected = rows.slice(0, limit);
      const flat = selected.map((e) => ({
        id: e._id,
        seq: e.seq ?? null,
        at: new Date(e.at).toISOString(),
        action: e.action,
        service: e.service,
        actorKind: e.actor.kind,
        actorUserId: e.actor.userId,
        actorTokenId: e.actor.tokenId ?? null,
        targetType: e.targetType,
        targetIds: e.targetIds.join(" "),
        outcome: e.outcome,
        errorCode: e.errorCode,
        requestId: e.requestId,
        arguments: JSON.stringify(e.arguments ?? {}),
        hash: e.hash ?? null,
      }));
      const content =
        input.format === "CSV"
          ? stringify(flat, { header: true, columns: Object.keys(flat[0] ?? { id: "" }), cast: { object: (v) => JSON.stringify(v) } })
          : JSON.stringify({ residency, tenantId: caller.tenantId, filter, truncated, events: flat }, null, 2);
      const record = await exports.forTenant(caller.tenantId).insertOne({
        _id: randomUUID(),
        format: input.format,
        filter,
        savedQueryId: input.savedQueryId ?? null,
        destinationRegion: input.destinationRegion,
        residency,
        rows: selected.length,
        truncated,
        sha256: createHash("sha256").update(content).digest("hex"),
        requestedBy: caller.userId,
        at: new Date(),
      });
      return { ...record, content };
    },

    /** Live events of the caller's own tenant; the topic is derived from the principal, never from input. */
    subscribe(principal: Principal) {
      const caller = requireUser(principal);
      return deps.pubsub.subscribe<AuditEvent>(auditTopic(caller.tenantId));
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
