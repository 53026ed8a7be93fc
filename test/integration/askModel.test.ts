/**
 * askGraph's optional model backend against a local fake of an
 * OpenAI-compatible chat completions endpoint (127.0.0.1) and the real Neo4j:
 * the model sees the vocabulary and the question, and may only propose the
 * IR; a proposal that agrees with the deterministic interpreter keeps its
 * confidence, one the interpreter does not reach waits for a confirmation,
 * and Cypher, invalid plans, names outside the schema, errors and timeouts
 * fall back to the deterministic interpreter. Refusals never reach the model.
 * Tokens are audited.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectStores, type Stores } from "@intelgraph/gateway";
import type { AuditEventInput, AuditRecorder } from "@intelgraph/kit";
import { createAskService, createAskTerms, createGraphVocabulary, interpretQuestion, type AskService } from "@intelgraph/subgraph-graph";
import { testConfig } from "../support/platform.ts";
import { createTestLogger } from "../support/testLogger.ts";

const config = testConfig("askmodel");
const tenant = `ask-model-${randomUUID()}`;
const principal = { kind: "user" as const, tenantId: tenant, userId: "u-1", roles: ["ANALYST"], scopes: [] };
const LIST_GRACES = {
  nodes: [{ var: "n0", label: "Person" }],
  filters: [{ var: "n0", property: "name", op: "contains", value: "Grace" }],
  returns: [{ var: "n0", property: "name" }],
};

let stores: Stores;
let server: http.Server;
let url: string;
const events: AuditEventInput[] = [];
const received: Array<{ authorization: string | undefined; body: any }> = [];
/** What the fake model answers next: the message content, or a delay past the client's timeout. */
let next: { content?: string; status?: number; delayMs?: number } = {};
let ask: AskService;

const audit: AuditRecorder = {
  async record(event) {
    events.push(event);
    return { ...event, _id: randomUUID(), at: new Date() };
  },
};

beforeAll(async () => {
  stores = await connectStores(config);
  const session = stores.driver.session({ database: config.NEO4J_DATABASE });
  try {
    await session.run(
      `UNWIND ['Grace Hopper', 'Grace Kelly', 'Alan Turing'] AS name CREATE (:Person { id: $tenant + '-' + name, tenantId: $tenant, name: name })`,
      { tenant },
    );
  } finally {
    await session.close();
  }
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      received.push({ authorization: req.headers.authorization, body: JSON.parse(raw) });
      const reply = () => {
        res.writeHead(next.status ?? 200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            choices: [{ message: { role: "assistant", content: next.content ?? "{}" } }],
            usage: { prompt_tokens: 900, completion_tokens: 60, total_tokens: 960 },
          }),
        );
      };
      if (next.delayMs) setTimeout(reply, next.delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  ask = createAskService({
    driver: stores.driver,
    database: config.NEO4J_DATABASE,
    audit,
    logger: createTestLogger("ask-model"),
    model: { url, model: "fake-model", apiKey: "sk-test", timeoutMs: 300 },
  });
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  const session = stores.driver.session({ database: config.NEO4J_DATABASE });
  try {
    await session.run("MATCH (n) WHERE n.tenantId = $tenant DETACH DELETE n", { tenant });
  } finally {
    await session.close();
  }
  await stores.close();
});

beforeEach(() => {
  events.length = 0;
  received.length = 0;
  next = {};
});

const modelNote = () => events.at(-1)!.arguments["model"] as { used: boolean; fallback: string | null; tokens: { total: number } | null };

describe("askGraph with a model backend", () => {
  it("shows the model the vocabulary and the question, and keeps the confidence when it proposes the same query", async () => {
    // The plan the deterministic interpreter makes of this question, as a model would propose it.
    const vocabulary = createGraphVocabulary();
    const own = interpretQuestion("list people named “Grace”", vocabulary, createAskTerms(vocabulary));
    if (!own.ok) throw new Error("the interpreter reads this question");
    next = { content: JSON.stringify(own.interpretation.ir) };
    const answer = await ask.ask(principal, { question: "list people named “Grace”", mode: "RUN" }, "r-1");
    expect(received).toHaveLength(1);
    expect(received[0]!.authorization).toBe("Bearer sk-test");
    expect(received[0]!.body).toMatchObject({ model: "fake-model", temperature: 0 });
    expect(received[0]!.body.messages[0].content).toContain("(Person)-[:MEMBER_OF]->(Organization)");
    expect(received[0]!.body.messages[1]).toEqual({ role: "user", content: "list people named “Grace”" });
    expect(answer).toMatchObject({ ran: true, confidence: 1, rows: [{ n0_name: "Grace Hopper" }, { n0_name: "Grace Kelly" }] });
    expect(answer.reasons).toContain("the model fake-model proposed the same query");
    expect(modelNote()).toMatchObject({ used: true, fallback: null, tokens: { total: 960 } });
  });

  it("holds a plan only the model reached at a preview until it is confirmed, still tenant-scoped", async () => {
    next = { content: "```json\n" + JSON.stringify(LIST_GRACES) + "\n```" };
    const weak = await ask.ask(principal, { question: "what happened yesterday?", mode: "RUN" }, "r-2");
    expect(weak).toMatchObject({
      ran: false,
      needsConfirmation: true,
      confidence: 0.6,
      interpretation: "list Person where name contains “Grace”",
    });
    expect(weak.cypher).toContain("n0.tenantId = $tenantId");
    expect(weak.parameters).toMatchObject({ tenantId: tenant });
    const confirmed = await ask.ask(principal, { question: "what happened yesterday?", mode: "RUN", confirm: true }, "r-3");
    expect(confirmed.rows).toEqual([{ n0_name: "Grace Hopper" }, { n0_name: "Grace Kelly" }]);
  });

  it.each([
    ["Cypher instead of a plan", { content: "MATCH (n) DETACH DELETE n" }, "the model's answer was not JSON"],
    [
      "a label outside the schema",
      { content: JSON.stringify({ ...LIST_GRACES, nodes: [{ var: "n0", label: "Secret" }] }) },
      "outside the graph's schema",
    ],
    ["an invalid plan", { content: JSON.stringify({ nodes: [], returns: [] }) }, "the model's plan was not valid"],
    ["an HTTP error", { status: 500 }, "the model answered HTTP 500"],
    ["no answer in time", { delayMs: 1000, content: JSON.stringify(LIST_GRACES) }, "the model did not answer in time"],
  ])("falls back to the deterministic interpreter on %s", async (_, reply, reason) => {
    next = reply;
    const answer = await ask.ask(principal, { question: "how many people", mode: "RUN" }, "r-4");
    expect(answer).toMatchObject({ ran: true, rows: [{ count: 3 }] });
    expect(modelNote().used).toBe(false);
    expect(modelNote().fallback).toContain(reason);
  });

  it("refuses writes before any model is asked", async () => {
    await expect(ask.ask(principal, { question: "delete all people", mode: "RUN" }, "r-5")).rejects.toMatchObject({
      extensions: { code: "QUESTION_REFUSED" },
    });
    expect(received).toEqual([]);
  });
});
