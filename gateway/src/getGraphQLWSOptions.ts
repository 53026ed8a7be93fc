import { randomUUID } from "node:crypto";
import { GraphQLError, print, specifiedRules, validate, type ExecutionArgs, type GraphQLSchema, type ValidationRule } from "graphql";
import type { Context, ServerOptions } from "graphql-ws";
import type { Extra } from "graphql-ws/use/ws";
import {
  ANONYMOUS,
  ErrorCode,
  PRINCIPAL_HEADER,
  REQUEST_ID_HEADER,
  signPrincipal,
  type Clock,
  type Logger,
  type SubgraphTransport,
  type UsageRecorder,
} from "@intelgraph/kit";
import { hideSuggestions } from "./armorLimits.ts";
import type { Authentication, Authenticator } from "./authenticate.ts";
import type { GatewayContext } from "./gatewayContext.ts";
import { watchSocketSession } from "./socketSession.ts";
import { subscriptionOwner } from "./subscriptionRouting.ts";
import type { RateLimitGuards } from "./useRateLimit.ts";
import { recordOperation } from "./useUsage.ts";

export interface GraphQLWSOptions {
  /** The gateway's API schema; throws while it is not loaded yet. */
  schema: () => GraphQLSchema;
  /** Rules on top of GraphQL's own (graphql-armor's, as over HTTP). */
  validationRules: ValidationRule[];
  /** Hides "Did you mean …?" suggestions (armor does it over HTTP with an Apollo plugin the socket never passes). */
  hideSuggestions: boolean;
  authenticate: Authenticator;
  /** Refuses a subscription past the caller's rate limit (the same check as HTTP). */
  rateLimit: RateLimitGuards["subscription"];
  /** Subscription root field → owning subgraph (subscriptionOwners). */
  owners: ReadonlyMap<string, string>;
  /** One transport per subgraph name. */
  transports: ReadonlyMap<string, SubgraphTransport>;
  principalKey: string;
  logger: Logger;
  /** Counts each subscription of a signed-in tenant user. */
  usage?: UsageRecorder | undefined;
  /** How often an open socket re-checks its credential; watchSocketSession's default when unset. */
  socketRecheckMs?: number | undefined;
  /** The clock for session expiry on open sockets. */
  now: Clock;
}

/** What graphql-ws keeps per socket, set when it connects. */
interface SocketExtra {
  auth?: Authentication;
  authorization?: string | undefined;
  requestId?: string;
}

type SocketServerContext = Context<Record<string, unknown>, Extra & Partial<SocketExtra>>;

/** What a subscription sees: the gateway context plus the session and address, for limits. */
interface SocketContext extends GatewayContext {
  auth: Authentication;
  authorization: string | undefined;
  ip: string | undefined;
}

const HTTP_ONLY = "Send queries and mutations as HTTP POST to /graphql; the WebSocket carries subscriptions only.";
const ONE_SUBGRAPH = "A subscription must select fields of one subgraph only.";

const errorResult = (message: string, code: string) => ({ errors: [new GraphQLError(message, { extensions: { code } })] });

/** Authenticates a socket from its `authorization` connection parameter and keeps it no longer open than the credential. */
async function connect(options: GraphQLWSOptions, ctx: SocketServerContext): Promise<boolean> {
  const { authenticate, logger, socketRecheckMs, now } = options;
  const param = ctx.connectionParams?.["authorization"] ?? ctx.connectionParams?.["Authorization"];
  const authorization = typeof param === "string" ? param : undefined;
  const ip = ctx.extra.request.socket.remoteAddress;
  let session;
  try {
    session = await authenticate(authorization, ip);
  } catch (error) {
    logger.warn({ reason: (error as Error).message, remote: ip }, "refused a WebSocket with an invalid session");
    return false;
  }
  ctx.extra.auth = session;
  ctx.extra.authorization = authorization;
  ctx.extra.requestId = randomUUID();
  watchSocketSession({
    authenticate,
    authorization,
    ip,
    expiresAt: session.expiresAt,
    socket: ctx.extra.socket,
    logger,
    now,
    ...(socketRecheckMs ? { recheckMs: socketRecheckMs } : {}),
  });
  return true;
}

/**
 * Opens one subscription at its owning subgraph: the credential is checked
 * again (a token revoked, or a role removed, since the socket opened must not
 * open new streams), then the routing and the rate limit.
 */
async function subscribeAtOwner(options: GraphQLWSOptions, args: ExecutionArgs) {
  const { authenticate, rateLimit, owners, transports, principalKey, usage } = options;
  const socket = args.contextValue as SocketContext;
  const { requestId, ip } = socket;
  let auth: Authentication;
  try {
    auth = socket.authorization ? await authenticate(socket.authorization, ip) : socket.auth;
  } catch (error) {
    return errorResult((error as Error).message, ErrorCode.UNAUTHENTICATED);
  }
  const { principal } = auth;
  const owner = subscriptionOwner(args.document, args.operationName, owners);
  const transport = owner ? transports.get(owner) : undefined;
  if (!transport) return errorResult(ONE_SUBGRAPH, ErrorCode.BAD_USER_INPUT);
  const refusal = await rateLimit(auth, ip);
  if (refusal) return { errors: [refusal] };
  // Each subscribe is its own event (a socket carries many under one request id).
  if (usage) recordOperation(usage, principal, "subscription", `sub:${randomUUID()}`);
  return transport.subscribe({
    query: print(args.document),
    variables: (args.variableValues as Record<string, unknown> | undefined) ?? null,
    operationName: args.operationName ?? null,
    headers: { [PRINCIPAL_HEADER]: signPrincipal(principal, requestId, principalKey), [REQUEST_ID_HEADER]: requestId },
  });
}

/** graphql-ws on the gateway's `/graphql`: subscriptions only, each proxied to the subgraph that owns it. */
export function getGraphQLWSOptions(options: GraphQLWSOptions): ServerOptions<Record<string, unknown>, Extra & Partial<SocketExtra>> {
  return {
    schema: options.schema,
    validate: (schema, document) => {
      const errors = validate(schema, document, [...specifiedRules, ...options.validationRules]);
      return options.hideSuggestions ? errors.map(hideSuggestions) : errors;
    },
    onConnect: (ctx) => connect(options, ctx),
    context: (ctx): SocketContext => ({
      principal: ctx.extra.auth?.principal ?? ANONYMOUS,
      requestId: ctx.extra.requestId ?? randomUUID(),
      auth: ctx.extra.auth ?? { principal: ANONYMOUS, expiresAt: null, plan: null },
      authorization: ctx.extra.authorization,
      ip: ctx.extra.request.socket.remoteAddress,
    }),
    execute: async () => errorResult(HTTP_ONLY, ErrorCode.BAD_USER_INPUT),
    subscribe: (args: ExecutionArgs) => subscribeAtOwner(options, args),
  };
}
