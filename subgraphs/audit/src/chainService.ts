import type { Db } from "mongodb";
import {
  AUDIT_ANCHORS_COLLECTION,
  AUDIT_COLLECTION,
  createTenantRepository,
  mongoChainSource,
  requireUser,
  systemClock,
  validateInput,
  verifyChain,
  type AuditAnchor,
  type AuditEvent,
  type ChainReport,
  type Clock,
  type Logger,
  type Principal,
} from "@intelgraph/kit";
import { z } from "zod";
import { AUDIT_RETENTION, createAuditRetention, type RetentionSetting } from "./auditRetention.ts";
import { AUDIT_TRIMS, createAuditTrim, type AuditTrim } from "./auditTrim.ts";
import { createChainAnchors } from "./chainAnchors.ts";

const rangeInput = z
  .object({
    fromSeq: z.number().int().min(1).nullish(),
    toSeq: z.number().int().min(1).nullish(),
  })
  .refine((r) => !r.fromSeq || !r.toSeq || r.fromSeq <= r.toSeq, { message: "fromSeq must not be after toSeq", path: ["fromSeq"] });

export interface ChainServiceDeps {
  db: Db;
  logger: Logger;
  /** The anchor key first (signs), then retired keys (still verify). */
  anchorKeys: string[];
  /**
   * The clock, in ms since the epoch.
   * @default systemClock
   */
  now?: Clock;
}

/**
 * The chain's keepers: signed anchors (chainAnchors.ts), verification, and
 * audit retention (auditRetention.ts) with the trim that applies it
 * (auditTrim.ts: the oldest events go, but only after verifying them and
 * anchoring the cut).
 */
export function createChainService({ db, logger, anchorKeys, now = systemClock }: ChainServiceDeps) {
  const source = mongoChainSource(db);
  const events = createTenantRepository<AuditEvent>(db, AUDIT_COLLECTION);
  const anchors = createTenantRepository<AuditAnchor>(db, AUDIT_ANCHORS_COLLECTION);
  const retention = createTenantRepository<RetentionSetting>(db, AUDIT_RETENTION);
  const trims = createTenantRepository<AuditTrim>(db, AUDIT_TRIMS);
  const [signingKey] = anchorKeys;
  if (!signingKey) throw new Error("audit chain: an anchor key is required");
  const { anchorAt, ...anchoring } = createChainAnchors({
    db,
    anchors,
    // Unscoped for one thing only: which tenants have a chain, for the anchoring timer.
    allEvents: db.collection<AuditEvent>(AUDIT_COLLECTION),
    signingKey,
    now,
  });

  return {
    async ensureIndexes() {
      await retention.ensureIndexes();
      await trims.ensureIndexes();
    },
    ...anchoring,
    ...createAuditRetention({ retention, now }),
    ...createAuditTrim({ db, events, retention, trims, source, anchorKeys, anchorAt, logger, now }),

    verify(tenantId: string, range: { fromSeq?: number | null; toSeq?: number | null } = {}): Promise<ChainReport> {
      return verifyChain(source, tenantId, anchorKeys, range);
    },

    /** The caller's own chain (the API never verifies another tenant's). */
    async verifyFor(principal: Principal, rawRange: unknown): Promise<ChainReport> {
      const caller = requireUser(principal);
      const range = validateInput(rangeInput, rawRange ?? {});
      return verifyChain(source, caller.tenantId, anchorKeys, range);
    },
  };
}

export type ChainService = ReturnType<typeof createChainService>;
