/**
 * The dead-letter queue: a delivery still failing after its inline attempts
 * is stored with its payload; replays (auto, within the connector's safe
 * window, with exponential backoff and jitter, up to maxAttempts; or manual)
 * send the same payload through the same correlation_id check. Each replay n
 * of a letter is claimed by inserting the fixed _id `<letter>#<n>`, so two
 * processes never send the same one (FerretDB's filtered updates are not
 * atomic across connections). A queue at or above the connector's
 * alertThreshold raises connectorAlertRaised and an audit event.
 */
import { randomUUID } from "node:crypto";
import type { Connector } from "../connectorService.ts";
import { deliverWithRetries, type DeliveryOutcome } from "./deliver.ts";
import type { DeadLetterRecord, DeliveryPayload, DeliveryRecord } from "./deliveryStore.ts";
import type { OutboundDeps } from "./outboundService.ts";

export const connectorAlertTopic = (tenantId: string) => `connectors.alerts.${tenantId}`;

export function createDeadLetterQueue(deps: OutboundDeps & { owner: string; random: () => number }) {
  const { connectors, store, runtime, now, owner, random } = deps;
  const at = () => new Date(now());

  /** Replay n (1-based) waits backoff · 2^(n-1), ±25 % jitter. */
  const replayDelayMs = (connector: Connector, replay: number) =>
    connector.replay.backoffSeconds * 1000 * 2 ** Math.max(0, replay - 1) * (0.75 + random() / 2);

  async function alertIfGrown(connector: Connector): Promise<void> {
    const depth = await store.pendingDepth(connector.tenantId, connector._id);
    runtime.metrics.deadLetters(connector._id, depth);
    const threshold = connector.replay.alertThreshold;
    if (depth < threshold) return;
    const alert = {
      connectorId: connector._id,
      kind: "DLQ_DEPTH",
      dlqDepth: depth,
      threshold,
      message: `Connector "${connector.name}" has ${depth} dead letters pending (threshold ${threshold}).`,
      raisedAt: at().toISOString(),
    };
    deps.logger.warn({ connectorId: connector._id, depth, threshold }, "connector dead-letter queue above threshold");
    await deps.pubsub.publish(connectorAlertTopic(connector.tenantId), alert);
    await deps.audit.record({
      tenantId: connector.tenantId,
      actor: { userId: null, kind: "system" },
      action: "connectorAlertRaised",
      service: "connectors",
      targetType: "Connector",
      targetIds: [connector._id],
      outcome: "success",
      errorCode: null,
      requestId: randomUUID(),
      arguments: { dlqDepth: depth, threshold },
    });
  }

  /** Stores the outcome on the delivery; a failure becomes (or stays) a dead letter. */
  async function settle(connector: Connector, delivery: DeliveryRecord, payload: DeliveryPayload, outcome: DeliveryOutcome) {
    const tenant = delivery.tenantId;
    const status = outcome.ok ? "DELIVERED" : "DEAD_LETTERED";
    const update = {
      status,
      sysId: outcome.sysId ?? delivery.sysId,
      number: outcome.number ?? delivery.number,
      attempts: delivery.attempts + outcome.attempts,
      lastError: outcome.error,
      created: delivery.created || outcome.created,
      ...(outcome.ok ? { deliveredAt: at() } : {}),
    } as const;
    await store.deliveries.forTenant(tenant).updateOne({ _id: delivery._id }, { $set: update });
    runtime.metrics.delivery(connector._id, status);
    const result = { ...delivery, ...update };
    if (!outcome.ok && delivery.status !== "DEAD_LETTERED") {
      await store.deadLetters.forTenant(tenant).insertOne({
        _id: `dl-${delivery._id}`,
        connectorId: connector._id,
        deliveryId: delivery._id,
        incidentId: delivery.incidentId,
        action: delivery.action,
        payload,
        status: connector.replay.maxAttempts > 0 ? "PENDING" : "EXHAUSTED",
        attempts: update.attempts,
        replays: 0,
        lastError: outcome.error ?? "failed",
        nextAttemptAt: new Date(now() + replayDelayMs(connector, 1)),
        createdAt: at(),
        replayedAt: null,
      });
      await alertIfGrown(connector);
    }
    return result;
  }

  /** Sends dead letter `dl` as replay `replay`; false when another process claimed that replay. */
  async function replayOne(connector: Connector, dl: DeadLetterRecord, replay: number, manual: boolean) {
    const tenant = dl.tenantId;
    if (!(await store.claimReplay(tenant, dl._id, replay, owner, at()))) return null;
    const delivery = await store.deliveries.forTenant(tenant).findOne({ _id: dl.deliveryId });
    if (!delivery) return null;
    const outcome = await deliverWithRetries(runtime, store, connector, dl.incidentId, dl.payload, 1, at);
    const settled = await settle(connector, delivery, dl.payload, outcome);
    const exhausted = !outcome.ok && (replay >= connector.replay.maxAttempts || manual);
    await store.deadLetters.forTenant(tenant).updateOne(
      { _id: dl._id },
      {
        $set: {
          status: outcome.ok ? "REPLAYED" : exhausted && !manual ? "EXHAUSTED" : dl.status === "EXHAUSTED" ? "EXHAUSTED" : "PENDING",
          replays: replay,
          attempts: dl.attempts + outcome.attempts,
          lastError: outcome.error ?? dl.lastError,
          nextAttemptAt: outcome.ok || exhausted ? null : new Date(now() + replayDelayMs(connector, replay + 1)),
          ...(outcome.ok ? { replayedAt: at() } : {}),
        },
      },
    );
    runtime.metrics.deadLetters(connector._id, await store.pendingDepth(tenant, connector._id));
    return settled;
  }

  return {
    settle,
    replayOne,
    /** The auto-replay job: due dead letters inside their connector's safe window. */
    async replayDue(limit = 100): Promise<{ replayed: number; failed: number; expired: number }> {
      const counts = { replayed: 0, failed: 0, expired: 0 };
      for (const { _id, tenantId } of await deps.sweep.dueDeadLetters(at(), limit)) {
        const dl = await store.deadLetters.forTenant(tenantId).findOne({ _id });
        if (!dl || dl.status !== "PENDING") continue;
        const connector = await connectors.byTenant(tenantId, dl.connectorId);
        if (!connector || dl.createdAt.getTime() + connector.replay.windowHours * 3_600_000 < now()) {
          await store.deadLetters
            .forTenant(tenantId)
            .updateOne({ _id, status: "PENDING" }, { $set: { status: "EXHAUSTED", nextAttemptAt: null } });
          counts.expired++;
          continue;
        }
        const settled = await replayOne(connector, dl, dl.replays + 1, false);
        if (settled) counts[settled.status === "DELIVERED" ? "replayed" : "failed"]++;
      }
      return counts;
    },
  };
}
