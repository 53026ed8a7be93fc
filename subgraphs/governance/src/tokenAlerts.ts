import type { Db } from "mongodb";
import { z } from "zod";
import {
  createTenantRepository,
  createTtlCache,
  newId,
  requirePerson,
  requireUser,
  validateInput,
  type AuditHints,
  type AuditRecorder,
  type Logger,
  type Principal,
  type PubSub,
} from "@intelgraph/kit";

import { API_TOKENS } from "./apiTokens.ts";

export const TOKEN_ALERTS = "governance_token_alerts";
export const TOKEN_ALERT_RULES = "governance_token_alert_rules";

export type TokenAlertRule = "NEW_IP" | "DENIED_BURST" | "DORMANT_USE";

/** Per-tenant anomaly rules for API tokens; a null threshold turns that rule off. */
export interface TokenAlertRules {
  /** Alert when a token is used from an IP address it has not been used from before. */
  newIp: boolean;
  /** Alert when a token is refused (FORBIDDEN) this many times within `deniedWindowSeconds`. */
  deniedBurst: number | null;
  deniedWindowSeconds: number;
  /** Alert when a token is used after this many days without use. */
  dormantDays: number | null;
}

export const DEFAULT_TOKEN_ALERT_RULES: Readonly<TokenAlertRules> = {
  newIp: true,
  deniedBurst: 10,
  deniedWindowSeconds: 60,
  dormantDays: 30,
};

interface RulesRecord extends TokenAlertRules {
  _id: string; // tenant id
  updatedBy: string;
  updatedAt: Date;
}

export interface TokenAlertRecord {
  _id: string;
  tenantId: string;
  rule: TokenAlertRule;
  tokenId: string;
  tokenName: string;
  tokenPrefix: string;
  /** Who the token acts for. */
  userId: string;
  ip: string | null;
  /** What was seen, for a person: "first use from 10.0.0.7 (known: 10.0.0.1)". */
  detail: string;
  /** The request that set it off, to find it in logs and the audit trail. */
  requestId: string | null;
  raisedAt: Date;
}

/** The token fields an alert names. */
export interface AlertedToken {
  _id: string;
  tenantId: string;
  userId: string;
  name: string;
  prefix: string;
}

export const tokenAlertTopic = (tenantId: string) => `tokenAlerts.${tenantId}`;

const rulesInput = z.object({
  newIp: z.boolean().nullish(),
  deniedBurst: z.number().int().min(2, "at least 2").max(10_000).nullish(),
  deniedWindowSeconds: z.number().int().min(5, "at least 5 seconds").max(86_400, "at most a day").nullish(),
  dormantDays: z.number().int().min(1, "at least a day").max(3650).nullish(),
  /** Explicitly switch a threshold rule off (null fields otherwise keep their value). */
  disable: z.array(z.enum(["DENIED_BURST", "DORMANT_USE"])).nullish(),
});

export interface TokenAlertsDeps {
  db: Db;
  pubsub: PubSub;
  audit: AuditRecorder;
  logger: Logger;
  now?: () => Date;
  /** How long a tenant's rules are cached by the process that checks tokens; default 5 s. */
  rulesTtlMs?: number;
}

/**
 * Watches API-token use for anomalies (new IP, a burst of refusals, use after
 * dormancy). Each alert is stored, recorded as an audit event
 * (`tokenAlertRaised`, naming the rule) and published for the
 * `tokenAlertRaised` subscription. Runs where tokens are checked (the gateway);
 * refusal counts are kept per process, like rate limits.
 */
export function createTokenAlerts(deps: TokenAlertsDeps) {
  const alerts = createTenantRepository<TokenAlertRecord>(deps.db, TOKEN_ALERTS, {
    indexes: [{ key: { tenantId: 1, raisedAt: -1, _id: -1 }, name: "tenant_time" }],
  });
  /** One document per tenant, whose id is the tenant's: the key is the scope. */
  const rulesCollection = deps.db.collection<RulesRecord>(TOKEN_ALERT_RULES);
  const tokens = createTenantRepository<AlertedToken>(deps.db, API_TOKENS);
  const now = deps.now ?? (() => new Date());
  /** Refusal times per token within the window (this process only). */
  const denials = new Map<string, number[]>();

  const rulesOf = (stored: RulesRecord | null): TokenAlertRules =>
    stored
      ? {
          newIp: stored.newIp,
          deniedBurst: stored.deniedBurst,
          deniedWindowSeconds: stored.deniedWindowSeconds,
          dormantDays: stored.dormantDays,
        }
      : { ...DEFAULT_TOKEN_ALERT_RULES };
  const readRules = async (tenantId: string) => rulesOf(await rulesCollection.findOne({ _id: tenantId }));

  const rulesCache = createTtlCache(readRules, { ttlMs: deps.rulesTtlMs ?? 5000 });
  const cachedRules = (tenantId: string) => rulesCache.get(tenantId);

  async function raise(token: AlertedToken, rule: TokenAlertRule, ip: string | null, detail: string, requestId: string | null) {
    const alert: TokenAlertRecord = {
      _id: newId(),
      tenantId: token.tenantId,
      rule,
      tokenId: token._id,
      tokenName: token.name,
      tokenPrefix: token.prefix,
      userId: token.userId,
      ip,
      detail,
      requestId,
      raisedAt: now(),
    };
    try {
      await alerts.forTenant(token.tenantId).insertOne(alert);
      await deps.audit.record({
        tenantId: token.tenantId,
        actor: { userId: token.userId, kind: "token", tokenId: token._id },
        action: "tokenAlertRaised",
        service: "governance",
        targetType: "ApiToken",
        targetIds: [token._id],
        outcome: "success",
        errorCode: null,
        requestId: requestId ?? alert._id,
        arguments: { rule, ip, detail, alertId: alert._id },
      });
      await deps.pubsub.publish(tokenAlertTopic(token.tenantId), alert);
      deps.logger.warn({ tenantId: token.tenantId, tokenId: token._id, rule, ip }, "API token alert");
    } catch (error) {
      // Never fail the request over an alert, but make the loss loud.
      deps.logger.error({ err: error, tenantId: token.tenantId, tokenId: token._id, rule }, "could not record an API token alert");
    }
    return alert;
  }

  return {
    /**
     * Checks one successful use of a token (before `lastUsedAt`/`knownIps` are
     * updated) and raises what the tenant's rules say. `knownIps` empty means
     * first use ever: that sets the baseline and raises nothing.
     */
    async checkUse(
      token: AlertedToken & { lastUsedAt: Date | null; createdAt: Date; knownIps: string[] },
      ip: string | null,
      requestId: string | null,
    ): Promise<TokenAlertRecord[]> {
      const isNewIp = ip !== null && token.knownIps.length > 0 && !token.knownIps.includes(ip);
      const idleSince = token.lastUsedAt ?? token.createdAt;
      const idleMs = now().getTime() - idleSince.getTime();
      if (!isNewIp && idleMs < 86_400_000) return []; // nothing any rule could flag: skip reading the rules
      const rules = await cachedRules(token.tenantId);
      const raised: TokenAlertRecord[] = [];
      if (isNewIp && rules.newIp) {
        const known = token.knownIps.slice(-5).join(", ");
        raised.push(await raise(token, "NEW_IP", ip, `first use from ${ip} (seen before from ${known})`, requestId));
      }
      if (rules.dormantDays !== null && idleMs >= rules.dormantDays * 86_400_000) {
        const days = Math.floor(idleMs / 86_400_000);
        const since = token.lastUsedAt
          ? `last used ${token.lastUsedAt.toISOString()}`
          : `never used since ${token.createdAt.toISOString()}`;
        raised.push(await raise(token, "DORMANT_USE", ip, `used after ${days} days without use (${since})`, requestId));
      }
      return raised;
    },

    /** Counts a refused (FORBIDDEN) request made with a token; raises DENIED_BURST once per burst. */
    async recordDenied(ref: { tokenId: string; tenantId: string }, ip: string | null, requestId: string | null) {
      const rules = await cachedRules(ref.tenantId);
      if (rules.deniedBurst === null) return null;
      const t = now().getTime();
      const windowMs = rules.deniedWindowSeconds * 1000;
      const times = (denials.get(ref.tokenId) ?? []).filter((at) => t - at < windowMs);
      times.push(t);
      if (times.length < rules.deniedBurst) {
        denials.set(ref.tokenId, times);
        if (denials.size > 50_000) denials.delete(denials.keys().next().value as string);
        return null;
      }
      denials.delete(ref.tokenId); // start counting afresh: one alert per burst
      const token = await tokens.forTenant(ref.tenantId).findOne({ _id: ref.tokenId });
      if (!token) return null;
      return raise(
        token,
        "DENIED_BURST",
        ip,
        `${times.length} refused requests within ${rules.deniedWindowSeconds} s (threshold ${rules.deniedBurst})`,
        requestId,
      );
    },

    async getRules(principal: Principal): Promise<TokenAlertRules & { updatedAt: Date | null; updatedBy: string | null }> {
      const caller = requireUser(principal);
      const stored = await rulesCollection.findOne({ _id: caller.tenantId });
      return { ...rulesOf(stored), updatedAt: stored?.updatedAt ?? null, updatedBy: stored?.updatedBy ?? null };
    },

    /** Changes the given rules (others keep their value); takes effect within the rules cache time (5 s). */
    async setRules(principal: Principal, rawInput: unknown, hints: AuditHints) {
      const caller = requirePerson(principal, "change token alert rules");
      const input = validateInput(rulesInput, rawInput);
      const current = await readRules(caller.tenantId);
      const disabled = new Set(input.disable ?? []);
      const next: RulesRecord = {
        _id: caller.tenantId,
        newIp: input.newIp ?? current.newIp,
        deniedBurst: disabled.has("DENIED_BURST") ? null : (input.deniedBurst ?? current.deniedBurst),
        deniedWindowSeconds: input.deniedWindowSeconds ?? current.deniedWindowSeconds,
        dormantDays: disabled.has("DORMANT_USE") ? null : (input.dormantDays ?? current.dormantDays),
        updatedBy: caller.userId,
        updatedAt: now(),
      };
      await rulesCollection.replaceOne({ _id: caller.tenantId }, next, { upsert: true });
      rulesCache.delete(caller.tenantId);
      hints.targetIds = [caller.tenantId];
      return next;
    },

    async list(principal: Principal, options: { first?: number | null; tokenId?: string | null }) {
      const caller = requireUser(principal);
      const first = Math.min(Math.max(options.first ?? 50, 1), 200);
      return alerts
        .forTenant(caller.tenantId)
        .find(options.tokenId ? { tokenId: options.tokenId } : {}, { sort: { raisedAt: -1, _id: -1 }, limit: first });
    },

    subscribe(principal: Principal): AsyncIterableIterator<TokenAlertRecord> {
      const caller = requireUser(principal);
      return deps.pubsub.subscribe<TokenAlertRecord>(tokenAlertTopic(caller.tenantId));
    },

    ensureIndexes: () => alerts.ensureIndexes(),
  };
}

export type TokenAlerts = ReturnType<typeof createTokenAlerts>;
