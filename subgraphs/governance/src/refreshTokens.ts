import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "mongodb";
import { isDuplicateKeyError, newId, systemClock, type Clock } from "@intelgraph/kit";

export const REFRESH_TOKENS = "governance_refresh_tokens";
/** One document per redeemed refresh token; its unique `_id` makes redemption single-use even without transactions. */
export const REFRESH_USES = "governance_refresh_uses";

interface RefreshTokenRecord {
  _id: string;
  tenantId: string;
  userId: string;
  /** Every token descended from one sign-in; reuse of any of them revokes all. */
  familyId: string;
  secretHash: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export type Redemption =
  | { ok: true; userId: string; tenantId: string; familyId: string }
  | { ok: false; reason: "invalid" }
  /** The token was genuine, so whose it was is known (and goes in the audit event). */
  | { ok: false; reason: "expired" | "revoked" | "reused"; userId: string; tenantId: string };

const FORMAT = /^igr_([0-9a-f-]{36})_([A-Za-z0-9_-]{43})$/;
const hash = (secret: string) => createHash("sha256").update(secret).digest();

export interface RefreshTokenStoreOptions {
  /**
   * How long a refresh token lasts, in seconds.
   * @default 2_592_000 (30 days)
   */
  ttlSeconds?: number;
  /**
   * The clock, in ms since the epoch.
   * @default systemClock
   */
  now?: Clock;
}

/**
 * Rotating refresh tokens: each is single-use and redeeming it yields a new
 * one in the same family. Presenting a token twice (a stolen copy, or a
 * replay) revokes the whole family, so both holders must sign in again.
 */
export function createRefreshTokenStore(db: Db, options: RefreshTokenStoreOptions = {}) {
  const { ttlSeconds = 30 * 86_400, now = systemClock } = options;
  const tokens = db.collection<RefreshTokenRecord>(REFRESH_TOKENS);
  const uses = db.collection<{ _id: string; at: Date }>(REFRESH_USES);
  const ttlMs = ttlSeconds * 1000;
  const at = () => new Date(now());

  return {
    async ensureIndexes() {
      await tokens.createIndex({ familyId: 1 }, { name: "family" });
      await tokens.createIndex({ userId: 1 }, { name: "user" });
    },

    async issue(user: { _id: string; tenantId: string }, familyId: string = newId()) {
      const id = newId();
      const secret = randomBytes(32).toString("base64url");
      const createdAt = at();
      const expiresAt = new Date(createdAt.getTime() + ttlMs);
      await tokens.insertOne({
        _id: id,
        tenantId: user.tenantId,
        userId: user._id,
        familyId,
        secretHash: hash(secret).toString("hex"),
        createdAt,
        expiresAt,
        revokedAt: null,
      });
      return { token: `igr_${id}_${secret}`, expiresAt };
    },

    async redeem(token: string): Promise<Redemption> {
      const match = FORMAT.exec(token);
      if (!match) return { ok: false, reason: "invalid" };
      const [, id, secret] = match as unknown as [string, string, string];
      const record = await tokens.findOne({ _id: id });
      if (!record || !timingSafeEqual(hash(secret), Buffer.from(record.secretHash, "hex"))) return { ok: false, reason: "invalid" };
      const owner = { userId: record.userId, tenantId: record.tenantId };
      if (record.revokedAt) return { ok: false, reason: "revoked", ...owner };
      if (record.expiresAt.getTime() <= now()) return { ok: false, reason: "expired", ...owner };
      try {
        await uses.insertOne({ _id: id, at: at() });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        await tokens.updateMany({ familyId: record.familyId, revokedAt: null }, { $set: { revokedAt: at() } });
        return { ok: false, reason: "reused", ...owner };
      }
      return { ok: true, userId: record.userId, tenantId: record.tenantId, familyId: record.familyId };
    },

    /** Ends every sign-in of a user (password changed, account deactivated). */
    async revokeUser(userId: string) {
      await tokens.updateMany({ userId, revokedAt: null }, { $set: { revokedAt: at() } });
    },
  };
}

export type RefreshTokenStore = ReturnType<typeof createRefreshTokenStore>;
