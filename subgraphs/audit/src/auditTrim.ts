import type { Db } from "mongodb";
import {
  appError,
  chainHead,
  ErrorCode,
  hintHead,
  requireUser,
  verifyChain,
  type AuditAnchor,
  type AuditEvent,
  type ChainSource,
  type Clock,
  type Logger,
  type Principal,
  type TenantRepository,
} from "@intelgraph/kit";
import { AUDIT_MIN_RETENTION_DAYS, AUDIT_RETENTION_POLICY_ID, type RetentionSetting } from "./auditRetention.ts";
import type { ChainAnchors } from "./chainAnchors.ts";

export const AUDIT_TRIMS = "audit_trims";

const DAY_MS = 86_400_000;

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

export interface AuditTrimDeps {
  db: Db;
  events: TenantRepository<AuditEvent>;
  retention: TenantRepository<RetentionSetting>;
  trims: TenantRepository<AuditTrim>;
  source: ChainSource;
  /** Verify the part that goes (all keys: retired ones still verify old anchors). */
  anchorKeys: string[];
  anchorAt: ChainAnchors["anchorAt"];
  logger: Logger;
  now: Clock;
}

/** Audit retention applied: the oldest events removed, but only after verifying them and anchoring the cut. */
export function createAuditTrim(deps: AuditTrimDeps) {
  const { db, events, retention, trims, source, anchorKeys, anchorAt, logger, now } = deps;

  /** Verifies the chain up to `upToSeq` and anchors there, so what stays verifies from a signed point. */
  async function anchorTheCut(tenantId: string, upToSeq: number): Promise<AuditAnchor> {
    const report = await verifyChain(source, tenantId, anchorKeys, { toSeq: upToSeq });
    if (!report.ok)
      throw appError(
        ErrorCode.CONFLICT,
        `The audit chain is broken at position ${report.firstBreak!.seq} (${report.firstBreak!.kind}); trimming refused so the evidence stays. Investigate with verifyAuditChain.`,
        { firstBreak: report.firstBreak },
      );
    const last = await source.event(tenantId, upToSeq);
    const anchor = await anchorAt(tenantId, upToSeq, last!.hash, "retention");
    // The chain's head hint must not point into what is about to go.
    await hintHead(db, tenantId, { seq: upToSeq, hash: last!.hash });
    return anchor;
  }

  return {
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
      const cutoff = new Date(now() - days * DAY_MS);
      // The cut: every chained event up to it is older than the cutoff (the first young one ends it).
      const own = events.forTenant(caller.tenantId);
      const [firstYoung] = await own.find(
        { seq: { $exists: true }, at: { $gte: cutoff } },
        { projection: { seq: 1 }, sort: { seq: 1 }, limit: 1 },
      );
      const h = await chainHead(db, caller.tenantId);
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

      const anchor = chained > 0 ? await anchorTheCut(caller.tenantId, upToSeq) : null;
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
        at: new Date(now()),
      });
      logger.info({ tenantId: caller.tenantId, upToSeq, removed }, "audit log trimmed");
      return { ...plan, trim };
    },

    async trimsOf(principal: Principal): Promise<AuditTrim[]> {
      const caller = requireUser(principal);
      return trims.forTenant(caller.tenantId).find({}, { sort: { at: -1 }, limit: 100 });
    },
  };
}
