import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { getOperationAST, print, type DocumentNode, type ExecutionResult, type GraphQLFormattedError } from "graphql";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { LoginDocument, type LoginMutation } from "./generated/graphql.ts";
import { IntelGraphError } from "./intelGraphError.ts";

export interface IntelGraphClientOptions {
  /** The gateway's GraphQL URL, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** A session token to start with; `login()` sets one. */
  token?: string;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** WebSocket implementation for subscriptions outside browsers (e.g. the `ws` package). */
  webSocketImpl?: unknown;
  /** Retries of queries (never mutations) after network errors or 502/503/504; default 2. */
  retries?: number;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
}

export interface IntelGraphClient {
  /** Runs a typed query or mutation; throws `IntelGraphError` on any GraphQL error. */
  request<TData, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables>,
    // Variables may be left out when the operation needs none (or only optional ones).
    ...variables: {} extends TVariables ? [variables?: TVariables] : [variables: TVariables]
  ): Promise<TData>;
  /** Signs in and keeps the session token for later requests. */
  login(email: string, password: string): Promise<LoginMutation["login"]>;
  /** Subscribes over graphql-ws; iterate the result, `return()` to stop. */
  subscribe<TData, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
  ): AsyncIterableIterator<TData>;
  setToken(token: string | undefined): void;
  readonly token: string | undefined;
  /** Closes the subscription socket, if one was opened. */
  close(): Promise<void>;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A thin, typed client for the IntelGraph gateway: auth, retries, subscriptions. */
export function createIntelGraphClient(options: IntelGraphClientOptions): IntelGraphClient {
  const { url, retries = 2, timeoutMs = 30_000 } = options;
  const doFetch = options.fetch ?? fetch;
  let token = options.token;
  let ws: WsClient | undefined;

  async function send(document: DocumentNode, variables: unknown): Promise<ExecutionResult> {
    const operation = getOperationAST(document);
    const retryable = operation?.operation === "query";
    const body = JSON.stringify({ query: print(document), variables: variables ?? {}, operationName: operation?.name?.value });
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json",
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        if (retryable && attempt < retries) {
          await sleep(200 * 2 ** attempt);
          continue;
        }
        throw new IntelGraphError(`Could not reach ${url}: ${(error as Error).message}`, "NETWORK_ERROR");
      }
      if (retryable && RETRYABLE_STATUS.has(response.status) && attempt < retries) {
        await sleep(200 * 2 ** attempt);
        continue;
      }
      const requestId = response.headers.get("x-request-id") ?? undefined;
      const text = await response.text();
      let result: ExecutionResult & { errors?: GraphQLFormattedError[] };
      try {
        result = JSON.parse(text);
      } catch {
        throw new IntelGraphError(
          `The gateway answered HTTP ${response.status} without GraphQL: ${text.slice(0, 200)}`,
          "HTTP_ERROR",
          [],
          response.status,
          requestId,
        );
      }
      if (result.errors?.length) throw IntelGraphError.fromErrors(result.errors, response.status, requestId);
      return result;
    }
  }

  function socket(): WsClient {
    ws ??= createWsClient({
      url: url.replace(/^http/, "ws"),
      ...(options.webSocketImpl ? { webSocketImpl: options.webSocketImpl } : {}),
      connectionParams: () => (token ? { authorization: `Bearer ${token}` } : {}),
    });
    return ws;
  }

  return {
    async request(document, ...[variables]) {
      return (await send(document, variables)).data as never;
    },

    async login(email, password) {
      const data = (await send(LoginDocument, { email, password })).data as LoginMutation;
      token = data.login.token;
      return data.login;
    },

    subscribe<TData, TVariables extends Record<string, unknown>>(document: TypedDocumentNode<TData, TVariables>, variables?: TVariables) {
      const inner = socket().iterate<TData>({ query: print(document), ...(variables ? { variables } : {}) });
      const iterator: AsyncIterableIterator<TData> = {
        async next() {
          const result = await inner.next();
          if (result.done) return { done: true, value: undefined };
          const event = result.value as ExecutionResult<TData>;
          if (event.errors?.length) throw IntelGraphError.fromErrors(event.errors as unknown as GraphQLFormattedError[]);
          return { done: false, value: event.data as TData };
        },
        async return() {
          await inner.return?.();
          return { done: true, value: undefined };
        },
        [Symbol.asyncIterator]: () => iterator,
      };
      return iterator;
    },

    setToken(next) {
      token = next;
      // A new identity needs a new socket: connection params are sent once.
      void ws?.dispose();
      ws = undefined;
    },

    get token() {
      return token;
    },

    async close() {
      await ws?.dispose();
      ws = undefined;
    },
  };
}
