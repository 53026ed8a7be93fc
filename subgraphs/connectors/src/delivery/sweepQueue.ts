/**
 * The scheduled jobs span tenants: which dead letters are due for a replay,
 * and which connectors have a pull sync due. Only ids and tenants are read
 * here; each is then handled through the tenant repository of its own tenant.
 */
import type { Db } from "mongodb";
import { CONNECTORS } from "../connectorService.ts";
import { DEAD_LETTERS } from "./deliveryStore.ts";

export function createSweepQueue(db: Db) {
  return {
    async dueDeadLetters(now: Date, limit: number): Promise<Array<{ _id: string; tenantId: string }>> {
      return db
        .collection<{ _id: string; tenantId: string }>(DEAD_LETTERS)
        .find({ status: "PENDING", nextAttemptAt: { $lte: now } }, { projection: { _id: 1, tenantId: 1 } })
        .sort({ nextAttemptAt: 1 })
        .limit(limit)
        .toArray();
    },

    async syncEnabled(): Promise<Array<{ _id: string; tenantId: string }>> {
      return db
        .collection<{ _id: string; tenantId: string }>(CONNECTORS)
        .find({ "sync.enabled": true }, { projection: { _id: 1, tenantId: 1 } })
        .toArray();
    },
  };
}
