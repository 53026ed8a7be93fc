/**
 * The ask sandbox against the real Neo4j on a pathological question: a
 * three-hop fan-out over the test's own tenant (6,000 people × 40 domains × 250
 * addresses = 60,000,000 paths behind one organisation) that the EXPLAIN cost
 * check is told to let through. Neo4j stops it at the timeout, which surfaces
 * as QUERY_TOO_EXPENSIVE (reason TIMEOUT) at once, not after the driver's
 * retries; nothing is written, no transaction is left running, and the failure
 * is audited. The row cap holds on a list of thousands.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectStores, type Stores } from "@intelgraph/gateway";
import { createAuditRecorder, createInMemoryPubSub, type AuditRecorder } from "@intelgraph/kit";
import { createAskService } from "@intelgraph/subgraph-graph";
import { testConfig } from "../support/platform.ts";
import { createTestLogger } from "../support/testLogger.ts";

const config = testConfig("asksandbox");
const tenant = `ask-sandbox-${randomUUID()}`;
const principal = { kind: "user" as const, tenantId: tenant, userId: "u-1", roles: ["ANALYST"], scopes: [] };
const PATHOLOGICAL = "list people who work for organizations that own domains that resolve to IP addresses";
const logger = createTestLogger("ask-sandbox");
let stores: Stores;
let audit: AuditRecorder;

async function cypher<T = Record<string, unknown>>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const session = stores.driver.session({ database: config.NEO4J_DATABASE });
  try {
    return (await session.run(query, { tenant, ...params })).records.map((r) => r.toObject() as T);
  } finally {
    await session.close();
  }
}

const footprint = () =>
  cypher<{ nodes: number; rels: number }>(
    "MATCH (n) WHERE n.tenantId = $tenant OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, count(r) AS rels",
  );

beforeAll(async () => {
  stores = await connectStores(config);
  audit = createAuditRecorder({ db: stores.mongo.db, pubsub: createInMemoryPubSub(), logger });
  await cypher(
    `CREATE (o:Organization { id: $tenant + '-o', tenantId: $tenant, name: 'Acme Corp' })
     WITH o UNWIND range(1, 40) AS d
     CREATE (o)-[:OWNS { confidence: 1.0, source: 'test' }]->(dm:Domain { id: $tenant + '-d' + d, tenantId: $tenant, name: 'd' + d + '.example' })
     WITH dm, d UNWIND range(1, 250) AS i
     CREATE (dm)-[:RESOLVES_TO { confidence: 1.0, source: 'test' }]->(:IPAddress { id: $tenant + '-ip' + d + '-' + i, tenantId: $tenant, address: '10.0.' + d + '.' + i })`,
  );
  // 10,000 paths per person: even a plan that streams people in name order and stops at the question's
  // LIMIT (which Neo4j may pick, depending on the whole database's statistics) walks a million of them.
  await cypher(
    `MATCH (o:Organization { id: $tenant + '-o' }) UNWIND range(1, 6000) AS p
     CREATE (:Person { id: $tenant + '-p' + p, tenantId: $tenant, name: 'Person ' + p })-[:MEMBER_OF { confidence: 1.0, source: 'test' }]->(o)`,
  );
});

afterAll(async () => {
  try {
    await cypher("MATCH (n) WHERE n.tenantId = $tenant DETACH DELETE n");
  } finally {
    await stores.mongo.db.dropDatabase();
    await stores.close();
  }
});

describe("the ask sandbox on a pathological question", () => {
  it("stops it at the timeout with QUERY_TOO_EXPENSIVE (reason TIMEOUT), without retrying, writing or leaving it running", async () => {
    const before = await footprint();
    // The plan estimate is not what is under test here: let the question past the cost check.
    const asking = createAskService({
      driver: stores.driver,
      database: config.NEO4J_DATABASE,
      audit,
      logger,
      timeoutMs: 200,
      maxEstimatedRows: Number.POSITIVE_INFINITY,
    });
    const started = Date.now();
    const error: unknown = await asking.ask(principal, { question: PATHOLOGICAL, mode: "RUN" }, "req-timeout").catch((e: unknown) => e);
    expect(error).toMatchObject({ extensions: { code: "QUERY_TOO_EXPENSIVE", reason: "TIMEOUT", timeoutMs: 200 } });
    expect((error as Error).message).toMatch(/^This question took longer than the 0.2 s limit and was stopped/);
    // The driver retries transient errors for 30 s; a stopped question answers at once.
    expect(Date.now() - started).toBeLessThan(10_000);

    const running = await cypher<{ n: number }>(
      "SHOW TRANSACTIONS YIELD parameters WHERE parameters.tenantId = $tenant RETURN count(*) AS n",
    );
    expect(running).toEqual([{ n: 0 }]);
    expect(await footprint()).toEqual(before);
    const events = await stores.mongo.db.collection("audit_events").find({ tenantId: tenant, requestId: "req-timeout" }).toArray();
    expect(events.map((e) => [e["action"], e["outcome"], e["errorCode"]])).toEqual([["askGraph", "failure", "QUERY_TOO_EXPENSIVE"]]);
  });

  it("holds the row cap on a list of thousands, and lists what the kept rows touched", async () => {
    const capped = createAskService({ driver: stores.driver, database: config.NEO4J_DATABASE, audit, logger, rowCap: 10 });
    const answer = await capped.ask(principal, { question: "list people who work for “Acme Corp”", mode: "RUN" }, "req-cap");
    expect(answer).toMatchObject({ ran: true, truncated: true, columns: ["n0_name"] });
    expect(answer.rows).toHaveLength(10);
    expect(answer.nodes).toHaveLength(11);
    expect(answer.nodes.filter((n) => n.label === "Organization")).toEqual([
      { id: `${tenant}-o`, label: "Organization", name: "Acme Corp" },
    ]);
    expect(answer.edges).toHaveLength(10);

    const asking = createAskService({ driver: stores.driver, database: config.NEO4J_DATABASE, audit, logger });
    const listed = await asking.ask(principal, { question: "list people", mode: "RUN" }, "req-list");
    expect(listed).toMatchObject({ ran: true, truncated: false });
    expect(listed.rows).toHaveLength(100);
    expect(listed.nodes).toHaveLength(100);
  });
});
