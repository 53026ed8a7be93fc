/**
 * A tenant's own askGraph settings, set by its admins: the confidence under
 * which RUN only previews until the analyst confirms (default 0.7). Read on
 * every question through a short cache (5 s; this process forgets its entry
 * when it changes it), so another process sees a change within seconds.
 */
import type { Db } from "mongodb";
import { z } from "zod";
import {
  createTenantRepository,
  createTtlCache,
  requireUser,
  systemClock,
  validateInput,
  type Clock,
  type Principal,
} from "@intelgraph/kit";

export const ASK_SETTINGS_COLLECTION = "graph_ask_settings";
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.7;

export interface TenantAskSettingsDoc {
  _id: string;
  tenantId: string;
  confidenceThreshold: number;
  updatedBy: string;
  updatedAt: Date;
}

const input = z.object({
  confidenceThreshold: z
    .number()
    .min(0.3, "at least 0.3: below it nearly every guess would run unconfirmed")
    .max(1, "at most 1 (every question waits for a confirmation unless certain)"),
});

export function createTenantAskSettings(options: { db: Db; now?: Clock; ttlMs?: number }) {
  const { now = systemClock } = options;
  const repo = createTenantRepository<TenantAskSettingsDoc>(options.db, ASK_SETTINGS_COLLECTION);
  const idOf = (tenantId: string) => `ask:${tenantId}`;
  const read = (tenantId: string) => repo.forTenant(tenantId).findOne({ _id: idOf(tenantId) });
  const thresholds = createTtlCache(async (tenantId) => (await read(tenantId))?.confidenceThreshold ?? DEFAULT_CONFIDENCE_THRESHOLD, {
    ttlMs: options.ttlMs ?? 5000,
  });

  return {
    ensureIndexes: () => repo.ensureIndexes(),
    /** The threshold a tenant's questions are held to. */
    thresholdFor: (tenantId: string) => thresholds.get(tenantId),

    async get(principal: Principal) {
      const caller = requireUser(principal);
      const doc = await read(caller.tenantId);
      return {
        confidenceThreshold: doc?.confidenceThreshold ?? DEFAULT_CONFIDENCE_THRESHOLD,
        updatedBy: doc?.updatedBy ?? null,
        updatedAt: doc?.updatedAt ?? null,
      };
    },

    async set(principal: Principal, raw: unknown) {
      const caller = requireUser(principal);
      const { confidenceThreshold } = validateInput(input, raw);
      await repo
        .forTenant(caller.tenantId)
        .findOneAndUpdate(
          { _id: idOf(caller.tenantId) },
          { $set: { confidenceThreshold, updatedBy: caller.userId, updatedAt: new Date(now()) } },
          { upsert: true },
        );
      thresholds.delete(caller.tenantId);
      return this.get(principal);
    },
  };
}

export type TenantAskSettings = ReturnType<typeof createTenantAskSettings>;
