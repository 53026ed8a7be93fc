/**
 * Isolation cases of the connector operations (test/support/isolationCases.ts
 * spreads them in). A's connectors point at one shared ServiceNow double, so
 * A's positive controls succeed; B sends A's ids and is refused (NOT_FOUND).
 */
import { expect } from "vitest";
import { gql } from "./graphqlClient.ts";
import type { ReadProof } from "./isolationReads.ts";
import type { TestPlatform } from "./platform.ts";
import type { IsolationContext, ValidCase } from "./isolationCases.ts";
import { fixture, startServiceNowDouble, type ServiceNowDouble } from "./servicenowDouble.ts";

let shared: Promise<ServiceNowDouble> | undefined;
const double = () => (shared ??= startServiceNowDouble());
let counter = 0;
const unique = (who: string) => `${who}${Date.now().toString(36)}${(counter++).toString(36)}`;

/** Refuses connections at once: deliveries to it fail fast and are dead-lettered. */
const UNREACHABLE = "http://127.0.0.1:9";

async function connectorOfA(ctx: IsolationContext, baseUrl?: string, replay?: Record<string, number>): Promise<string> {
  const url = baseUrl ?? (await double()).url;
  const data = await ctx.asA(`mutation($input: RegisterConnectorInput!) { registerConnector(input: $input) { id } }`, {
    input: {
      kind: "SERVICENOW",
      name: `sn-${unique("a")}`,
      baseUrl: url,
      username: "intelgraph",
      secret: "s3cret-pw",
      ...(replay ? { replay } : {}),
    },
  });
  return data.registerConnector.id as string;
}

async function incidentOfA(ctx: IsolationContext): Promise<string> {
  const data = await ctx.asA(`mutation($input: [IncidentCreateInput!]!) { createIncidents(input: $input) { incidents { id } } }`, {
    input: [{ title: `iso-${unique("a")}`, severity: "low" }],
  });
  return data.createIncidents.incidents[0].id as string;
}

const withConnector = async (ctx: IsolationContext) => ({ id: await connectorOfA(ctx) });

/**
 * For the reads: a connector of A's whose one delivery failed (an unreachable instance, one inline attempt, no
 * replay for an hour), so its deliveries, dead letters and health hold something of A's beyond the id A sent.
 */
async function failedDeliveryOfA(ctx: IsolationContext): Promise<{ id: string }> {
  const connectorId = await connectorOfA(ctx, UNREACHABLE, { inlineAttempts: 1, backoffSeconds: 3600 });
  await ctx.asA(`mutation($input: PushIncidentInput!) { pushIncidentToServiceNow(input: $input) { id } }`, {
    input: { connectorId, incidentId: await incidentOfA(ctx) },
  });
  return { id: connectorId };
}
const byId: ValidCase = { prepare: withConnector, variables: (_, __, { id }) => ({ id }) };
const byConnectorId: ValidCase = { prepare: withConnector, variables: (_, __, { id }) => ({ connectorId: id }) };

export const CONNECTOR_CASES: Record<string, ValidCase> = {
  connector: byId,
  connectorHealth: { prepare: failedDeliveryOfA, variables: (_, __, { id }) => ({ id }) },
  connectorDeadLetters: { prepare: failedDeliveryOfA, variables: (_, __, { id }) => ({ connectorId: id }) },
  connectorDeliveries: { prepare: failedDeliveryOfA, variables: (_, __, { id }) => ({ connectorId: id }) },
  testConnection: byId,
  syncServiceNowIncidents: byConnectorId,
  updateConnector: { prepare: withConnector, variables: (_, __, { id }) => ({ id, input: { rateLimit: { ratePerSecond: 2, burst: 4 } } }) },
  pushIncidentToServiceNow: {
    prepare: async (ctx) => ({ connectorId: await connectorOfA(ctx), incidentId: await incidentOfA(ctx) }),
    variables: (_, __, prepared) => ({ input: prepared }),
  },
  ingestServiceNowIncident: {
    prepare: withConnector,
    variables: (_, __, { id }) => ({ connectorId: id, payload: { result: { ...fixture("incident").result, sys_id: "c".repeat(32) } } }),
  },
  replayConnectorDeadLetter: {
    prepare: async (ctx) => {
      const connectorId = await connectorOfA(ctx, UNREACHABLE, { inlineAttempts: 1, backoffSeconds: 3600 });
      const incidentId = await incidentOfA(ctx);
      await ctx.asA(`mutation($input: PushIncidentInput!) { pushIncidentToServiceNow(input: $input) { id } }`, {
        input: { connectorId, incidentId },
      });
      const data = await ctx.asA(`query($id: ID!) { connectorDeadLetters(connectorId: $id) { id } }`, { id: connectorId });
      return { id: data.connectorDeadLetters[0].id };
    },
    variables: (_, __, { id }) => ({ id }),
  },
  // Tenant-scoped by the caller's principal: B's call writes B's own incident, never A's.
  upsertExternalIncident: {
    variables: (_, who) => ({
      source: `iso-${who}`,
      input: { system: "servicenow", externalId: `iso-${unique(who)}`, title: "iso incident" },
    }),
  },
};

/** Connector reads proven by value (isolationReads.ts spreads them into READ_PROOFS). */
export const CONNECTOR_READ_PROOFS: Record<string, ReadProof> = {
  connectorHealth: {
    noIds: "counters of one connector, read by the id A sent (an id the caller sent is no proof)",
    compare(ofA, ofB) {
      expect(ofA, "A's health shows its failed delivery").toMatchObject({ failures: expect.any(Number), dlqDepth: 1 });
      expect(ofA.failures).toBeGreaterThanOrEqual(1);
      expect(ofB ?? null, "B read A's connector health").toBeNull();
    },
  },
  // The throwaway's ids (its delivery, dead letter and incident) are not among the seeded ids the suite looks for.
  connectorDeliveries: {
    noIds: "the deliveries of one connector, read by the id A sent; the delivery A's push made is compared instead",
    compare(ofA, ofB) {
      expect(ofA, "A's failed delivery").toEqual([expect.objectContaining({ status: "DEAD_LETTERED", attempts: 1 })]);
      expect(ofB ?? [], "B read A's deliveries").toEqual([]);
    },
  },
  connectorDeadLetters: {
    noIds: "the dead letters of one connector, read by the id A sent; the letter A's failed push left is compared instead",
    compare(ofA, ofB) {
      expect(ofA, "A's dead letter").toEqual([expect.objectContaining({ action: "UPSERT", attempts: 1 })]);
      expect(ofA[0].lastError).toBeTruthy();
      expect(ofB ?? [], "B read A's dead letters").toEqual([]);
    },
  },
};

/** For SUBSCRIPTION_TRIGGERS: a delivery to an unreachable instance dead-letters at once and raises the DLQ alert (threshold 1). */
export const CONNECTOR_ALERT_TRIGGER = {
  expect: "DLQ_DEPTH",
  async fire(platform: TestPlatform, token: string, name: string) {
    const call = async (query: string, variables: Record<string, unknown>) =>
      (await gql<any>(platform.url, query, variables, { token })).data;
    const connector = await call(`mutation($input: RegisterConnectorInput!) { registerConnector(input: $input) { id } }`, {
      input: {
        kind: "SERVICENOW",
        name: `${name}-${unique("t")}`,
        baseUrl: UNREACHABLE,
        username: "u",
        secret: "s",
        replay: { inlineAttempts: 1, alertThreshold: 1, backoffSeconds: 3600 },
      },
    });
    const incident = await call(`mutation($input: [IncidentCreateInput!]!) { createIncidents(input: $input) { incidents { id } } }`, {
      input: [{ title: `${name}-alert` }],
    });
    await call(`mutation($input: PushIncidentInput!) { pushIncidentToServiceNow(input: $input) { id } }`, {
      input: { connectorId: connector.registerConnector.id, incidentId: incident.createIncidents.incidents[0].id },
    });
  },
};
