/**
 * Two processes pushing one incident at the same moment create one ServiceNow
 * incident: the create claim (a fixed-_id document per link) lets one of them
 * create while the other backs off and then finds that incident by its
 * correlation_id. A 429 storm lines both up: each waits out the same
 * Retry-After, then both look the incident up at once and find nothing (the
 * double answers 150 ms after deciding, so both lookups are decided before
 * either create).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditRecorder, createInMemoryPubSub, createPeerCaller, type Principal } from "@intelgraph/kit";
// The root package has no @intelgraph/subgraph-connectors dependency; a second process's services are built from its index.
// eslint-disable-next-line no-restricted-imports
import { createConnectorServices } from "../../subgraphs/connectors/src/index.ts";
import { gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { startServiceNowDouble, type ServiceNowDouble } from "../support/servicenowDouble.ts";
import { createTestLogger } from "../support/testLogger.ts";

const platform = useTestPlatform("snowprocs");
let double: ServiceNowDouble;
let tenant: TestTenant;

const ok = async (query: string, variables: Record<string, unknown> = {}) => {
  const res = await gql<any>(platform.url, query, variables, { token: tenant.token });
  if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
  return res.data;
};

/** Another process's connector services on the platform's database, reading the graph through the platform's graph subgraph. */
function otherProcess() {
  const logger = createTestLogger("snowprocs-other");
  const pubsub = createInMemoryPubSub();
  return createConnectorServices({
    db: platform.stores.mongo.db,
    now: Date.now,
    peers: createPeerCaller({
      principalKey: platform.config.PRINCIPAL_SIGNING_KEY,
      transportFor: (name) => (name === "graph" ? platform.graph : undefined),
    }),
    pubsub,
    audit: createAuditRecorder({ db: platform.stores.mongo.db, pubsub, logger }),
    logger,
    connectorSecretKey: platform.config.CONNECTOR_SECRET_KEY,
  });
}

beforeAll(async () => {
  double = await startServiceNowDouble();
  tenant = await platform.newTenant("snowp");
});
afterAll(() => double?.close());

describe("pushes from two processes", () => {
  it("create the incident once, and both deliveries name it", async () => {
    const connectorId = (
      await ok(`mutation($input: RegisterConnectorInput!) { registerConnector(input: $input) { id } }`, {
        input: {
          kind: "SERVICENOW",
          name: "two-processes",
          baseUrl: double.url,
          username: "intelgraph",
          secret: "s3cret-pw",
          replay: { inlineAttempts: 5 },
        },
      })
    ).registerConnector.id as string;
    const incidentId = (await ok(`mutation { createIncidents(input: [{ title: "pushed by two processes" }]) { incidents { id } } }`))
      .createIncidents.incidents[0].id as string;
    const other = otherProcess();
    await other.ensureIndexes();
    const admin: Principal = { kind: "user", tenantId: tenant.id, userId: tenant.adminId, roles: ["ADMIN"], scopes: [] };

    double.storm(2, 1);
    double.latency(150);
    const [mine, theirs] = await Promise.all([
      ok(`mutation($input: PushIncidentInput!) { pushIncidentToServiceNow(input: $input) { status sysId created } }`, {
        input: { connectorId, incidentId },
      }).then((d) => d.pushIncidentToServiceNow),
      other.outbound.push(admin, { input: { connectorId, incidentId } }, {}),
    ]);

    expect([mine.status, theirs.status]).toEqual(["DELIVERED", "DELIVERED"]);
    expect(theirs.sysId).toBe(mine.sysId);
    expect([mine.created, theirs.created].filter(Boolean)).toHaveLength(1);
    const created = [...double.records.values()].filter((r) => r["correlation_id"] === `intelgraph:${incidentId}`);
    expect(created, "ServiceNow incidents with our correlation_id").toHaveLength(1);
    expect(
      double.tableRequests().filter((r) => r.method === "POST" && r.status < 300),
      "successful creates",
    ).toHaveLength(1);
  });
});
