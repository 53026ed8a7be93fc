import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "mongodb";
import { defaultClearanceFor, lowerMarking, newId, systemClock, type Clock, type Principal, type TlpMarking } from "@intelgraph/kit";
import type { TokenAlerts } from "./tokenAlerts.ts";

export const API_TOKENS = "governance_api_tokens";

export interface ApiTokenRecord {
  _id: string;
  tenantId: string;
  /** Who created it; the token acts for them, never beyond what they may do. */
  userId: string;
  name: string;
  scopes: string[];
  /** The highest TLP marking it may see, at most its creator's (missing: its creator's). */
  clearance?: TlpMarking;
  /** SHA-256 of the secret part (the secret is 256 random bits, so a fast hash suffices). */
  secretHash: string;
  /** First characters of the token, to recognise it in lists. */
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  /** Addresses it has been used from (the latest 100); a new one can raise an alert. */
  knownIps?: string[];
}

const TOKEN = /^igt_([0-9a-f-]{36})_([A-Za-z0-9_-]{43})$/;
const hash = (secret: string) => createHash("sha256").update(secret).digest("hex");

/** A new token: `igt_<id>_<secret>`. Only the hash of the secret is ever stored. */
export function generateApiToken() {
  const id = newId();
  const secret = randomBytes(32).toString("base64url");
  const token = `igt_${id}_${secret}`;
  return { id, token, secretHash: hash(secret), prefix: token.slice(0, 12) };
}

export const looksLikeApiToken = (value: string) => value.startsWith("igt_");

export type ApiTokenVerification =
  | { ok: true; principal: Principal; plan: string | null; expiresAt: Date | null }
  | { ok: false; reason: "malformed" | "unknown" | "revoked" | "expired" | "owner-gone" | "owner-inactive" };

const MAX_KNOWN_IPS = 100;

export interface ApiTokenVerifierOptions {
  /**
   * The clock, in ms since the epoch.
   * @default systemClock
   */
  now?: Clock;
  /** The anomaly rules each use is handed to; none when not given. */
  alerts?: TokenAlerts;
}

/**
 * Resolves an API token for the gateway: checks the secret, revocation and
 * expiry, and takes the creator's *current* roles, so a token never outlives
 * its creator's rights. Records last use (at most once a minute, or on a new IP)
 * and hands each use to the anomaly rules (`alerts`) when given.
 */
export function createApiTokenVerifier(db: Db, options: ApiTokenVerifierOptions = {}) {
  const { now = systemClock, alerts } = options;
  const tokens = db.collection<ApiTokenRecord>(API_TOKENS);
  const users = db.collection<{
    _id: string;
    tenantId: string;
    role: string;
    platformAdmin: boolean;
    active?: boolean;
    clearance?: TlpMarking;
  }>("governance_users");
  const tenants = db.collection<{ _id: string; plan: string }>("governance_tenants");

  return async function verify(token: string, ip: string | undefined, requestId?: string): Promise<ApiTokenVerification> {
    const match = TOKEN.exec(token);
    if (!match) return { ok: false, reason: "malformed" };
    const [, id, secret] = match as unknown as [string, string, string];
    const record = await tokens.findOne({ _id: id });
    if (!record) return { ok: false, reason: "unknown" };
    const given = Buffer.from(hash(secret), "hex");
    if (!timingSafeEqual(given, Buffer.from(record.secretHash, "hex"))) return { ok: false, reason: "unknown" };
    const at = new Date(now());
    if (record.revokedAt) return { ok: false, reason: "revoked" };
    if (record.expiresAt && record.expiresAt <= at) return { ok: false, reason: "expired" };
    const owner = await users.findOne({ _id: record.userId, tenantId: record.tenantId });
    if (!owner) return { ok: false, reason: "owner-gone" };
    if (owner.active === false) return { ok: false, reason: "owner-inactive" };
    const tenant = await tenants.findOne({ _id: record.tenantId });
    // Tokens from before knownIps existed: their last address is the baseline.
    const knownIps = record.knownIps ?? (record.lastUsedIp ? [record.lastUsedIp] : []);
    const address = ip ?? null;
    const newIp = address !== null && !knownIps.includes(address);
    await alerts?.checkUse({ ...record, knownIps }, address, requestId ?? null);
    if (!record.lastUsedAt || at.getTime() - record.lastUsedAt.getTime() > 60_000 || record.lastUsedIp !== address || newIp) {
      // Awaited (at most once a minute per token) so `apiTokens` shows it right after use; a failure only loses the stamp.
      const $set: Partial<ApiTokenRecord> = { lastUsedAt: at, lastUsedIp: address };
      if (newIp) $set.knownIps = [...knownIps, address].slice(-MAX_KNOWN_IPS);
      await tokens.updateOne({ _id: id }, { $set }).catch(() => undefined);
    }
    const ownerRoles = owner.platformAdmin ? [owner.role, "PLATFORM_ADMIN"] : [owner.role];
    const ownerClearance = owner.clearance ?? defaultClearanceFor(ownerRoles);
    return {
      ok: true,
      principal: {
        kind: "token",
        tenantId: record.tenantId,
        userId: record.userId,
        roles: ownerRoles,
        scopes: record.scopes,
        tokenId: record._id,
        // Held to its own clearance and to its creator's current one, whichever is lower.
        clearance: lowerMarking(record.clearance ?? ownerClearance, ownerClearance),
      },
      plan: tenant?.plan ?? null,
      expiresAt: record.expiresAt,
    };
  };
}

export type ApiTokenVerifier = ReturnType<typeof createApiTokenVerifier>;
