import type { Db } from "mongodb";
import {
  AUDIT_COLLECTION,
  auditTopic,
  createTenantRepository,
  ensureAuditIndexes,
  requireUser,
  systemClock,
  type AuditEvent,
  type AuditRecorder,
  type Clock,
  type Principal,
  type PubSub,
} from "@intelgraph/kit";
import { AUDIT_EXPORTS, createAuditExport, type AuditExportRecord } from "./auditExport.ts";
import { createAuditSearch } from "./auditSearch.ts";
import { createSavedQueries, SAVED_QUERIES, type SavedQuery } from "./savedQueries.ts";

export type { AuditFilter } from "./auditFilter.ts";
export type { AuditExportRecord } from "./auditExport.ts";
export type { AuditPage } from "./auditSearch.ts";
export type { SavedQuery } from "./savedQueries.ts";

export interface AuditServiceDeps {
  db: Db;
  pubsub: PubSub;
  audit: AuditRecorder;
  /**
   * The clock, in ms since the epoch, for saved-query and export stamps.
   * @default systemClock
   */
  now?: Clock;
}

/**
 * Reading the audit log: search (auditSearch.ts), saved queries
 * (savedQueries.ts), export (auditExport.ts) and the live stream.
 */
export function createAuditService({ db, pubsub, audit, now = systemClock }: AuditServiceDeps) {
  const events = createTenantRepository<AuditEvent>(db, AUDIT_COLLECTION);
  const saved = createTenantRepository<SavedQuery>(db, SAVED_QUERIES, {
    indexes: [{ key: { tenantId: 1, name: 1 }, name: "tenant_name" }],
  });
  const exports = createTenantRepository<AuditExportRecord>(db, AUDIT_EXPORTS);

  return {
    async ensureIndexes() {
      await ensureAuditIndexes(db);
      await saved.ensureIndexes();
      await exports.ensureIndexes();
    },
    ...createAuditSearch({ events, saved, audit }),
    ...createSavedQueries({ saved, now }),
    ...createAuditExport({ db, events, saved, exports, now }),

    /** Live events of the caller's own tenant; the topic is derived from the principal, never from input. */
    subscribe(principal: Principal) {
      const caller = requireUser(principal);
      return pubsub.subscribe<AuditEvent>(auditTopic(caller.tenantId));
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
