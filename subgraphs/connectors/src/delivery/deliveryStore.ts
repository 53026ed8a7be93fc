/**
 * Deliveries, links (our incident ↔ sys_id), dead letters and replay claims,
 * all tenant-scoped. Replays are claimed by inserting a fixed `_id`
 * (`<dead letter>#<replay n>`): FerretDB applies filtered updates as read,
 * then write, so only a unique _id makes one process the replayer.
 */
import type { Db } from "mongodb";
import { createTenantRepository, isDuplicateKeyError, type TenantDocument } from "@intelgraph/kit";

export type Action = "UPSERT" | "RESOLVE";

/** What is sent, kept so a replay sends the same thing without reading the graph again. */
export interface DeliveryPayload {
  correlationId: string;
  fields: Record<string, string>;
  /** Indicators as a work note, added on create and when they changed. */
  indicatorNote: string | null;
  workNotes: string | null;
  resolve: { closeCode: string; closeNotes: string } | null;
}

export interface DeliveryRecord extends TenantDocument {
  connectorId: string;
  incidentId: string;
  action: Action;
  status: "DELIVERED" | "PENDING" | "DEAD_LETTERED";
  sysId: string | null;
  number: string | null;
  attempts: number;
  lastError: string | null;
  created: boolean;
  latencyMs: number | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface LinkRecord extends TenantDocument {
  /** `<connectorId>:<incidentId>` */
  connectorId: string;
  incidentId: string;
  sysId: string;
  number: string;
  correlationId: string;
  indicatorNote: string | null;
  linkedAt: Date;
}

export interface DeadLetterRecord extends TenantDocument {
  connectorId: string;
  deliveryId: string;
  incidentId: string;
  action: Action;
  payload: DeliveryPayload;
  status: "PENDING" | "REPLAYED" | "EXHAUSTED";
  attempts: number;
  replays: number;
  lastError: string;
  nextAttemptAt: Date | null;
  createdAt: Date;
  replayedAt: Date | null;
}

interface ReplayClaim extends TenantDocument {
  deadLetterId: string;
  owner: string;
  claimedAt: Date;
}

export const DEAD_LETTERS = "connector_dead_letters";

export function createDeliveryStore(db: Db) {
  const deliveries = createTenantRepository<DeliveryRecord>(db, "connector_deliveries", {
    indexes: [{ key: { tenantId: 1, connectorId: 1, createdAt: -1 } }],
  });
  const links = createTenantRepository<LinkRecord>(db, "connector_links");
  const deadLetters = createTenantRepository<DeadLetterRecord>(db, DEAD_LETTERS, {
    indexes: [{ key: { status: 1, nextAttemptAt: 1 } }, { key: { tenantId: 1, connectorId: 1, status: 1 } }],
  });
  const claims = createTenantRepository<ReplayClaim>(db, "connector_replay_claims");

  return {
    deliveries,
    links,
    deadLetters,
    async ensureIndexes() {
      await Promise.all([deliveries.ensureIndexes(), links.ensureIndexes(), deadLetters.ensureIndexes(), claims.ensureIndexes()]);
    },
    linkId: (connectorId: string, incidentId: string) => `${connectorId}:${incidentId}`,

    /** Stores the link once; a second writer (same sys_id, found by correlation_id) is a no-op. */
    async saveLink(tenantId: string, link: Omit<LinkRecord, "tenantId">): Promise<void> {
      try {
        await links.forTenant(tenantId).insertOne(link);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        await links.forTenant(tenantId).updateOne({ _id: link._id }, { $set: { indicatorNote: link.indicatorNote } });
      }
    },

    /** True when this caller won replay number `replay` of the dead letter. */
    async claimReplay(tenantId: string, deadLetterId: string, replay: number, owner: string, at: Date): Promise<boolean> {
      try {
        await claims.forTenant(tenantId).insertOne({ _id: `${deadLetterId}#${replay}`, deadLetterId, owner, claimedAt: at });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },

    pendingDepth: (tenantId: string, connectorId: string) =>
      deadLetters.forTenant(tenantId).countDocuments({ connectorId, status: "PENDING" }),
  };
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;
