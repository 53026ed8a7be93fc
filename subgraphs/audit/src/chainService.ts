import type { Db } from "mongodb";
import { z } from "zod";
import {
  AUDIT_ANCHORS_COLLECTION,
  AUDIT_COLLECTION,
  appError,
  chainHead,
  createTenantRepository,
  hintHead,
  ErrorCode,
  mongoChainSource,
  requireUser,
  signAnchor,
  validateInput,
  verifyChain,
  type AuditAnchor,
  type AuditEvent,
  type ChainReport,
  type Logger,
  type Principal,
} from "@intelgraph/kit";

/** No tenant may keep its audit log for less than this (the platform's policy). */
export const AUDIT_MIN_RETENTION_DAYS = 365;
export const AUDIT_RETENTION_POLICY_ID = "audit-retention/min-365d/v1";

const DAY_MS = 86_400_000;

interface RetentionSetting {
  _id: string;
  tenantId: string;
  days: number;
  setBy: string;
  setAt: Date;
  reason: string;
}

export interface AuditTrim {
  _id: string;
  tenantId: string;
  upToSeq: number;
  events: number;
  unchainedEvents: number;
  cutoff: Date;
  days: number;
  policyId: string;
  anchorId: string;
  by: string;
  at: Date;
}

const rangeInput = z
  .object({
    fromSeq: z.number().int().min(1).nullish(),
    toSeq: z.number().int().min(1).nullish(),
  })
  .refine((r) => !r.fromSeq || !r.toSeq || r.fromSeq <= r.toSeq, { message: "fromSeq must not be after toSeq", path: ["fromSeq"] });

const retentionInput = z.object({
  days: z
    .number()
    .int()
    .max(36_500, "at most 100 years")
    .refine((d) => d >= AUDIT_MIN_RETENTION_DAYS, {
      message: `the audit log must be kept at least ${AUDIT_MIN_RETENTION_DAYS} days (policy ${AUDIT_RETENTION_POLICY_ID})`,
    }),
  reason: z.string().trim().min(3, "say why (at least 3 characters)").max(500),
});

export interface ChainServiceDeps {
  db: Db;
  logger: Logger;
  /** The anchor key first (signs), then retired keys (still verify). */
  anchorKeys: string[];
  now?: () => Date;
}

/**
 * The chain's keepers: signed anchors, verification, and audit retention
 * (trims the oldest events, but only after verifying them and anchoring the cut).
 */
export function createChainService(deps: ChainServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const source = mongoChainSource(deps.db);
  /** Unscoped for one thing only: which tenants have a chain, for the anchoring timer. */
  const allEvents = deps.db.collection<AuditEvent>(AUDIT_COLLECTION);
  const events = createTenantRepository<AuditEvent>(deps.db, AUDIT_COLLECTION);
  const anchors = createTenantRepository<AuditAnchor>(deps.db, AUDIT_ANCHORS_COLLECTION);
  const retention = createTenantRepository<RetentionSetting>(deps.db, "audit_retention");
  const trims = createTenantRepository<AuditTrim>(deps.db, "audit_trims");
  const [signingKey] = deps.anchorKeys;
  if (!signingKey) throw new Error("audit chain: an anchor key is required");

  const head = (tenantId: string) => chainHead(deps.db, tenantId);

  /** Writes a signed anchor at `seq` (idempotent: one anchor per position). */
  async function anchorAt(tenantId: string, seq: number, hash: string, reason: string): Promise<AuditAnchor> {
    const anchor = signAnchor(signingKey!, { tenantId, seq, hash, at: now(), reason });
    const own = anchors.forTenant(tenantId);
    const existing = await own.findOne({ _id: anchor._id });
    if (existing) return existing;
    try {
      await own.insertOne(anchor);
      return anchor;
    } catch (error) {
      const raced = await own.findOne({ _id: anchor._id });
      if (raced) return raced;
      throw error;
    }
  }

  return {
    async ensureIndexes() {
      await retention.ensureIndexes();
      await trims.ensureIndexes();
    },

    /** Anchors the head of the tenant's chain (nothing to do if it is already anchored or empty). */
    async anchor(tenantId: string, reason = "periodic"): Promise<AuditAnchor | null> {
      const h = await head(tenantId);
      return h ? anchorAt(tenantId, h.seq, h.hash, reason) : null;
    },

    /** Anchors every tenant whose chain grew since its last anchor; run on a timer by the audit service. */
    async anchorAll(): Promise<number> {
      const tenants = (await allEvents.distinct("tenantId", { seq: { $exists: true } })) as string[];
      let written = 0;
      for (const tenantId of tenants) {
        const h = await head(tenantId);
        if (!h || (await anchors.forTenant(tenantId).findOne({ _id: `${tenantId}/${h.seq}` }))) continue;
        await anchorAt(tenantId, h.seq, h.hash, "periodic");
        written++;
      }
      return written;
    },

    verify(tenantId: string, range: { fromSeq?: number | null; toSeq?: number | null } = {}): Promise<ChainReport> {
      return verifyChain(source, tenantId, deps.anchorKeys, range);
    },

    /** The caller's own chain (the API never verifies another tenant's). */
    async verifyFor(principal: Principal, rawRange: unknown): Promise<ChainReport> {
      const caller = requireUser(principal);
      const range = validateInput(rangeInput, rawRange ?? {});
      return verifyChain(source, caller.tenantId, deps.anchorKeys, range);
    },

    async anchors(principal: Principal, first = 20): Promise<AuditAnchor[]> {
      const caller = requireUser(principal);
      return anchors.forTenant(caller.tenantId).find({}, { sort: { seq: -1 }, limit: Math.min(Math.max(first, 1), 100) });
    },

    async retentionOf(tenantId: string): Promise<RetentionSetting | null> {
      return retention.forTenant(tenantId).findOne({ _id: tenantId });
    },

    async setRetention(principal: Principal, raw: unknown): Promise<RetentionSetting> {
      const caller = requireUser(principal);
      const input = validateInput(retentionInput, raw);
      const setting = await retention
        .forTenant(caller.tenantId)
        .findOneAndUpdate(
          { _id: caller.tenantId },
          { $set: { days: input.days, reason: input.reason, setBy: caller.userId, setAt: now() } },
          { upsert: true },
        );
      return setting!;
    },

    /**
     * Removes events older than the tenant's retention. Verifies the part that
     * goes first (a broken chain is evidence: it is never trimmed away), then
     * anchors the cut so verification of what stays starts from a signed point.
     */
    async trim(principal: Principal, options: { dryRun: boolean }) {
      const caller = requireUser(principal);
      const setting = await retention.forTenant(caller.tenantId).findOne({ _id: caller.tenantId });
      if (!setting)
        throw appError(
          ErrorCode.CONFLICT,
          "This tenant has no audit retention set: nothing is ever trimmed. Set one with setAuditRetention.",
          {
            policyId: AUDIT_RETENTION_POLICY_ID,
          },
        );
      const days = Math.max(setting.days, AUDIT_MIN_RETENTION_DAYS);
      const cutoff = new Date(now().getTime() - days * DAY_MS);
      // The cut: every chained event up to it is older than the cutoff (the first young one ends it).
      const own = events.forTenant(caller.tenantId);
      const [firstYoung] = await own.find(
        { seq: { $exists: true }, at: { $gte: cutoff } },
        { projection: { seq: 1 }, sort: { seq: 1 }, limit: 1 },
      );
      const h = await head(caller.tenantId);
      const upToSeq = firstYoung ? firstYoung.seq! - 1 : (h?.seq ?? 0);
      const chained = upToSeq > 0 ? await own.countDocuments({ seq: { $lte: upToSeq } }) : 0;
      const unchained = await own.countDocuments({ seq: { $exists: false }, at: { $lt: cutoff } });
      const plan = {
        dryRun: options.dryRun,
        cutoff,
        days,
        policyId: AUDIT_RETENTION_POLICY_ID,
        upToSeq,
        events: chained,
        unchainedEvents: unchained,
      };
      if (options.dryRun || (chained === 0 && unchained === 0)) return { ...plan, trim: null };

      let anchor: AuditAnchor | null = null;
      if (chained > 0) {
        const report = await verifyChain(source, caller.tenantId, deps.anchorKeys, { toSeq: upToSeq });
        if (!report.ok)
          throw appError(
            ErrorCode.CONFLICT,
            `The audit chain is broken at position ${report.firstBreak!.seq} (${report.firstBreak!.kind}); trimming refused so the evidence stays. Investigate with verifyAuditChain.`,
            { firstBreak: report.firstBreak },
          );
        const last = await source.event(caller.tenantId, upToSeq);
        anchor = await anchorAt(caller.tenantId, upToSeq, last!.hash, "retention");
        // The chain's head hint must not point into what is about to go.
        await hintHead(deps.db, caller.tenantId, { seq: upToSeq, hash: last!.hash });
      }
      const removed =
        (chained > 0 ? await own.deleteMany({ seq: { $lte: upToSeq } }) : 0) +
        (unchained > 0 ? await own.deleteMany({ seq: { $exists: false }, at: { $lt: cutoff } }) : 0);
      const trim = await trims.forTenant(caller.tenantId).insertOne({
        upToSeq,
        events: chained,
        unchainedEvents: unchained,
        cutoff,
        days,
        policyId: AUDIT_RETENTION_POLICY_ID,
        anchorId: anchor?._id ?? "",
        by: caller.userId,
        at: now(),
      });
      deps.logger.info({ tenantId: caller.tenantId, upToSeq, removed }, "audit log trimmed");
      return { ...plan, trim };
    },

    async trimsOf(principal: Principal): Promise<AuditTrim[]> {
      const caller = requireUser(principal);
      return trims.forTenant(caller.tenantId).find({}, { sort: { at: -1 }, limit: 100 });
    },
  };
}

export type ChainService = ReturnType<typeof createChainService>;
