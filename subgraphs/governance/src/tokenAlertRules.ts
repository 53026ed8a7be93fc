import type { Collection } from "mongodb";
import { z } from "zod";
import { createTtlCache, requirePerson, requireUser, validateInput, type AuditHints, type Clock, type Principal } from "@intelgraph/kit";

export const TOKEN_ALERT_RULES = "governance_token_alert_rules";

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

/** One document per tenant, whose id is the tenant's: the key is the scope. */
export interface TokenAlertRulesRecord extends TokenAlertRules {
  _id: string; // tenant id
  updatedBy: string;
  updatedAt: Date;
}

const rulesInput = z.object({
  newIp: z.boolean().nullish(),
  deniedBurst: z.number().int().min(2, "at least 2").max(10_000).nullish(),
  deniedWindowSeconds: z.number().int().min(5, "at least 5 seconds").max(86_400, "at most a day").nullish(),
  dormantDays: z.number().int().min(1, "at least a day").max(3650).nullish(),
  /** Explicitly switch a threshold rule off (null fields otherwise keep their value). */
  disable: z.array(z.enum(["DENIED_BURST", "DORMANT_USE"])).nullish(),
});

const rulesOf = (stored: TokenAlertRulesRecord | null): TokenAlertRules =>
  stored
    ? {
        newIp: stored.newIp,
        deniedBurst: stored.deniedBurst,
        deniedWindowSeconds: stored.deniedWindowSeconds,
        dormantDays: stored.dormantDays,
      }
    : { ...DEFAULT_TOKEN_ALERT_RULES };

export interface TokenAlertRulesDeps {
  rules: Collection<TokenAlertRulesRecord>;
  now: Clock;
  /** How long a tenant's rules are cached by the process that checks tokens. */
  rulesTtlMs: number;
}

/** A tenant's token alert rules: read (cached where tokens are checked) and changed by its admins. */
export function createTokenAlertRules({ rules, now, rulesTtlMs }: TokenAlertRulesDeps) {
  const readRules = async (tenantId: string) => rulesOf(await rules.findOne({ _id: tenantId }));
  const rulesCache = createTtlCache(readRules, { ttlMs: rulesTtlMs });

  return {
    /** The rules as the checks see them: cached for `rulesTtlMs`. */
    cachedRules: (tenantId: string) => rulesCache.get(tenantId),

    async getRules(principal: Principal): Promise<TokenAlertRules & { updatedAt: Date | null; updatedBy: string | null }> {
      const caller = requireUser(principal);
      const stored = await rules.findOne({ _id: caller.tenantId });
      return { ...rulesOf(stored), updatedAt: stored?.updatedAt ?? null, updatedBy: stored?.updatedBy ?? null };
    },

    /** Changes the given rules (others keep their value); takes effect within the rules cache time (5 s). */
    async setRules(principal: Principal, args: { input: unknown }, hints: AuditHints) {
      const caller = requirePerson(principal, "change token alert rules");
      const input = validateInput(rulesInput, args.input);
      const current = await readRules(caller.tenantId);
      const disabled = new Set(input.disable ?? []);
      const next: TokenAlertRulesRecord = {
        _id: caller.tenantId,
        newIp: input.newIp ?? current.newIp,
        deniedBurst: disabled.has("DENIED_BURST") ? null : (input.deniedBurst ?? current.deniedBurst),
        deniedWindowSeconds: input.deniedWindowSeconds ?? current.deniedWindowSeconds,
        dormantDays: disabled.has("DORMANT_USE") ? null : (input.dormantDays ?? current.dormantDays),
        updatedBy: caller.userId,
        updatedAt: new Date(now()),
      };
      await rules.replaceOne({ _id: caller.tenantId }, next, { upsert: true });
      rulesCache.delete(caller.tenantId);
      hints.targetIds = [caller.tenantId];
      return next;
    },
  };
}
