import { GraphQLScalarType } from "graphql";
import type { RequestContext } from "@intelgraph/kit";
import type { Connector, ConnectorService } from "./connectorService.ts";
import type { ConnectorRuntime } from "./connectorRuntime.ts";
import type { DeadLetterRecord, DeliveryRecord } from "./delivery/deliveryStore.ts";
import type { OutboundService } from "./delivery/outboundService.ts";
import type { InboundService } from "./inboundService.ts";

export interface ConnectorsContext extends RequestContext {
  connectors: ConnectorService;
  outbound: OutboundService;
  inbound: InboundService;
  runtime: ConnectorRuntime;
}

const iso = (d: Date | number | null | undefined) => (d === null || d === undefined ? null : new Date(d).toISOString());

/** Only safe fields leave the service: the sealed secret never does. */
const view = (c: Connector) => ({
  id: c._id,
  kind: c.kind,
  name: c.name,
  baseUrl: c.baseUrl,
  authKind: c.authKind,
  username: c.username,
  clientId: c.clientId,
  secretSource: c.secret.source,
  secretRef: c.secret.source === "REFERENCE" ? c.secret.ref : null,
  mapping: c.mapping,
  rateLimit: c.rateLimit,
  replay: c.replay,
  sync: {
    enabled: c.sync.enabled,
    intervalMinutes: c.sync.intervalMinutes,
    query: c.sync.query,
    cursor: c.sync.cursor,
    lastSyncAt: iso(c.sync.lastSyncAt),
    runAsUserId: c.sync.runAs?.userId ?? null,
  },
  createdBy: c.createdBy,
  createdAt: c.createdAt.toISOString(),
  updatedAt: iso(c.updatedAt),
});

const deliveryView = (d: DeliveryRecord) => ({
  id: d._id,
  connectorId: d.connectorId,
  incidentId: d.incidentId,
  action: d.action,
  status: d.status,
  sysId: d.sysId,
  number: d.number,
  attempts: d.attempts,
  lastError: d.lastError,
  created: d.created,
  createdAt: d.createdAt.toISOString(),
  deliveredAt: iso(d.deliveredAt),
});

const deadLetterView = (d: DeadLetterRecord) => ({
  id: d._id,
  connectorId: d.connectorId,
  deliveryId: d.deliveryId,
  incidentId: d.incidentId,
  action: d.action,
  status: d.status,
  attempts: d.attempts,
  replays: d.replays,
  lastError: d.lastError,
  nextAttemptAt: iso(d.nextAttemptAt),
  createdAt: d.createdAt.toISOString(),
  replayedAt: iso(d.replayedAt),
});

/** Any JSON value, passed through (the service validates it). */
const JSON = new GraphQLScalarType({
  name: "JSON",
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: () => {
    throw new TypeError("JSON arguments must be passed as variables");
  },
});

type Ctx = ConnectorsContext;

export const resolvers = {
  JSON,
  Query: {
    connectors: async (_: unknown, __: unknown, ctx: Ctx) => (await ctx.connectors.list(ctx.principal)).map(view),
    connector: async (_: unknown, args: { id: string }, ctx: Ctx) => view(await ctx.connectors.get(ctx.principal, args.id)),
    connectorHealth: async (_: unknown, args: { id: string }, ctx: Ctx) => {
      const connector = await ctx.connectors.get(ctx.principal, args.id);
      const health = ctx.runtime.health(connector);
      const dlqDepth = await ctx.outbound.pendingDepth(ctx.principal, connector._id);
      return {
        connectorId: connector._id,
        ...health,
        dlqDepth,
        lastSuccessAt: iso(health.lastSuccessAt),
        lastFailureAt: iso(health.lastFailureAt),
        rateLimit: { ...health.rateLimit, blockedUntil: iso(health.rateLimit.blockedUntil) },
      };
    },
    connectorDeadLetters: async (_: unknown, args: { connectorId: string; status?: string; limit?: number }, ctx: Ctx) =>
      (await ctx.outbound.deadLetters(ctx.principal, args)).map(deadLetterView),
    connectorDeliveries: async (_: unknown, args: { connectorId: string; limit?: number }, ctx: Ctx) =>
      (await ctx.outbound.deliveries(ctx.principal, args)).map(deliveryView),
  },
  Mutation: {
    registerConnector: async (_: unknown, args: { input: unknown }, ctx: Ctx) =>
      view(await ctx.connectors.register(ctx.principal, args, ctx.auditHints)),
    updateConnector: async (_: unknown, args: { id: string; input: unknown }, ctx: Ctx) =>
      view(await ctx.connectors.update(ctx.principal, args, ctx.auditHints)),
    testConnection: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.inbound.testConnection(ctx.principal, args, ctx.auditHints),
    pushIncidentToServiceNow: async (_: unknown, args: { input: unknown }, ctx: Ctx) =>
      deliveryView(await ctx.outbound.push(ctx.principal, args, ctx.auditHints)),
    ingestServiceNowIncident: (_: unknown, args: { connectorId: string; payload: unknown }, ctx: Ctx) =>
      ctx.inbound.ingest(ctx.principal, args, ctx.auditHints),
    syncServiceNowIncidents: (_: unknown, args: { connectorId: string }, ctx: Ctx) => ctx.inbound.sync(ctx.principal, args, ctx.auditHints),
    replayConnectorDeadLetter: async (_: unknown, args: { id: string }, ctx: Ctx) =>
      deliveryView(await ctx.outbound.replay(ctx.principal, args, ctx.auditHints)),
  },
  Subscription: {
    connectorAlertRaised: {
      subscribe: (_: unknown, __: unknown, ctx: Ctx) => ctx.outbound.subscribeAlerts(ctx.principal),
      resolve: (alert: unknown) => alert,
    },
  },
};
