/**
 * The dead-letter replay policy on a clock the test moves: replay n waits
 * backoff · 2^(n-1) (±25 %), gives up after maxAttempts (EXHAUSTED), leaves
 * letters older than the safe window alone; two "processes" (two sets of
 * connector services on the same database) replaying at once send each letter
 * once; an EXHAUSTED letter still replays by hand. Dead letters are made
 * through the platform (a real push during an outage of the double), and the
 * DLQ alert arrives on the connectorAlertRaised subscription.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditRecorder, createInMemoryPubSub, type PeerCaller } from "@intelgraph/kit";
// The root package has no @intelgraph/subgraph-connectors dependency; a second process's services are built from its index.
// eslint-disable-next-line no-restricted-imports
import { createConnectorServices } from "../../subgraphs/connectors/src/index.ts";
import { gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { startServiceNowDouble, type ServiceNowDouble } from "../support/servicenowDouble.ts";
import { createTestLogger } from "../support/testLogger.ts";
import { subscribe } from "../support/wsClient.ts";

const platform = useTestPlatform("snowreplay");
let double: ServiceNowDouble;
let tenant: TestTenant;
let clock = Date.now();

const ok = async (query: string, variables: Record<string, unknown> = {}) => {
  const res = await gql<any>(platform.url, query, variables, { token: tenant.token });
  if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
  return res.data;
};

/** Replays need no graph read (the letter holds its payload): a peer call here is a bug. */
const noPeers: PeerCaller = {
  call: () => Promise.reject(new Error("replays must not read the graph")),
};

/** Another process's connector services on the platform's database, on the test's clock. */
function otherProcess() {
  const logger = createTestLogger("snowreplay-other");
  return createConnectorServices({
    db: platform.stores.mongo.db,
    now: () => clock,
    peers: noPeers,
    pubsub: createInMemoryPubSub(),
    audit: createAuditRecorder({ db: platform.stores.mongo.db, pubsub: createInMemoryPubSub(), logger }),
    logger,
    connectorSecretKey: platform.config.CONNECTOR_SECRET_KEY,
  });
}

async function deadLetters(connectorId: string) {
  const data = await ok(`query($id: ID!) { connectorDeadLetters(connectorId: $id) { id incidentId status replays nextAttemptAt } }`, {
    id: connectorId,
  });
  return data.connectorDeadLetters as Array<{
    id: string;
    incidentId: string;
    status: string;
    replays: number;
    nextAttemptAt: string | null;
  }>;
}

async function deadLettered(connectorId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { createIncidents } = await ok(
      `mutation { createIncidents(input: [{ title: "replay ${i}", severity: "low" }]) { incidents { id } } }`,
    );
    const id = createIncidents.incidents[0].id;
    const pushed = await ok(`mutation($input: PushIncidentInput!) { pushIncidentToServiceNow(input: $input) { status } }`, {
      input: { connectorId, incidentId: id },
    });
    expect(pushed.pushIncidentToServiceNow.status).toBe("DEAD_LETTERED");
    ids.push(id);
  }
  return ids;
}

beforeAll(async () => {
  double = await startServiceNowDouble();
  tenant = await platform.newTenant("replay");
});
afterAll(() => double?.close());

describe("dead-letter replay policy", () => {
  it("backs off exponentially, gives up after maxAttempts, skips letters outside the window, replays each once across processes", async () => {
    const { registerConnector } = await ok(`mutation($input: RegisterConnectorInput!) { registerConnector(input: $input) { id } }`, {
      input: {
        kind: "SERVICENOW",
        name: "policy",
        baseUrl: double.url,
        username: "intelgraph",
        secret: "s3cret-pw",
        replay: { inlineAttempts: 1, backoffSeconds: 600, maxAttempts: 2, windowHours: 1, alertThreshold: 2 },
      },
    });
    const connectorId = registerConnector.id;
    const { sub: alerts } = await subscribe(
      platform.url,
      `subscription { connectorAlertRaised { connectorId kind dlqDepth threshold } }`,
      tenant.token,
    );
    await new Promise((r) => setTimeout(r, 300));
    double.outage(502);
    const incidents = await deadLettered(connectorId, 2);
    expect(await alerts.next(5000)).toMatchObject({
      data: { connectorAlertRaised: { connectorId, kind: "DLQ_DEPTH", dlqDepth: 2, threshold: 2 } },
    });
    await alerts.close();
    clock = Date.now();
    const letters = await deadLetters(connectorId);
    for (const l of letters) {
      const wait = Date.parse(l.nextAttemptAt!) - clock;
      expect(wait).toBeGreaterThan(0.75 * 600_000 - 5_000);
      expect(wait).toBeLessThanOrEqual(1.25 * 600_000);
    }
    const [p1, p2] = [otherProcess(), otherProcess()];
    expect(await p1.outbound.replayDue()).toEqual({ replayed: 0, failed: 0, expired: 0 });

    // Replay 1 is due after at most 12.5 min; still down: both fail and wait 2 × 600 s (±25 %).
    clock += 760_000;
    expect(await p1.outbound.replayDue()).toEqual({ replayed: 0, failed: 2, expired: 0 });
    for (const l of await deadLetters(connectorId)) {
      expect([l.status, l.replays]).toEqual(["PENDING", 1]);
      const wait = Date.parse(l.nextAttemptAt!) - clock;
      expect(wait).toBeGreaterThanOrEqual(0.75 * 1_200_000);
      expect(wait).toBeLessThanOrEqual(1.25 * 1_200_000);
    }

    // Replay 2 (the last of maxAttempts 2), from two processes at once: each letter is sent once, then EXHAUSTED.
    clock += 1_510_000;
    const before = double.tableRequests().length;
    const [r1, r2] = await Promise.all([p1.outbound.replayDue(), p2.outbound.replayDue()]);
    expect(r1.failed + r2.failed).toBe(2);
    // Each send of a letter is a correlation_id lookup (the outage answers it): one per letter.
    expect(double.tableRequests().length - before).toBe(2);
    expect((await deadLetters(connectorId)).map((l) => [l.status, l.replays, l.nextAttemptAt])).toEqual([
      ["EXHAUSTED", 2, null],
      ["EXHAUSTED", 2, null],
    ]);

    // After recovery an EXHAUSTED letter only goes by hand; it lands once.
    double.recover();
    expect(await p1.outbound.replayDue()).toEqual({ replayed: 0, failed: 0, expired: 0 });
    const [first] = await deadLetters(connectorId);
    const replayed = await ok(`mutation($id: ID!) { replayConnectorDeadLetter(id: $id) { status sysId } }`, { id: first!.id });
    expect(replayed.replayConnectorDeadLetter.status).toBe("DELIVERED");
    expect([...double.records.values()].filter((r) => r["correlation_id"] === `intelgraph:${first!.incidentId}`)).toHaveLength(1);
    expect(incidents).toContain(first!.incidentId);

    // A letter older than the window (1 h) is not replayed automatically.
    double.outage(503);
    await deadLettered(connectorId, 1);
    double.recover();
    clock = Date.now() + 2 * 3_600_000;
    const sent = double.tableRequests().length;
    expect(await p1.outbound.replayDue()).toEqual({ replayed: 0, failed: 0, expired: 1 });
    expect(double.tableRequests().length).toBe(sent);
    expect((await deadLetters(connectorId)).filter((l) => l.status === "PENDING")).toEqual([]);
  });
});
