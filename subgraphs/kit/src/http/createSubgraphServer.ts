import { ApolloServer, HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { GraphQLError, parse, subscribe, type ExecutionResult, type GraphQLSchema } from "graphql";
import { createHttpShell } from "./createHttpShell.ts";
import { appError, ErrorCode } from "../errors/errors.ts";
import type { Logger } from "../observability/logger.ts";
import type { ServiceMetrics } from "../observability/metrics.ts";
import { createMetrics } from "../observability/metrics.ts";
import { PRINCIPAL_HEADER, verifyPrincipal } from "../auth/principal.ts";
import type { RequestContext } from "../auth/requestContext.ts";
import type { SubgraphRequest, SubgraphTransport } from "./subgraphTransport.ts";

export interface SubgraphServerOptions<C extends RequestContext> {
  /** Service name: `graph`, `audit`, … */
  name: string;
  /** Output of `buildSubgraphSchema` (already wrapped by `auditMutations`). */
  schema: GraphQLSchema;
  /** HMAC key shared with the gateway; requests without a valid signature are refused. */
  principalKey: string;
  logger: Logger;
  metrics?: ServiceMetrics;
  /** Throws when a dependency (store) is not usable; drives `/readyz`. */
  readiness?: () => Promise<void>;
  /** Adds the service's own dependencies to the verified base context. */
  extendContext: (base: RequestContext) => C | Promise<C>;
  /** Max age of a signed principal, seconds; default 60. */
  principalMaxAgeSeconds?: number;
}

export interface SubgraphServer extends SubgraphTransport {
  /** Listens on `host:port` (port 0 picks a free one) and resolves with the URL of `/graphql`. */
  listen(port: number, host?: string): Promise<string>;
  stop(): Promise<void>;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function usagePlugin(metrics: ServiceMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const end = metrics.duration.startTimer();
      return {
        async willSendResponse(ctx) {
          const type = ctx.operation?.operation ?? "unknown";
          end({ type });
          metrics.operations.inc({
            operation: ctx.operationName ?? "anonymous",
            type,
            outcome: ctx.errors?.length ? "error" : "ok",
          });
        },
      };
    },
  };
}

/**
 * The one way a subgraph is served: Apollo Server over HTTP (`/graphql`),
 * graphql-ws on the same path, `/healthz`, `/readyz`, `/metrics`, and an
 * in-process transport for all-in-one mode that runs the same principal check.
 */
export async function createSubgraphServer<C extends RequestContext>(options: SubgraphServerOptions<C>): Promise<SubgraphServer> {
  const { name, schema, principalKey, logger, readiness, extendContext, principalMaxAgeSeconds = 60 } = options;
  const metrics = options.metrics ?? createMetrics(name);
  const shell = createHttpShell({ service: name, metrics, readiness });

  const buildContext = async (principalHeader: string | undefined): Promise<C> => {
    const verified = verifyPrincipal(principalHeader, principalKey, { maxAgeSeconds: principalMaxAgeSeconds });
    if (!verified.ok) {
      logger.warn({ reason: verified.reason }, "refused a request without a valid signed principal");
      throw new GraphQLError(
        `The ${name} service only accepts requests signed by the gateway (${verified.reason} principal). Send your request to the gateway.`,
        {
          extensions: { code: ErrorCode.UNAUTHENTICATED, reason: verified.reason, http: { status: 401 } },
        },
      );
    }
    const { principal, requestId } = verified.value;
    return extendContext({ principal, requestId, logger: logger.child({ requestId }), auditHints: {} });
  };

  const apollo = new ApolloServer<C>({
    schema,
    introspection: true,
    // Shutdown is orchestrated by the composition root (main.ts), in order.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: shell.httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      usagePlugin(metrics),
    ],
    formatError(formatted, error) {
      const original = (error as { originalError?: unknown }).originalError;
      if (formatted.extensions?.["code"] === "INTERNAL_SERVER_ERROR" && !(original instanceof GraphQLError)) {
        logger.error({ err: original ?? error }, "unexpected error");
        return {
          message: "Something went wrong on our side; it has been logged. Try again, and quote the request id if it persists.",
          extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
        };
      }
      return formatted;
    },
  });
  await apollo.start();

  shell.serveWebSocket<Record<string, unknown>, Record<PropertyKey, never>>({
    schema,
    async context(ctx) {
      return buildContext(ctx.connectionParams?.[PRINCIPAL_HEADER] as string | undefined);
    },
    async onConnect(ctx) {
      const check = verifyPrincipal(ctx.connectionParams?.[PRINCIPAL_HEADER] as string | undefined, principalKey, {
        maxAgeSeconds: principalMaxAgeSeconds,
      });
      return check.ok;
    },
  });
  shell.serveGraphQL(
    apollo,
    express.json({ limit: "2mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => buildContext(headerValue(req.headers[PRINCIPAL_HEADER])),
    }),
  );

  async function execute(request: SubgraphRequest): Promise<ExecutionResult> {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) headers.set(key, value);
    headers.set("content-type", "application/json");
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: "POST",
        headers,
        search: "",
        body: {
          query: request.query,
          ...(request.variables ? { variables: request.variables } : {}),
          ...(request.operationName ? { operationName: request.operationName } : {}),
        },
      },
      context: () => buildContext(request.headers[PRINCIPAL_HEADER]),
    });
    if (response.body.kind === "complete") return JSON.parse(response.body.string) as ExecutionResult;
    let text = "";
    for await (const chunk of response.body.asyncIterator) text += chunk;
    return JSON.parse(text) as ExecutionResult;
  }

  async function subscribeInProcess(request: SubgraphRequest) {
    let contextValue: C;
    try {
      contextValue = await buildContext(request.headers[PRINCIPAL_HEADER]);
    } catch (error) {
      return { errors: [error as GraphQLError] };
    }
    let document;
    try {
      document = parse(request.query);
    } catch (error) {
      return { errors: [appError(ErrorCode.BAD_USER_INPUT, (error as Error).message)] };
    }
    return subscribe({
      schema,
      document,
      variableValues: request.variables ?? undefined,
      operationName: request.operationName ?? undefined,
      contextValue,
    }) as Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
  }

  return {
    name,
    execute,
    subscribe: subscribeInProcess,
    listen: shell.listen,
    stop: shell.stop,
  };
}
