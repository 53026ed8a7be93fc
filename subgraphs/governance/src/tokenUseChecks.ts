import type { Clock, TenantRepository } from "@intelgraph/kit";
import type { AlertedToken, RaiseTokenAlert, TokenAlertRecord } from "./raiseTokenAlert.ts";
import type { TokenAlertRules } from "./tokenAlertRules.ts";

const DAY_MS = 86_400_000;

export interface TokenUseChecksDeps {
  raise: RaiseTokenAlert;
  cachedRules: (tenantId: string) => Promise<TokenAlertRules>;
  /** The API tokens, to name the one a burst of refusals came from. */
  tokens: TenantRepository<AlertedToken>;
  now: Clock;
}

/** The anomaly rules applied to each use of a token: new IP and dormancy on success, bursts of refusals. */
export function createTokenUseChecks({ raise, cachedRules, tokens, now }: TokenUseChecksDeps) {
  /** Refusal times per token within the window (this process only). */
  const denials = new Map<string, number[]>();

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
      const idleMs = now() - idleSince.getTime();
      if (!isNewIp && idleMs < DAY_MS) return []; // nothing any rule could flag: skip reading the rules
      const rules = await cachedRules(token.tenantId);
      const raised: TokenAlertRecord[] = [];
      if (isNewIp && rules.newIp) {
        const known = token.knownIps.slice(-5).join(", ");
        raised.push(await raise(token, "NEW_IP", ip, `first use from ${ip} (seen before from ${known})`, requestId));
      }
      if (rules.dormantDays !== null && idleMs >= rules.dormantDays * DAY_MS) {
        const days = Math.floor(idleMs / DAY_MS);
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
      const t = now();
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
  };
}
