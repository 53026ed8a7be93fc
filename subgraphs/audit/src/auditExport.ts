import { createHash, randomUUID } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import type { Db } from "mongodb";
import { z } from "zod";
import {
  requireResidency,
  requireUser,
  validateInput,
  type AuditEvent,
  type AuditHints,
  type Clock,
  type Principal,
  type Residency,
  type TenantRepository,
} from "@intelgraph/kit";
import { auditFilterShape, queryOf, type AuditFilter } from "./auditFilter.ts";
import { filterFor } from "./auditSearch.ts";
import type { SavedQuery } from "./savedQueries.ts";

export const AUDIT_EXPORTS = "audit_exports";

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

const exportInput = z.object({
  filter: auditFilterShape.nullish(),
  savedQueryId: z.string().max(100).nullish(),
  format: z.enum(["CSV", "JSON"]),
  destinationRegion: z.string().trim().max(40),
  limit: z.number().int().min(1).max(10_000, "at most 10000 events per export; narrow the filter or page by time").nullish(),
});

/** One event as an export row: flat, so CSV and JSON carry the same columns. */
const flatten = (e: AuditEvent) => ({
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
});

export interface AuditExportDeps {
  /** For the tenant's residency. */
  db: Db;
  events: TenantRepository<AuditEvent>;
  saved: TenantRepository<SavedQuery>;
  exports: TenantRepository<AuditExportRecord>;
  now: Clock;
}

export function createAuditExport({ db, events, saved, exports, now }: AuditExportDeps) {
  return {
    /**
     * The events a filter (or saved query) selects, newest first, as CSV or
     * JSON, labelled with the tenant's residency. Fails closed when the
     * destination is outside the tenant's region.
     */
    async exportEvents(principal: Principal, args: { input: unknown }, hints: AuditHints) {
      const caller = requireUser(principal);
      const input = validateInput(exportInput, args.input);
      const residency = await requireResidency(db, caller.tenantId, input.destinationRegion);
      const filter = await filterFor(saved, caller.tenantId, input);
      const limit = input.limit ?? 10_000;
      const rows = await events.forTenant(caller.tenantId).find(queryOf(filter), { sort: { at: -1, _id: -1 }, limit: limit + 1 });
      const truncated = rows.length > limit;
      const selected = rows.slice(0, limit);
      const flat = selected.map(flatten);
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
        at: new Date(now()),
      });
      hints.targetType = "AuditExport";
      hints.targetIds = [record._id];
      return { ...record, content };
    },
  };
}
