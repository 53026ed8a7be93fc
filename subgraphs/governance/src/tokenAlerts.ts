import type { Db } from "mongodb";
import {
  createTenantRepository,
  requireUser,
  systemClock,
  type AuditRecorder,
  type Clock,
  type Logger,
  type Principal,
  type PubSub,
} from "@intelgraph/kit";
import { API_TOKENS } from "./apiTokens.ts";
import { createRaiseTokenAlert, TOKEN_ALERTS, tokenAlertTopic, type AlertedToken, type TokenAlertRecord } from "./raiseTokenAlert.ts";
import { createTokenAlertRules, TOKEN_ALERT_RULES, type TokenAlertRulesRecord } from "./tokenAlertRules.ts";
import { createTokenUseChecks } from "./tokenUseChecks.ts";

export { DEFAULT_TOKEN_ALERT_RULES, TOKEN_ALERT_RULES, type TokenAlertRules } from "./tokenAlertRules.ts";
export { TOKEN_ALERTS, tokenAlertTopic, type AlertedToken, type TokenAlertRecord, type TokenAlertRule } from "./raiseTokenAlert.ts";

export interface TokenAlertsDeps {
  db: Db;
  pubsub: PubSub;
  audit: AuditRecorder;
  logger: Logger;
  /**
   * The clock, in ms since the epoch.
   * @default systemClock
   */
  now?: Clock;
  /**
   * How long a tenant's rules are cached by the process that checks tokens.
   * @default 5000
   */
  rulesTtlMs?: number;
}

/**
 * Watches API-token use for anomalies (new IP, a burst of refusals, use after
 * dormancy). Each alert is stored, recorded as an audit event
 * (`tokenAlertRaised`, naming the rule) and published for the
 * `tokenAlertRaised` subscription. Runs where tokens are checked (the gateway);
 * refusal counts are kept per process, like rate limits. The rules are
 * tokenAlertRules.ts, the checks tokenUseChecks.ts, raising raiseTokenAlert.ts.
 */
export function createTokenAlerts({ db, pubsub, audit, logger, now = systemClock, rulesTtlMs = 5000 }: TokenAlertsDeps) {
  const alerts = createTenantRepository<TokenAlertRecord>(db, TOKEN_ALERTS, {
    indexes: [{ key: { tenantId: 1, raisedAt: -1, _id: -1 }, name: "tenant_time" }],
  });
  const { cachedRules, getRules, setRules } = createTokenAlertRules({
    rules: db.collection<TokenAlertRulesRecord>(TOKEN_ALERT_RULES),
    now,
    rulesTtlMs,
  });
  const raise = createRaiseTokenAlert({ alerts, pubsub, audit, logger, now });
  const tokens = createTenantRepository<AlertedToken>(db, API_TOKENS);

  return {
    ...createTokenUseChecks({ raise, cachedRules, tokens, now }),
    getRules,
    setRules,

    async list(principal: Principal, args: { first?: number | null; tokenId?: string | null }) {
      const caller = requireUser(principal);
      const first = Math.min(Math.max(args.first ?? 50, 1), 200);
      return alerts
        .forTenant(caller.tenantId)
        .find(args.tokenId ? { tokenId: args.tokenId } : {}, { sort: { raisedAt: -1, _id: -1 }, limit: first });
    },

    subscribe(principal: Principal): AsyncIterableIterator<TokenAlertRecord> {
      const caller = requireUser(principal);
      return pubsub.subscribe<TokenAlertRecord>(tokenAlertTopic(caller.tenantId));
    },

    ensureIndexes: () => alerts.ensureIndexes(),
  };
}

export type TokenAlerts = ReturnType<typeof createTokenAlerts>;
