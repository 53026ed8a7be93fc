import { randomUUID } from "node:crypto";
import type http from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type RequestHandler } from "express";
import {
  createHttpShell,
  createMetrics,
  REQUEST_ID_HEADER,
  systemClock,
  type Clock,
  type Logger,
  type ServiceMetrics,
  type SessionKeyring,
  type SubgraphTransport,
  type UsageRecorder,
  type BillingGuard,
  type ResourceLedger,
} from "@intelgraph/kit";
import { ARMOR_LIMITS, armorProtection } from "./armorLimits.ts";
import { createAuthenticator, type ApiTokenCheck } from "./authenticate.ts";
import { createSupergraphGateway } from "./createSupergraphGateway.ts";
import type { GatewayContext } from "./gatewayContext.ts";
import { getGraphQLWSOptions } from "./getGraphQLWSOptions.ts";
import { authenticateRequest, authOf, limitTokens } from "./httpGuards.ts";
import type { RateLimit } from "./rateLimiter.ts";
import { serveConsole } from "./serveConsole.ts";
import { singleLoginRule } from "./singleLoginRule.ts";
import { subscriptionOwners } from "./subscriptionRouting.ts";
import { useRateLimit, type TenantRateLimit } from "./useRateLimit.ts";
import { useTokenDenials, type OnTokenDenied } from "./useTokenDenials.ts";
import { idempotencyKeyOf, quotaExemptFields, useUsage } from "./useUsage.ts";

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
  /** Refuses queries and mutations over the tenant's monthly quota (QUOTA_EXCEEDED). */
  billingGuard?: BillingGuard;
  /** Attributes this process's CPU to the tenants whose requests run (cost reconciliation). */
  resources?: ResourceLedger;
  /**
   * Development keeps introspection, field suggestions and the landing page;
   * everywhere else (production, test, unset) they are off.
   * @default false
   */
  development?: boolean;
  /** Throws when a dependency is not usable; drives `/readyz`. */
  readiness?: () => Promise<void>;
  /** Resolves API tokens (governance's verifier); without it only session tokens work. */
  verifyApiToken?: ApiTokenCheck;
  /** How often open WebSockets re-check their credential; default 60 s (watchSocketSession). */
  socketRecheckMs?: number;
  /**
   * Per-plan (and `anonymous`) request limits.
   * @default DEFAULT_RATE_LIMITS
   */
  rateLimits?: Readonly<Record<string, RateLimit>>;
  /** Looks up a tenant's own limit (plan or admin override); without it the plan's entry in `rateLimits` applies. */
  tenantLimit?: TenantRateLimit;
  /**
   * Benchmark only: "off" serves without graphql-armor, the token limit and
   * HTTP rate limits (authentication stays), to measure what they cost.
   * @default "on"
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
  onTokenDenied?: OnTokenDenied;
  /**
   * The clock of the rate limits, ms since the epoch.
   * @default systemClock
   */
  now?: Clock;
}

export interface Gateway {
  listen(port: number, host?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Ours, never the client's: the request id is signed into the principal and stored in audit events. */
function stampRequest(metrics: ServiceMetrics): RequestHandler {
  return (_req, res, next) => {
    const requestId = randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.locals["requestId"] = requestId;
    const end = metrics.duration.startTimer();
    res.on("finish", () => end({ type: "http" }));
    next();
  };
}

/**
 * The federation gateway: Apollo Gateway over the supergraph behind the HTTP
 * guards (token limit, rate limits, authentication), graphql-ws for
 * subscriptions, and the shared HTTP shell (health, readiness, metrics).
 *
 * @apollo/gateway reports usage to Apollo unless APOLLO_TELEMETRY_DISABLED is
 * set in the environment; main.ts sets it (a caller without main.ts sets it too).
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { supergraphSdl, transports, principalKey, sessionKeys, logger, usage, development = false, readiness } = options;
  const { verifyApiToken, socketRecheckMs, rateLimits, tenantLimit, securityLayers = "on", routes = [], consoleDir } = options;
  const { onTokenDenied, now = systemClock } = options;
  const production = !development;
  const guarded = securityLayers !== "off";
  const authenticate = createAuthenticator({ sessionKeys, verifyApiToken });
  const rateLimit = useRateLimit({ limits: rateLimits, tenantLimit, now });
  const protection = armorProtection({ enabled: guarded, blockFieldSuggestion: production });
  const metrics = createMetrics("gateway");
  const shell = createHttpShell({ service: "gateway", metrics, readiness });

  const { gateway, apiSchema } = createSupergraphGateway(supergraphSdl, transports, principalKey);

  const apollo = new ApolloServer<GatewayContext>({
    gateway: gateway as never,
    introspection: !production,
    // Shutdown is orchestrated by the composition root (main.ts), in order.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    validationRules: [...protection.validationRules, singleLoginRule],
    allowBatchedHttpRequests: false,
    plugins: [
      ...protection.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer: shell.httpServer }),
      ...(usage
        ? [useUsage({ usage, guard: options.billingGuard, resources: options.resources, exempt: quotaExemptFields(supergraphSdl) })]
        : []),
      ...(onTokenDenied ? [useTokenDenials(onTokenDenied, logger)] : []),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  shell.serveWebSocket(
    getGraphQLWSOptions({
      schema: apiSchema,
      validationRules: protection.validationRules,
      hideSuggestions: production,
      authenticate,
      rateLimit: rateLimit.subscription,
      owners: subscriptionOwners(supergraphSdl),
      transports,
      principalKey,
      logger,
      usage,
      socketRecheckMs,
      now,
    }),
  );

  for (const route of routes) {
    shell.app.all(route.path, (req, res, next) => {
      route.handler(req, res).catch(next);
    });
  }
  shell.serveGraphQL(
    apollo,
    stampRequest(metrics),
    express.json({ limit: "2mb" }),
    ...(guarded ? [limitTokens(ARMOR_LIMITS.maxTokens.n), rateLimit.addresses] : []),
    authenticateRequest(authenticate),
    ...(guarded ? [rateLimit.requests] : []),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => ({
        principal: authOf(res).principal,
        requestId: String(res.locals["requestId"]),
        idempotencyKey: idempotencyKeyOf(req.headers["idempotency-key"]),
        ip: req.socket.remoteAddress,
      }),
    }),
  );
  if (consoleDir) shell.app.use(...serveConsole(consoleDir));

  return { listen: shell.listen, stop: shell.stop };
}
