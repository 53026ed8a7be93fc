/**
 * The ask compiler's Cypher against the real Neo4j: it runs as a read, and the
 * tenant predicate it puts on every node keeps each tenant to its own data even
 * where both tenants hold entities with the same names.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectStores, type Stores } from "@intelgraph/gateway";
import { createAuditRecorder, createInMemoryPubSub } from "@intelgraph/kit";
import {
  checkCypher,
  compileCypher,
  createAskService,
  createAskTerms,
  createGraphVocabulary,
  interpretQuestion,
} from "@intelgraph/subgraph-graph";
import { createTestLogger } from "../support/testLogger.ts";
import { testConfig } from "../support/platform.ts";

const config = testConfig("ask");
const vocabulary = createGraphVocabulary();
const terms = createAskTerms(vocabulary);
const tenants = { a: `ask-a-${randomUUID()}`, b: `ask-b-${randomUUID()}` };
let stores: Stores;

const membersOfAcme = {
  nodes: [
    { var: "n0", label: "Person" },
    { var: "n1", label: "Organization" },
  ],
  edges: [{ from: "n0", type: "MEMBER_OF", to: "n1" }],
  filters: [{ var: "n1", property: "name", op: "contains", value: "ACME" }],
  returns: [{ var: "n0", property: "name" }],
  orderBy: { var: "n0", property: "name", direction: "ASC" },
};

/** Compiles for `tenantId`, checks the text, and runs it in a read transaction. */
async function ask(ir: unknown, tenantId: string) {
  const compiled = compileCypher(ir, vocabulary, tenantId);
  expect(checkCypher(compiled.cypher, vocabulary)).toEqual([]);
  const session = stores.driver.session({ database: config.NEO4J_DATABASE, defaultAccessMode: "READ" });
  try {
    const result = await session.executeRead((tx) => tx.run(compiled.cypher, compiled.params), { timeout: 2000 });
    return result.records.map((r) => Object.fromEntries(compiled.columns.map((c) => [c, r.get(c)])));
  } finally {
    await session.close();
  }
}

beforeAll(async () => {
  stores = await connectStores(config);
  const session = stores.driver.session({ database: config.NEO4J_DATABASE });
  try {
    const seed = `
      UNWIND $people AS p
      MERGE (o:Organization { id: $tenant + '-acme', tenantId: $tenant }) SET o.name = 'Acme Corp'
      CREATE (x:Person { id: randomUUID(), tenantId: $tenant, name: p })-[:MEMBER_OF { confidence: 1.0, source: 'test' }]->(o)`;
    await session.run(seed, { tenant: tenants.a, people: ["Ada Lovelace", "Bob Byte"] });
    await session.run(seed, { tenant: tenants.b, people: ["Eve Other"] });
  } finally {
    await session.close();
  }
});

afterAll(async () => {
  const session = stores.driver.session({ database: config.NEO4J_DATABASE });
  try {
    await session.run("MATCH (n) WHERE n.tenantId IN $ids DETACH DELETE n", { ids: Object.values(tenants) });
  } finally {
    await session.close();
    await stores.mongo.db.dropDatabase();
    await stores.close();
  }
});

describe("compiled questions on the real graph", () => {
  it("answers a one-hop question with the caller's tenant only", async () => {
    expect(await ask(membersOfAcme, tenants.a)).toEqual([{ n0_name: "Ada Lovelace" }, { n0_name: "Bob Byte" }]);
    expect(await ask(membersOfAcme, tenants.b)).toEqual([{ n0_name: "Eve Other" }]);
  });

  it("counts per tenant, and a tenant with no data gets nothing", async () => {
    const count = { nodes: [{ var: "n0", label: "Person" }], aggregate: { fn: "count", var: "n0" } };
    expect(await ask(count, tenants.a)).toEqual([{ count: 2 }]);
    expect(await ask(count, tenants.b)).toEqual([{ count: 1 }]);
    expect(await ask(count, `nobody-${randomUUID()}`)).toEqual([{ count: 0 }]);
  });

  it("honours negation and the limit", async () => {
    const notAda = { ...membersOfAcme, filters: [{ var: "n0", property: "name", op: "startsWith", value: "ada", negate: true }] };
    expect(await ask(notAda, tenants.a)).toEqual([{ n0_name: "Bob Byte" }]);
    expect(await ask({ ...membersOfAcme, limit: 1 }, tenants.a)).toEqual([{ n0_name: "Ada Lovelace" }]);
  });

  it("answers questions in plain words, interpreted without a model", async () => {
    const interpret = (question: string) => {
      const result = interpretQuestion(question, vocabulary, terms);
      if (!result.ok) throw new Error(`not interpreted: ${JSON.stringify(result)}`);
      return result.interpretation.ir;
    };
    expect(await ask(interpret("Which people work for “acme”?"), tenants.a)).toEqual([
      { n0_name: "Ada Lovelace" },
      { n0_name: "Bob Byte" },
    ]);
    expect(await ask(interpret("how many people are members of 'Acme Corp'"), tenants.b)).toEqual([{ count: 1 }]);
    expect(await ask(interpret("top 5 organisations by people"), tenants.a)).toEqual([{ n0_name: "Acme Corp", count: 2 }]);
  });

  it("refuses a plan over the cost limit with QUERY_TOO_EXPENSIVE before running it", async () => {
    const logger = createTestLogger("ask");
    const audit = createAuditRecorder({ db: stores.mongo.db, pubsub: createInMemoryPubSub(), logger });
    const principal = { kind: "user" as const, tenantId: tenants.a, userId: "u-1", roles: ["ANALYST"], scopes: [] };
    const strict = createAskService({ driver: stores.driver, database: config.NEO4J_DATABASE, audit, logger, maxEstimatedRows: 0.5 });
    await expect(strict.ask(principal, { question: "how many people", mode: "RUN" }, "req-cost")).rejects.toMatchObject({
      extensions: { code: "QUERY_TOO_EXPENSIVE" },
    });
    const normal = createAskService({ driver: stores.driver, database: config.NEO4J_DATABASE, audit, logger });
    expect((await normal.ask(principal, { question: "how many people", mode: "RUN" }, "req-ok")).rows).toEqual([{ count: 2 }]);
    const events = await stores.mongo.db.collection("audit_events").find({ tenantId: tenants.a, action: "askGraph" }).toArray();
    expect(events.map((e) => e["errorCode"]).sort()).toEqual(["QUERY_TOO_EXPENSIVE", null].sort());
  });
});
