import type { Db } from "mongodb";
import { isDuplicateKeyError } from "./mongo.ts";

export const USAGE_COLLECTION = "billing_usage_daily";

export type UsageKind = "query" | "mutation" | "subscription";

export interface UsageDay {
  _id: string;
  tenantId: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  kind: UsageKind;
  count: number;
}

export interface UsageRecorder {
  record(event: { tenantId: string; kind: UsageKind; at?: Date }): Promise<void>;
}

/**
 * Counts billable operations per tenant, day and kind with an atomic upsert
 * (`$inc`), so concurrent gateways never lose a count. The unique index makes
 * the first-of-the-day race safe: the loser retries as a plain increment.
 */
export function createUsageRecorder(db: Db): UsageRecorder {
  const collection = db.collection<UsageDay>(USAGE_COLLECTION);
  return {
    async record({ tenantId, kind, at = new Date() }) {
      const day = at.toISOString().slice(0, 10);
      const _id = `${tenantId}:${day}:${kind}`;
      const update = { $inc: { count: 1 }, $setOnInsert: { tenantId, day, kind } };
      try {
        await collection.updateOne({ _id }, update, { upsert: true });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        await collection.updateOne({ _id }, update, { upsert: true });
      }
    },
  };
}

export async function ensureUsageIndexes(db: Db): Promise<void> {
  await db.collection(USAGE_COLLECTION).createIndex({ tenantId: 1, day: 1 }, { name: "tenant_day" });
}
