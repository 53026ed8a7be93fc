import type { Collection, Db } from "mongodb";
import {
  chainHead,
  requireUser,
  signAnchor,
  type AuditAnchor,
  type AuditEvent,
  type Clock,
  type Principal,
  type TenantRepository,
} from "@intelgraph/kit";

export interface ChainAnchorsDeps {
  db: Db;
  anchors: TenantRepository<AuditAnchor>;
  /** Unscoped for one thing only: which tenants have a chain, for the anchoring timer. */
  allEvents: Collection<AuditEvent>;
  /** Signs new anchors. */
  signingKey: string;
  now: Clock;
}

/** Signed anchors of each tenant's chain: written at its head (on a timer, by hand, at a trim) and listed. */
export function createChainAnchors({ db, anchors, allEvents, signingKey, now }: ChainAnchorsDeps) {
  const head = (tenantId: string) => chainHead(db, tenantId);

  /** Writes a signed anchor at `seq` (idempotent: one anchor per position). */
  async function anchorAt(tenantId: string, seq: number, hash: string, reason: string): Promise<AuditAnchor> {
    const anchor = signAnchor(signingKey, { tenantId, seq, hash, at: new Date(now()), reason });
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

  /** Anchors the head of the tenant's chain (nothing to do if it is already anchored or empty). */
  async function anchor(tenantId: string, reason = "periodic"): Promise<AuditAnchor | null> {
    const h = await head(tenantId);
    return h ? anchorAt(tenantId, h.seq, h.hash, reason) : null;
  }

  return {
    anchorAt,
    anchor,

    /** The caller anchors its own chain's head now (`anchorAuditChain`). */
    async anchorFor(principal: Principal): Promise<AuditAnchor | null> {
      const caller = requireUser(principal);
      return anchor(caller.tenantId, "manual");
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

    async anchors(principal: Principal, args: { first?: number | null } = {}): Promise<AuditAnchor[]> {
      const caller = requireUser(principal);
      const first = args.first ?? 20;
      return anchors.forTenant(caller.tenantId).find({}, { sort: { seq: -1 }, limit: Math.min(Math.max(first, 1), 100) });
    },
  };
}

export type ChainAnchors = ReturnType<typeof createChainAnchors>;
