import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export interface Subscription<T> {
  /** Resolves with the next event (or rejects after `timeoutMs`). */
  next(timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Subscribes through the gateway's graphql-ws endpoint with a session token. */
export async function subscribe<T = Record<string, any>>(
  httpUrl: string,
  query: string,
  token?: string,
  variables?: Record<string, unknown>,
): Promise<{ client: Client; sub: Subscription<T> }> {
  const client = createClient({
    url: httpUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  const iterator = client.iterate<T>(variables ? { query, variables } : { query });
  return {
    client,
    sub: {
      async next(timeoutMs = 10_000) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), timeoutMs);
        });
        try {
          const result = await Promise.race([iterator.next(), timeout]);
          if (result.done) throw new Error("subscription ended");
          return result.value as T;
        } finally {
          clearTimeout(timer);
        }
      },
      async close() {
        await iterator.return?.();
        await client.dispose();
      },
    },
  };
}
