/**
 * Subject access export: everything the tenant holds about a data subject —
 * the entities that identify them, their graph neighbourhood, the audit
 * events that name those entities, and provenance (ingest jobs, merge
 * decisions) — as JSON and CSV files with a manifest of checksums, labelled
 * with the tenant's residency. Stored so the package can be downloaded again;
 * the request and every download are audited.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import type { Driver } from "neo4j-driver";
import { z } from "zod";
import {
  AUDIT_COLLECTION,
  appError,
  createTenantRepository,
  ErrorCode,
  requireResidency,
  requireUser,
  systemClock,
  validateInput,
  type AuditEvent,
  type AuditRecorder,
  type Clock,
  type Principal,
  type RequestContext,
  type Residency,
} from "@intelgraph/kit";
import type { IngestStore } from "../ingest/ingestStore.ts";
import { markingsParam } from "../visibility.ts";
import { collectSubject, MAX_NODES } from "./collectSubject.ts";
import { subjectExportFiles, type ExportFile, type SubjectExportCounts } from "./subjectExportFiles.ts";

const input = z.object({
  identifier: z.string().trim().min(2, "at least 2 characters").max(320),
  hops: z.number().int().min(0).max(2, "at most 2 hops").nullish(),
  destinationRegion: z.string().trim().max(40),
});

const MAX_AUDIT = 5000;

export interface SubjectExportDoc {
  _id: string;
  tenantId: string;
  identifier: string;
  residency: Residency;
  files: ExportFile[];
  counts: SubjectExportCounts;
  requestedBy: string;
  at: Date;
}

export interface SubjectExportOptions {
  db: Db;
  driver: Driver;
  database: string;
  audit: AuditRecorder;
  store: IngestStore;
  labelsFor(tenantId: string): Promise<string[]>;
  /**
   * When an export was made.
   * @default systemClock
   */
  now?: Clock;
}

export function createSubjectExportService(options: SubjectExportOptions) {
  const { now = systemClock } = options;
  const exports = createTenantRepository<SubjectExportDoc>(options.db, "graph_subject_exports");
  const auditEvents = createTenantRepository<AuditEvent>(options.db, AUDIT_COLLECTION);
  const { jobs, merges } = options.store;

  async function audited(ctx: RequestContext, action: string, exportId: string, args: Record<string, unknown>) {
    const caller = requireUser(ctx.principal);
    await options.audit.record({
      tenantId: caller.tenantId,
      actor: { userId: caller.userId, kind: caller.kind, ...(caller.tokenId ? { tokenId: caller.tokenId } : {}) },
      action,
      service: "graph",
      targetType: "SubjectExport",
      targetIds: [exportId],
      outcome: "success",
      errorCode: null,
      requestId: ctx.requestId,
      arguments: args,
    });
  }

  return {
    ensureIndexes: () => exports.ensureIndexes(),

    async create(principal: Principal, raw: unknown): Promise<SubjectExportDoc> {
      const caller = requireUser(principal);
      const args = validateInput(input, raw);
      // Residency first: nothing is gathered for a destination the data may not go to.
      const residency = await requireResidency(options.db, caller.tenantId, args.destinationRegion);
      const scope = { tenantId: caller.tenantId, markings: markingsParam(caller) };
      const found = await collectSubject(options, scope, args.identifier, args.hops ?? 1);
      if (!found?.subjectIds.length)
        throw appError(ErrorCode.NOT_FOUND, `Nothing in your tenant is identified by "${args.identifier}" (id, e-mail, name or address).`, {
          identifier: args.identifier,
        });
      const subjectIds = [...new Set(found.subjectIds)];
      const events = await auditEvents
        .forTenant(caller.tenantId)
        .find({ targetIds: { $in: subjectIds } } as never, { sort: { at: 1 }, limit: MAX_AUDIT + 1 });
      const jobIds = [...new Set(found.nodes.flatMap((n) => (n.properties["ingestJobIds"] as string[] | undefined) ?? []))];
      const jobDocs = jobIds.length ? await jobs.forTenant(caller.tenantId).find({ _id: { $in: jobIds } } as never) : [];
      const mergeDocs = await merges.forTenant(caller.tenantId).find({ entityId: { $in: subjectIds } } as never, { limit: 1000 });
      const id = randomUUID();
      const at = new Date(now());
      const { files, counts } = subjectExportFiles({
        exportId: id,
        tenantId: caller.tenantId,
        identifier: args.identifier,
        hops: args.hops ?? 1,
        destinationRegion: args.destinationRegion,
        requestedBy: caller.userId,
        at,
        residency,
        found,
        events,
        maxAudit: MAX_AUDIT,
        truncated: found.nodes.length >= MAX_NODES || events.length > MAX_AUDIT,
        jobDocs,
        mergeDocs,
      });
      return exports
        .forTenant(caller.tenantId)
        .insertOne({ _id: id, identifier: args.identifier, residency, files, counts, requestedBy: caller.userId, at });
    },

    /** The stored package again; each download is audited. */
    async download(ctx: RequestContext, input: { id: string }): Promise<SubjectExportDoc> {
      const caller = requireUser(ctx.principal);
      const { id } = input;
      const doc = await exports.forTenant(caller.tenantId).findOne({ _id: id });
      if (!doc) throw appError(ErrorCode.NOT_FOUND, `No subject export ${id} in your tenant.`, { id });
      await audited(ctx, "downloadSubjectExport", id, { identifier: doc.identifier });
      return doc;
    },

    async list(principal: Principal) {
      const caller = requireUser(principal);
      return exports.forTenant(caller.tenantId).find({}, { sort: { at: -1 }, limit: 100, projection: { files: 0 } });
    },
  };
}

export type SubjectExportService = ReturnType<typeof createSubjectExportService>;
