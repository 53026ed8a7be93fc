import type { ExecutionResult } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { PRINCIPAL_HEADER, type SubgraphRequest, type SubgraphTransport } from "@intelgraph/kit";

/** Reaches a subgraph in another process: HTTP POST for operations, graphql-ws for subscriptions. */
export function createRemoteTransport(name: string, url: string, options: { timeoutMs?: number } = {}): SubgraphTransport {
  const { timeoutMs = 30_000 } = options;
  const wsUrl = url.replace(/^http/, "ws");
  return {
    name,
    async execute(request: SubgraphRequest): Promise<ExecutionResult> {
      const response = await fetch(url, {
        method: "POST",
        headers: { ...request.headers, "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      try {
        return JSON.parse(text) as ExecutionResult;
      } catch {
        throw new Error(`subgraph ${name} answered HTTP ${response.status} with a non-JSON body`);
      }
    },
    async subscribe(request: SubgraphRequest) {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        lazy: true,
        retryAttempts: 0,
        connectionParams: { [PRINCIPAL_HEADER]: request.headers[PRINCIPAL_HEADER] },
      });
      const iterator = client.iterate({
        query: request.query,
        variables: request.variables ?? undefined,
        operationName: request.operationName ?? undefined,
      }) as AsyncIterableIterator<ExecutionResult>;
      const dispose = () => void client.dispose();
      return {
        next: () => iterator.next().then((r) => (r.done && dispose(), r)),
        async return(value?: unknown) {
          const result = (await iterator.return?.(value)) ?? { done: true as const, value: undefined };
          dispose();
          return result;
        },
        async throw(error?: unknown) {
          dispose();
          return (await iterator.throw?.(error)) ?? { done: true as const, value: undefined };
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      } as AsyncIterableIterator<ExecutionResult>;
    },
  };
}
