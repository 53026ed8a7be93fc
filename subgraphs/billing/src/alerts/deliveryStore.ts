import { createHash } from "node:crypto";
import type { Db } from "mongodb";
import { createTenantRepository, isDuplicateKeyError, type AttemptOutcome, type SealedSecret, type TenantDocument } from "@intelgraph/kit";

export const ALERT_DELIVERIES = "billing_alert_deliveries";
/** One document per attempt number of a delivery: its fixed `_id` is what makes an attempt exactly-once. */
export const ALERT_DELIVERY_ATTEMPTS = "billing_alert_delivery_attempts";

export type DeliveryChannel = "WEBHOOK" | "EMAIL";
export type DeliveryStatus = "PENDING" | "DELIVERED" | "FAILED";

/** A delivery as stored: the public record plus what a retry needs and the lease. */
export interface StoredDelivery extends TenantDocument {
  alertId: string;
  channel: DeliveryChannel;
  /** A webhook's display URL (no credentials, no query) or the e-mail address. */
  target: string;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  lastStatusCode: number | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  leaseUntil: Date | null;
  /** WEBHOOK: the full URL, the signing secret (removed once the delivery is settled) and the body sent on every attempt. */
  webhookUrl?: string;
  /** Sealed (kit's secretBox): the store never holds it in the clear. */
  webhookSecret?: SealedSecret;
  body?: string;
  /** EMAIL. */
  subject?: string;
  text?: string;
}

export interface AttemptRecord extends TenantDocument {
  deliveryId: string;
  attempt: number;
  startedAt: Date;
  finishedAt: Date | null;
  result: AttemptOutcome["result"] | null;
  statusCode: number | null;
  error: string | null;
}

/** Deliveries are idempotent per (tenant, alert, channel, target): the id is derived from them. */
export function deliveryId(tenantId: string, alertId: string, channel: DeliveryChannel, key: string): string {
  const hex = createHash("sha256")
    .update(JSON.stringify([tenantId, alertId, channel, key]))
    .digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Store access for alert deliveries. Everything goes through the tenant-scoped
 * repository except `claimDue`: the retry sweep claims due deliveries across
 * tenants (it serves every tenant), then works on each in its own tenant.
 */
export function createDeliveryStore(db: Db) {
  const deliveries = createTenantRepository<StoredDelivery>(db, ALERT_DELIVERIES, {
    indexes: [{ key: { tenantId: 1, alertId: 1, createdAt: 1 }, name: "tenant_alert" }],
  });
  const attempts = createTenantRepository<AttemptRecord>(db, ALERT_DELIVERY_ATTEMPTS, {
    indexes: [{ key: { tenantId: 1, deliveryId: 1, attempt: 1 }, name: "tenant_delivery" }],
  });
  const due = db.collection<StoredDelivery>(ALERT_DELIVERIES);

  return {
    async ensureIndexes() {
      await deliveries.ensureIndexes();
      await attempts.ensureIndexes();
      await due.createIndex({ status: 1, nextAttemptAt: 1 }, { name: "due" });
    },

    /** Inserts the delivery unless one with its id exists; returns the stored one and whether it is new. */
    async insertOnce(doc: StoredDelivery): Promise<{ stored: StoredDelivery; inserted: boolean }> {
      const scoped = deliveries.forTenant(doc.tenantId);
      try {
        return { stored: await scoped.insertOne(doc), inserted: true };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const stored = await scoped.findOne({ _id: doc._id });
        if (!stored) throw error;
        return { stored, inserted: false };
      }
    },

    /** Leases one PENDING delivery due at `now` whose lease is free or ran out, in any tenant. */
    claimDue(now: Date, leaseUntil: Date): Promise<StoredDelivery | null> {
      return due.findOneAndUpdate(
        { status: "PENDING", nextAttemptAt: { $lte: now }, $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] },
        { $set: { leaseUntil } },
        { returnDocument: "after", sort: { nextAttemptAt: 1 } },
      );
    },

    /**
     * Takes attempt number `attempt` of a delivery for this process: true for
     * exactly one caller however many race (the insert of a fixed `_id`);
     * otherwise returns the attempt someone else took.
     */
    async takeAttempt(delivery: StoredDelivery, attempt: number, at: Date): Promise<true | AttemptRecord> {
      const scoped = attempts.forTenant(delivery.tenantId);
      const _id = `${delivery._id}#${attempt}`;
      try {
        await scoped.insertOne({
          _id,
          deliveryId: delivery._id,
          attempt,
          startedAt: at,
          finishedAt: null,
          result: null,
          statusCode: null,
          error: null,
        });
        return true;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const taken = await scoped.findOne({ _id });
        if (!taken) throw error;
        return taken;
      }
    },

    async finishAttempt(delivery: StoredDelivery, attempt: number, outcome: AttemptOutcome, at: Date): Promise<void> {
      await attempts
        .forTenant(delivery.tenantId)
        .updateOne(
          { _id: `${delivery._id}#${attempt}` },
          { $set: { finishedAt: at, result: outcome.result, statusCode: outcome.statusCode, error: outcome.error } },
        );
    },

    /** Moves a delivery on from `attempts` to `attempts + 1` (once: the filter names the count it moves from). */
    async settle(delivery: StoredDelivery, update: Partial<StoredDelivery>, unsetSecret: boolean): Promise<void> {
      await deliveries
        .forTenant(delivery.tenantId)
        .updateOne(
          { _id: delivery._id, attempts: delivery.attempts },
          unsetSecret ? { $set: update, $unset: { webhookSecret: "" } } : { $set: update },
        );
    },

    find: (tenantId: string, alertId?: string) =>
      deliveries.forTenant(tenantId).find(alertId ? { alertId } : {}, { sort: { createdAt: 1, channel: 1, target: 1 } }),
    findOne: (tenantId: string, id: string) => deliveries.forTenant(tenantId).findOne({ _id: id }),
  };
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;
