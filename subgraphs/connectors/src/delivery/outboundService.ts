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
import type { ConnectorService } from "../connectorService.ts";
import type { ConnectorRuntime } from "../connectorRuntime.ts";
import { correlationIdOf, indicatorNote, toServiceNowFields, type OurIncident } from "../servicenow/incidentMapping.ts";
import { deliverWithRetries } from "./deliver.ts";
import { connectorAlertTopic, createDeadLetterQueue } from "./deadLetterQueue.ts";
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

export { connectorAlertTopic };

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

  const dlq = createDeadLetterQueue({ ...deps, owner, random });

  async function readIncident(principal: Principal, incidentId: string): Promise<OurIncident> {
    const data = await deps.peers.call<{ incidents: OurIncident[] }>("graph", principal, {
      query: INCIDENT_QUERY,
      variables: { id: incidentId },
    });
    const incident = data.incidents[0];
    if (!incident) throw appError(ErrorCode.NOT_FOUND, `No incident ${incidentId} in your tenant.`, { id: incidentId });
    return incident;
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
      return dlq.settle(connector, delivery, payload, outcome);
    },

    async replay(principal: Principal, args: { id: string }, hints: AuditHints): Promise<DeliveryRecord> {
      const caller = requireUser(principal);
      const dl = await store.deadLetters.forTenant(caller.tenantId).findOne({ _id: args.id });
      if (!dl) throw appError(ErrorCode.NOT_FOUND, `No dead letter ${args.id} in your tenant.`, { id: args.id });
      hints.targetIds = [dl._id, dl.connectorId];
      if (dl.status === "REPLAYED") throw appError(ErrorCode.CONFLICT, "This dead letter was replayed already.", { id: dl._id });
      const connector = await connectors.get(principal, dl.connectorId);
      const settled = await dlq.replayOne(connector, dl, dl.replays + 1, true);
      if (!settled) throw appError(ErrorCode.CONFLICT, "This dead letter is being replayed right now; look again shortly.", { id: dl._id });
      return settled;
    },

    /** The auto-replay job: due dead letters inside their connector's safe window. */
    replayDue: (limit?: number) => dlq.replayDue(limit),

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
