/**
 * pushIncidentToServiceNow, the dead-letter queue and its replays. A push
 * reads our Incident from the graph as the caller, maps it, and delivers it
 * (deliver.ts); one still failing after the inline attempts is dead-lettered
 * with its payload. The auto-replay job sends due dead letters again within
 * the connector's safe window, each replay claimed by a fixed _id so two
 * processes never send the same one; replays go through the same
 * correlation_id check, so nothing is ever created twice.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  appError,
  ErrorCode,
  requireUser,
  validateInput,
  type AuditHints,
  type AuditRecorder,
  type Clock,
  type Logger,
  type PeerCaller,
  type Principal,
  type PubSub,
} from "@intelgraph/kit";
import type { Connector, ConnectorService } from "../connectorService.ts";
import type { ConnectorRuntime } from "../connectorRuntime.ts";
import { correlationIdOf, indicatorNote, toServiceNowFields, type OurIncident } from "../servicenow/incidentMapping.ts";
import { deliverWithRetries, type DeliveryOutcome } from "./deliver.ts";
import type { Action, DeadLetterRecord, DeliveryPayload, DeliveryRecord, DeliveryStore } from "./deliveryStore.ts";
import type { createSweepQueue } from "./sweepQueue.ts";

const pushInput = z.object({
  connectorId: z.string().min(1, "required"),
  incidentId: z.string().min(1, "required"),
  action: z.enum(["UPSERT", "RESOLVE"]).nullish(),
  workNotes: z.string().trim().max(20_000).nullish(),
});

const INCIDENT_QUERY = `query ConnectorIncident($id: ID!) {
  incidents(where: { id: { eq: $id } }) { id title description severity status indicators { pattern kind } }
}`;

export const connectorAlertTopic = (tenantId: string) => `connectors.alerts.${tenantId}`;

export interface OutboundDeps {
  connectors: ConnectorService;
  store: DeliveryStore;
  runtime: ConnectorRuntime;
  peers: PeerCaller;
  pubsub: PubSub;
  audit: AuditRecorder;
  sweep: ReturnType<typeof createSweepQueue>;
  logger: Logger;
  now: Clock;
  /** Names this process in replay claims. */
  owner?: string;
  random?: () => number;
}

export function createOutboundService(deps: OutboundDeps) {
  const { connectors, store, runtime, now } = deps;
  const owner = deps.owner ?? randomUUID();
  const random = deps.random ?? Math.random;
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

  async function readIncident(principal: Principal, incidentId: string): Promise<OurIncident> {
    const data = await deps.peers.call<{ incidents: OurIncident[] }>("graph", principal, {
      query: INCIDENT_QUERY,
      variables: { id: incidentId },
    });
    const incident = data.incidents[0];
    if (!incident) throw appError(ErrorCode.NOT_FOUND, `No incident ${incidentId} in your tenant.`, { id: incidentId });
    return incident;
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
    async push(principal: Principal, args: { input: unknown }, hints: AuditHints): Promise<DeliveryRecord> {
      const caller = requireUser(principal);
      const input = validateInput(pushInput, args.input);
      const connector = await connectors.get(principal, input.connectorId);
      const incident = await readIncident(principal, input.incidentId);
      const action: Action = input.action ?? "UPSERT";
      hints.targetIds = [connector._id, incident.id];
      const payload: DeliveryPayload = {
        correlationId: correlationIdOf(incident.id),
        fields: toServiceNowFields(incident, connector.mapping),
        indicatorNote: indicatorNote(incident.indicators),
        workNotes: input.workNotes ?? null,
        resolve:
          action === "RESOLVE"
            ? { closeCode: connector.mapping.closeCode, closeNotes: input.workNotes || `Resolved in IntelGraph (${incident.id}).` }
            : null,
      };
      const delivery = await store.deliveries.forTenant(caller.tenantId).insertOne({
        connectorId: connector._id,
        incidentId: incident.id,
        action,
        status: "PENDING",
        sysId: null,
        number: null,
        attempts: 0,
        lastError: null,
        created: false,
        latencyMs: null,
        createdAt: at(),
        deliveredAt: null,
      });
      const outcome = await deliverWithRetries(runtime, store, connector, incident.id, payload, connector.replay.inlineAttempts, at);
      return settle(connector, delivery, payload, outcome);
    },

    async replay(principal: Principal, args: { id: string }, hints: AuditHints): Promise<DeliveryRecord> {
      const caller = requireUser(principal);
      const dl = await store.deadLetters.forTenant(caller.tenantId).findOne({ _id: args.id });
      if (!dl) throw appError(ErrorCode.NOT_FOUND, `No dead letter ${args.id} in your tenant.`, { id: args.id });
      hints.targetIds = [dl._id, dl.connectorId];
      if (dl.status === "REPLAYED") throw appError(ErrorCode.CONFLICT, "This dead letter was replayed already.", { id: dl._id });
      const connector = await connectors.get(principal, dl.connectorId);
      const settled = await replayOne(connector, dl, dl.replays + 1, true);
      if (!settled) throw appError(ErrorCode.CONFLICT, "This dead letter is being replayed right now; look again shortly.", { id: dl._id });
      return settled;
    },

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

    async deadLetters(principal: Principal, args: { connectorId: string; status?: string | null; limit?: number | null }) {
      const caller = requireUser(principal);
      await connectors.get(principal, args.connectorId);
      return store.deadLetters
        .forTenant(caller.tenantId)
        .find(
          { connectorId: args.connectorId, ...(args.status ? { status: args.status as DeadLetterRecord["status"] } : {}) },
          { sort: { createdAt: -1 }, limit: Math.min(Math.max(args.limit ?? 50, 1), 500) },
        );
    },

    async deliveries(principal: Principal, args: { connectorId: string; limit?: number | null }) {
      const caller = requireUser(principal);
      await connectors.get(principal, args.connectorId);
      return store.deliveries
        .forTenant(caller.tenantId)
        .find({ connectorId: args.connectorId }, { sort: { createdAt: -1 }, limit: Math.min(Math.max(args.limit ?? 50, 1), 500) });
    },

    async pendingDepth(principal: Principal, connectorId: string): Promise<number> {
      const caller = requireUser(principal);
      return store.pendingDepth(caller.tenantId, connectorId);
    },

    subscribeAlerts(principal: Principal) {
      const caller = requireUser(principal);
      return deps.pubsub.subscribe(connectorAlertTopic(caller.tenantId));
    },
  };
}

export type OutboundService = ReturnType<typeof createOutboundService>;
