import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "@urql/core";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { SESSION_CLOSES, nextLiveState, type LiveState } from "./liveState.ts";

export interface ApiClientOptions {
  /** The GraphQL endpoint; relative URLs resolve against the page (the gateway serves both). */
  url: string;
  /** The session token now, or null when signed out. */
  token: () => string | null;
  /** Told whenever the live connection changes state (for the header badge). */
  onLiveState: (state: LiveState) => void;
}

export interface ApiClient {
  client: Client;
  /** Closes the WebSocket; a new client is made for the next session. */
  dispose(): void;
}

/** `http(s)://host/graphql` → `ws(s)://host/graphql`. */
export function webSocketUrl(url: string, base: string): string {
  const target = new URL(url, base);
  target.protocol = target.protocol === "https:" ? "wss:" : "ws:";
  return target.toString();
}

/**
 * urql over HTTP for queries and mutations, graphql-ws for subscriptions.
 * The socket opens with the first subscription, retries forever with backoff
 * (capped at 5 s) when the network drops, and stops when the server refuses
 * the session (SESSION_CLOSE_CODES: 4401/4403). Its state goes to `onLiveState`.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  let state: LiveState = "idle";
  let active = 0;
  const emit = (event: Parameters<typeof nextLiveState>[1]) => {
    state = nextLiveState(state, event);
    options.onLiveState(state);
  };
  const ws: WsClient = createWsClient({
    url: webSocketUrl(options.url, window.location.href),
    lazy: true,
    lazyCloseTimeout: 1000,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: async (retries) => {
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 300 * 2 ** retries)));
    },
    // graphql-ws gives up on close codes it deems fatal; a dropped network (1006) or a
    // restarting server (1001/1012) is worth retrying, a refused session is not.
    shouldRetry: (event) => !(event instanceof CloseEvent && SESSION_CLOSES.has(event.code)),
    connectionParams: () => {
      const token = options.token();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connecting: (isRetry) => emit({ type: "connecting", isRetry }),
      connected: () => emit({ type: "connected" }),
      closed: (event) => emit({ type: "closed", code: (event as CloseEvent | undefined)?.code ?? 1006, wanted: active > 0 }),
    },
  });

  const client = new Client({
    url: options.url,
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? "" };
          return {
            subscribe(sink) {
              active += 1;
              const unsubscribe = ws.subscribe(input, sink);
              let done = false;
              return {
                unsubscribe() {
                  if (done) return;
                  done = true;
                  active -= 1;
                  unsubscribe();
                },
              };
            },
          };
        },
      }),
    ],
    requestPolicy: "cache-and-network",
    // POST always: the gateway's CSRF protection refuses simple GETs, and queries stay out of URLs and logs.
    preferGetMethod: false,
    fetchOptions: () => {
      const token = options.token();
      return token ? { headers: { authorization: `Bearer ${token}` } } : {};
    },
  });

  return {
    client,
    dispose() {
      void ws.dispose();
    },
  };
}
