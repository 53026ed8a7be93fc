import { GraphQLError, type ExecutionResult } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { ErrorCode, PRINCIPAL_HEADER, type SubgraphRequest, type SubgraphTransport } from "@intelgraph/kit";

function subscriptionErrors(error: unknown): ExecutionResult["errors"] {
  if (Array.isArray(error)) {
    // Errors arrive formatted (plain objects); the gateway's graphql-ws server
    // serialises with toJSON(), so rebuild GraphQLErrors, keeping extensions.
    return error.map(
      (e: { message?: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }) =>
        new GraphQLError(String(e.message ?? "subscription failed"), { path: e.path, extensions: e.extensions }),
    );
  }
  const close = error as { code?: number; reason?: string } | null;
  const message = close?.reason || (error instanceof Error ? error.message : "subscription to the subgraph failed");
  return [new GraphQLError(message, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, closeCode: close?.code } })];
}

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
      let failed = false;
      return {
        async next() {
          if (failed) return { done: true as const, value: undefined };
          try {
            const result = await iterator.next();
            if (result.done) {
              dispose();
              return result;
            }
            const errors = result.value.errors;
            return errors ? { done: false as const, value: { ...result.value, errors: subscriptionErrors(errors) } } : result;
          } catch (error) {
            // graphql-ws rejects with the subgraph's `errors` array (or a close
            // event); hand the errors on as one result so their codes survive.
            failed = true;
            dispose();
            return { done: false as const, value: { errors: subscriptionErrors(error) } as ExecutionResult };
          }
        },
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
