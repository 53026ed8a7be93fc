import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import express from "express";
import { GraphQLError, Kind, getOperationAST, print, specifiedRules, validate, type ExecutionArgs, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import {
  createMetrics,
  ErrorCode,
  isSignedIn,
  PRINCIPAL_HEADER,
  REQUEST_ID_HEADER,
  signPrincipal,
  ANONYMOUS,
  type Logger,
  type SessionKeyring,
  type SubgraphTransport,
  type UsageRecorder,
} from "@intelgraph/kit";
import { createAuthenticator, type ApiTokenCheck, type Authentication } from "./authenticate.ts";
import type { GatewayContext } from "./gatewayContext.ts";
import { singleLoginRule } from "./singleLoginRule.ts";
import { watchSocketSession } from "./socketSession.ts";
import { subscriptionOwners } from "./subscriptionRouting.ts";
import {
  authenticateRequest,
  authOf,
  limitTokens,
  rateBucket,
  rateLimitAddresses,
  rateLimitRequests,
  type TenantRateLimit,
} from "./httpGuards.ts";
import { createRateLimiter, DEFAULT_RATE_LIMITS, type RateLimit } from "./rateLimiter.ts";
import { serveConsole } from "./serveConsole.ts";
import { TransportDataSource } from "./transportDataSource.ts";

export interface GatewayOptions {
  /** Composed supergraph (schema/supergraph.graphql). */
  supergraphSdl: string;
  /** One transport per subgraph name in the supergraph. */
  transports: Map<string, SubgraphTransport>;
  principalKey: string;
  /** Keys that verify session tokens (see createSessionKeyring). */
  sessionKeys: SessionKeyring;
  logger: Logger;
  /** Records one usage event per operation of a signed-in tenant user. */
  usage?: UsageRecorder;
  /**
   * Development keeps introspection, field suggestions and the landing page;
   * everywhere else (production, test, unset) they are off.
   */
  development?: boolean;
  /** Throws when a dependency is not usable; drives `/readyz`. */
  readiness?: () => Promise<void>;
  /** Resolves API tokens (governance's verifier); without it only session tokens work. */
  verifyApiToken?: ApiTokenCheck;
  /** How often open WebSockets re-check their credential; default 60 s. */
  socketRecheckMs?: number;
  /** Per-plan (and `anonymous`) request limits; default DEFAULT_RATE_LIMITS. */
  rateLimits?: Readonly<Record<string, RateLimit>>;
  /** Looks up a tenant's own limit (plan or admin override); without it the plan's entry in `rateLimits` applies. */
  tenantLimit?: TenantRateLimit;
  /**
   * Benchmark only: "off" serves without graphql-armor, the token limit and
   * rate limits (authentication stays), to measure what they cost. Default "on".
   */
  securityLayers?: "on" | "off";
  /**
   * Extra HTTP endpoints outside GraphQL, authorised by what they carry (the
   * ingest upload URLs are signed capabilities). Mounted before `/graphql`,
   * with no body parser: handlers stream the request themselves.
   */
  routes?: Array<{ path: string; handler: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> }>;
  /** Directory of the built console (clients/web/dist), served at `/` with an SPA fallback; not served without it. */
  consoleDir?: string;
  /** Told about every request an API token made that was refused (FORBIDDEN), for the anomaly rules. */
  onTokenDenied?: (token: { tokenId: string; tenantId: string }, ip: string | null, requestId: string) => Promise<unknown>;
}

/** What a subscription sees: the gateway context plus the session and address, for limits. */
interface SocketContext extends GatewayContext {
  auth: Authentication;
  authorization: string | undefined;
  ip: string | undefined;
}

export interface Gateway {
  listen(port: number, host?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Armor limits: generous for the console's and SDK's queries, fatal for abuse. */
export const ARMOR_LIMITS = {
  maxDepth: { n: 12 },
  maxAliases: { n: 15 },
  maxDirectives: { n: 50 },
  maxTokens: { n: 5000 },
  costLimit: { maxCost: 20_000 },
} as const;

/** Validation errors without "Did you mean …?", masked the way armor masks them over HTTP. */
function hideSuggestions(error: GraphQLError): GraphQLError {
  const message = error.message.replace(/Did you mean ".+"\?/g, "[Suggestion hidden]").trim();
  return message === error.message ? error : new GraphQLError(message, { nodes: error.nodes, extensions: error.extensions });
}

function usagePlugin(usage: UsageRecorder): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, contextValue }) {
          const { principal } = contextValue;
          if (!operation || !isSignedIn(principal)) return;
          usage.record({
            tenantId: principal.tenantId,
            kind: operation.operation === "subscription" ? "subscription" : operation.operation,
          });
        },
      };
    },
  };
}

/** Hands requests by API tokens that were refused to `onTokenDenied` (off the response path). */
function tokenDenialsPlugin(
  onTokenDenied: NonNullable<GatewayOptions["onTokenDenied"]>,
  logger: Logger,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const { principal, requestId, ip } = contextValue;
          if (principal.kind !== "token" || !principal.tokenId || !principal.tenantId) return;
          const errors = response.body.kind === "single" ? (response.body.singleResult.errors ?? []) : [];
          if (!errors.some((e) => e.extensions?.["code"] === ErrorCode.FORBIDDEN)) return;
          onTokenDenied({ tokenId: principal.tokenId, tenantId: principal.tenantId }, ip ?? null, requestId).catch((error: unknown) =>
            logger.error({ err: error }, "token denial not counted"),
          );
        },
      };
    },
  };
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { supergraphSdl, transports, principalKey, sessionKeys, logger, usage, development = false, readiness } = options;
  const production = !development;
  const rateLimits = options.rateLimits ?? DEFAULT_RATE_LIMITS;
  const limiter = createRateLimiter();
  const authenticate = createAuthenticator({
    sessionKeys,
    ...(options.verifyApiToken ? { verifyApiToken: options.verifyApiToken } : {}),
  });
  const metrics = createMetrics("gateway");
  const owners = subscriptionOwners(supergraphSdl);

  // @apollo/gateway otherwise exports usage metrics to Apollo and probes cloud
  // metadata endpoints (AWS/GCP/Azure) at start. The platform never phones home;
  // this switch is only read from the environment by the library.
  process.env["APOLLO_TELEMETRY_DISABLED"] = "true";

  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService({ name }) {
      const transport = transports.get(name);
      if (!transport) throw new Error(`no transport for subgraph "${name}"`);
      return new TransportDataSource(transport, principalKey);
    },
  });

  const armor = new ApolloArmor({
    ...ARMOR_LIMITS,
    // Its Apollo plugin throws from parsingDidStart, which Apollo answers with 500;
    // the token limit is enforced before Apollo instead (see below).
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  });
  const guarded = options.securityLayers !== "off";
  const protection = guarded ? armor.protect() : { validationRules: [], plugins: [] };

  const httpServer = http.createServer();
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => {
    apiSchema = schema;
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway: gateway as never,
    introspection: !production,
    // Shutdown is orchestrated by the composition root (main.ts), in order.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    validationRules: [...protection.validationRules, singleLoginRule],
    allowBatchedHttpRequests: false,
    plugins: [
      ...(protection.plugins as unknown as ApolloServerPlugin<GatewayContext>[]),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...(usage ? [usagePlugin(usage)] : []),
      ...(options.onTokenDenied ? [tokenDenialsPlugin(options.onTokenDenied, logger)] : []),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  // graphql-ws on /graphql: subscriptions are proxied to the owning subgraph.
  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql", maxPayload: 1024 * 1024 });
  const wsCleanup = useServer<Record<string, unknown>, { auth?: Authentication; authorization?: string; requestId?: string }>(
    {
      schema: () => {
        if (!apiSchema) throw new Error("gateway schema not loaded yet");
        return apiSchema;
      },
      validate: (schema, document) => {
        const errors = validate(schema, document, [...specifiedRules, ...protection.validationRules]);
        // armor's suggestion blocking is an Apollo plugin, which the socket never passes through.
        return production ? errors.map(hideSuggestions) : errors;
      },
      async onConnect(ctx) {
        const authorization = ctx.connectionParams?.["authorization"] ?? ctx.connectionParams?.["Authorization"];
        let session;
        try {
          session = await authenticate(
            typeof authorization === "string" ? authorization : undefined,
            ctx.extra.request.socket.remoteAddress,
          );
        } catch (error) {
          logger.warn(
            { reason: (error as Error).message, remote: ctx.extra.request.socket.remoteAddress },
            "refused a WebSocket with an invalid session",
          );
          return false;
        }
        ctx.extra.auth = session;
        ctx.extra.authorization = typeof authorization === "string" ? authorization : undefined;
        ctx.extra.requestId = randomUUID();
        watchSocketSession({
          authenticate,
          authorization: ctx.extra.authorization,
          ip: ctx.extra.request.socket.remoteAddress,
          expiresAt: session.expiresAt,
          socket: ctx.extra.socket,
          logger,
          ...(options.socketRecheckMs ? { recheckMs: options.socketRecheckMs } : {}),
        });
        return true;
      },
      context: (ctx): SocketContext => ({
        principal: ctx.extra.auth?.principal ?? ANONYMOUS,
        requestId: ctx.extra.requestId ?? randomUUID(),
        auth: ctx.extra.auth ?? { principal: ANONYMOUS, expiresAt: null, plan: null },
        authorization: ctx.extra.authorization,
        ip: ctx.extra.request.socket.remoteAddress,
      }),
      execute: async () => ({
        errors: [
          new GraphQLError("Send queries and mutations as HTTP POST to /graphql; the WebSocket carries subscriptions only.", {
            extensions: { code: ErrorCode.BAD_USER_INPUT },
          }),
        ],
      }),
      async subscribe(args: ExecutionArgs) {
        const socket = args.contextValue as SocketContext;
        const { requestId, ip } = socket;
        // Check the credential again for every subscription: a token revoked
        // (or a role removed) since the socket opened must not open new streams.
        let auth: Authentication;
        try {
          auth = socket.authorization ? await authenticate(socket.authorization, ip) : socket.auth;
        } catch (error) {
          return { errors: [new GraphQLError((error as Error).message, { extensions: { code: ErrorCode.UNAUTHENTICATED } })] };
        }
        const { principal } = auth;
        const operation = getOperationAST(args.document, args.operationName);
        const fields = (operation?.selectionSet.selections ?? []).flatMap((s) =>
          s.kind === Kind.FIELD && s.name.value !== "__typename" ? [s.name.value] : [],
        );
        const subgraphs = new Set(fields.map((f) => owners.get(f)));
        const [owner] = [...subgraphs];
        const transport = owner ? transports.get(owner) : undefined;
        if (subgraphs.size !== 1 || !transport) {
          return {
            errors: [
              new GraphQLError("A subscription must select fields of one subgraph only.", {
                extensions: { code: ErrorCode.BAD_USER_INPUT },
              }),
            ],
          };
        }
        const { key, limit, plan } = await rateBucket(auth, ip, rateLimits, options.tenantLimit);
        const decision = limiter.take(key, limit);
        if (!decision.allowed) {
          return {
            errors: [
              new GraphQLError(
                `Too many requests: the ${plan} limit is ${limit.ratePerSecond}/s. Retry in ${decision.retryAfterSeconds} s.`,
                {
                  extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: decision.retryAfterSeconds, plan },
                },
              ),
            ],
          };
        }
        if (usage && isSignedIn(principal)) {
          usage.record({ tenantId: principal.tenantId, kind: "subscription" });
        }
        return transport.subscribe({
          query: print(args.document),
          variables: (args.variableValues as Record<string, unknown> | undefined) ?? null,
          operationName: args.operationName ?? null,
          headers: { [PRINCIPAL_HEADER]: signPrincipal(principal, requestId, principalKey), [REQUEST_ID_HEADER]: requestId },
        });
      },
    },
    wsServer,
  );

  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", service: "gateway" });
  });
  app.get("/readyz", async (_req, res) => {
    try {
      await readiness?.();
      res.json({ status: "ready", service: "gateway" });
    } catch (error) {
      res.status(503).json({ status: "not-ready", reason: (error as Error).message });
    }
  });
  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  for (const route of options.routes ?? []) {
    app.all(route.path, (req, res, next) => {
      route.handler(req, res).catch(next);
    });
  }
  app.use(
    "/graphql",
    (req, res, next) => {
      // Ours, never the client's: it is signed into the principal and stored in audit events.
      const requestId = randomUUID();
      res.setHeader(REQUEST_ID_HEADER, requestId);
      res.locals["requestId"] = requestId;
      const end = metrics.duration.startTimer();
      res.on("finish", () => end({ type: "http" }));
      next();
    },
    express.json({ limit: "2mb" }),
    ...(guarded ? [limitTokens(ARMOR_LIMITS.maxTokens.n), rateLimitAddresses(limiter, rateLimits)] : []),
    authenticateRequest(authenticate),
    ...(guarded ? [rateLimitRequests(limiter, rateLimits, options.tenantLimit)] : []),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => ({
        principal: authOf(res).principal,
        requestId: String(res.locals["requestId"]),
        ip: req.socket.remoteAddress,
      }),
    }),
  );
  if (options.consoleDir) app.use(...serveConsole(options.consoleDir));
  httpServer.on("request", app);

  return {
    listen(port, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => resolve(`http://${host}:${(httpServer.address() as AddressInfo).port}/graphql`));
      });
    },
    async stop() {
      await wsCleanup.dispose();
      wsServer.close();
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
