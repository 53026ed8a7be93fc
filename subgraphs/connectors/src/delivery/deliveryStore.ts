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

/** Held while one process creates the ServiceNow incident of a link, so no other creates a second one. */
interface CreateClaim extends TenantDocument {
  linkId: string;
  claimedAt: Date;
}

/** A create claim older than this belongs to a process that died mid-create; the next one may take over. */
export const CREATE_CLAIM_STALE_MS = 120_000;

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
  const createClaims = createTenantRepository<CreateClaim>(db, "connector_create_claims");

  return {
    deliveries,
    links,
    deadLetters,
    async ensureIndexes() {
      await Promise.all([
        deliveries.ensureIndexes(),
        links.ensureIndexes(),
        deadLetters.ensureIndexes(),
        claims.ensureIndexes(),
        createClaims.ensureIndexes(),
      ]);
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

    /**
     * Claims the creation of a link's incident across processes: generation `n` of the claim is the document
     * `<link>#create#<n>` (a fixed _id, the one insert FerretDB makes exclusive). A held, fresh claim means someone
     * else is creating it now; a stale one (its process died) is superseded by generation n + 1. Returns a release.
     */
    async claimCreate(tenantId: string, linkId: string, at: Date): Promise<(() => Promise<void>) | null> {
      const repo = createClaims.forTenant(tenantId);
      for (let generation = 1; generation <= 20; generation++) {
        const _id = `${linkId}#create#${generation}`;
        try {
          await repo.insertOne({ _id, linkId, claimedAt: at });
          return async () => void (await repo.deleteOne({ _id }));
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          const held = await repo.findOne({ _id });
          if (held && at.getTime() - held.claimedAt.getTime() < CREATE_CLAIM_STALE_MS) return null;
        }
      }
      return null;
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
