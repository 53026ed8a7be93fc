import http from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express, type RequestHandler } from "express";
import type { ConnectionInitMessage, ServerOptions } from "graphql-ws";
import { useServer, type Extra } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { ServiceMetrics } from "../observability/metrics.ts";

/** Largest WebSocket message the shell accepts (1 MiB); a bigger one closes the socket. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

export interface HttpShellOptions {
  /** Service name reported by `/healthz` and `/readyz` (`gateway`, `graph`, …). */
  service: string;
  /** The registry `/metrics` serves. */
  metrics: ServiceMetrics;
  /** Throws when a dependency (store) is not usable; drives `/readyz`. Without it the service is always ready. */
  readiness?: () => Promise<void>;
  /**
   * Largest WebSocket message on `/graphql`, in bytes.
   * @default 1_048_576 (DEFAULT_MAX_PAYLOAD_BYTES)
   */
  maxPayload?: number;
}

/** What the shell stops before closing the HTTP server; Apollo Server fits. */
export interface StoppableGraphQLServer {
  stop(): Promise<void>;
}

/**
 * The HTTP side every service shares: one Node server with `/healthz`,
 * `/readyz`, `/metrics`, the GraphQL endpoint and graphql-ws on `/graphql`,
 * `listen` and an ordered `stop`.
 */
export interface HttpShell {
  /** The Node server, for Apollo's drain plugin (ApolloServerPluginDrainHttpServer). */
  httpServer: http.Server;
  /** The express app, already answering the health, readiness and metrics paths; add other routes before `serveGraphQL`. */
  app: Express;
  /** Mounts `handlers` on `/graphql`; `server` is stopped by `stop()` after the WebSocket side. */
  serveGraphQL(server: StoppableGraphQLServer, ...handlers: RequestHandler[]): void;
  /** Serves graphql-ws on `/graphql` with `options` (at most once). */
  serveWebSocket<P extends ConnectionInitMessage["payload"], E extends Record<PropertyKey, unknown>>(
    options: ServerOptions<P, Extra & Partial<E>>,
  ): void;
  /** Listens on `host:port` (port 0 picks a free one) and resolves with the URL of `/graphql`. */
  listen(port: number, host?: string): Promise<string>;
  /** Ends subscriptions, closes the WebSocket server, stops the GraphQL server, then closes the HTTP server. */
  stop(): Promise<void>;
}

/** Creates the shell; the caller builds its GraphQL server on `httpServer` and hands it to `serveGraphQL`. */
export function createHttpShell(options: HttpShellOptions): HttpShell {
  const { service, metrics, readiness, maxPayload = DEFAULT_MAX_PAYLOAD_BYTES } = options;
  const httpServer = http.createServer();
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", service });
  });
  app.get("/readyz", async (_req, res) => {
    try {
      await readiness?.();
      res.json({ status: "ready", service });
    } catch (error) {
      res.status(503).json({ status: "not-ready", service, reason: (error as Error).message });
    }
  });
  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  httpServer.on("request", app);

  let graphql: StoppableGraphQLServer | undefined;
  let webSocket: { server: WebSocketServer; cleanup: { dispose(): void | Promise<void> } } | undefined;

  return {
    httpServer,
    app,
    serveGraphQL(server, ...handlers) {
      graphql = server;
      app.use("/graphql", ...handlers);
    },
    serveWebSocket(serverOptions) {
      if (webSocket) throw new Error("the WebSocket side of /graphql is already served");
      const server = new WebSocketServer({ server: httpServer, path: "/graphql", maxPayload });
      webSocket = { server, cleanup: useServer(serverOptions, server) };
    },
    listen(port, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => resolve(`http://${host}:${(httpServer.address() as AddressInfo).port}/graphql`));
      });
    },
    async stop() {
      if (webSocket) {
        await webSocket.cleanup.dispose();
        webSocket.server.close();
      }
      await graphql?.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
