import { newId, type AuditRecorder, type Clock, type Logger, type PubSub, type TenantRepository } from "@intelgraph/kit";

export const TOKEN_ALERTS = "governance_token_alerts";

export type TokenAlertRule = "NEW_IP" | "DENIED_BURST" | "DORMANT_USE";

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

export interface RaiseTokenAlertDeps {
  alerts: TenantRepository<TokenAlertRecord>;
  pubsub: PubSub;
  audit: AuditRecorder;
  logger: Logger;
  now: Clock;
}

/**
 * Raises one alert: stored, recorded as an audit event (`tokenAlertRaised`,
 * naming the rule) and published for the `tokenAlertRaised` subscription.
 * Never throws: a lost alert is logged as an error instead.
 */
export function createRaiseTokenAlert(deps: RaiseTokenAlertDeps) {
  return async function raise(token: AlertedToken, rule: TokenAlertRule, ip: string | null, detail: string, requestId: string | null) {
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
      raisedAt: new Date(deps.now()),
    };
    try {
      await deps.alerts.forTenant(token.tenantId).insertOne(alert);
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
  };
}

export type RaiseTokenAlert = ReturnType<typeof createRaiseTokenAlert>;
