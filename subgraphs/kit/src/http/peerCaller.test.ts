import { describe, expect, it } from "vitest";
import { verifyPrincipal, type Principal } from "../auth/principal.ts";
import { createPeerCaller } from "./peerCaller.ts";
import type { SubgraphRequest, SubgraphTransport } from "./subgraphTransport.ts";

const KEY = "k".repeat(32);
const alice: Principal = { kind: "user", tenantId: "t1", userId: "u1", roles: ["ANALYST"], scopes: [] };

function transport(answer: (request: SubgraphRequest) => Promise<unknown>): SubgraphTransport & { seen: SubgraphRequest[] } {
  const seen: SubgraphRequest[] = [];
  return {
    name: "graph",
    seen,
    execute: async (request) => {
      seen.push(request);
      return (await answer(request)) as never;
    },
    subscribe: () => Promise.reject(new Error("not used")),
  };
}

describe("createPeerCaller", () => {
  it("signs the principal like the gateway does and returns the peer's data", async () => {
    const graph = transport(async () => ({ data: { askGraph: { rows: 1 } } }));
    const peers = createPeerCaller({ principalKey: KEY, transportFor: (name) => (name === "graph" ? graph : undefined) });
    expect(await peers.call("graph", alice, { query: "{ askGraph }", requestId: "run-1/step-1" })).toEqual({ askGraph: { rows: 1 } });
    const verified = verifyPrincipal(graph.seen[0]!.headers["x-intelgraph-principal"], KEY);
    expect(verified).toEqual({ ok: true, value: { principal: alice, requestId: "run-1/step-1" } });
    expect(graph.seen[0]!.headers["x-request-id"]).toBe("run-1/step-1");
  });

  it("rethrows the peer's first error with its code and details, naming the subgraph", async () => {
    const graph = transport(async () => ({
      data: null,
      errors: [{ message: "No such report.", extensions: { code: "NOT_FOUND", field: "id", stacktrace: ["secret"] } }],
    }));
    const peers = createPeerCaller({ principalKey: KEY, transportFor: () => graph });
    const error = await peers.call("graph", alice, { query: "{ x }" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: "No such report.", extensions: { code: "NOT_FOUND", field: "id", subgraph: "graph" } });
    expect((error as { extensions: Record<string, unknown> }).extensions).not.toHaveProperty("stacktrace");
  });

  it("answers UPSTREAM_UNAVAILABLE for a peer that is not wired or does not answer", async () => {
    const down = transport(() => Promise.reject(new Error("connect ECONNREFUSED")));
    const peers = createPeerCaller({ principalKey: KEY, transportFor: (name) => (name === "graph" ? down : undefined) });
    await expect(peers.call("connectors", alice, { query: "{ x }" })).rejects.toMatchObject({
      extensions: { code: "UPSTREAM_UNAVAILABLE", subgraph: "connectors" },
    });
    await expect(peers.call("graph", alice, { query: "{ x }" })).rejects.toMatchObject({
      message: expect.stringContaining("ECONNREFUSED"),
      extensions: { code: "UPSTREAM_UNAVAILABLE", subgraph: "graph" },
    });
  });
});
