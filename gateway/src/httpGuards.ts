import type { RequestHandler, Response } from "express";
import { GraphQLError, Kind, parse } from "graphql";
import { ErrorCode, isSignedIn } from "@intelgraph/kit";
import type { Authentication, Authenticator } from "./authenticate.ts";
import type { RateDecision, RateLimit, RateLimiter } from "./rateLimiter.ts";
import { countTokens } from "./tokenLimit.ts";

/** Answers with one GraphQL error, as Apollo would, without reaching Apollo. */
function refuse(res: Response, status: number, message: string, extensions: Record<string, unknown>) {
  res.status(status).json({ errors: [{ message, extensions }] });
}

/** The authenticated caller of this request, set by `authenticateRequest`. */
export const authOf = (res: Response) => res.locals["auth"] as Authentication;

/** Refuses documents longer than `max` tokens before anything parses them. */
export function limitTokens(max: number): RequestHandler {
  return (req, res, next) => {
    // Apollo also accepts queries in a GET's query string.
    const query = req.method === "GET" ? req.query["query"] : (req.body as { query?: unknown } | undefined)?.query;
    const tokens = typeof query === "string" ? countTokens(query, max) : 0;
    if (tokens !== null && tokens > max) {
      return refuse(res, 400, `The document has more than ${max} tokens. Split it into smaller operations.`, {
        code: "GRAPHQL_VALIDATION_FAILED",
        limit: "maxTokens",
      });
    }
    next();
  };
}

/** Resolves the session, API token or anonymity once per request; a bad credential is a 401. */
export function authenticateRequest(authenticate: Authenticator): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals["auth"] = await authenticate(req.headers.authorization, req.socket.remoteAddress, String(res.locals["requestId"]));
      next();
    } catch (error) {
      const code = error instanceof GraphQLError ? error.extensions["code"] : ErrorCode.UNAUTHENTICATED;
      refuse(res, 401, (error as Error).message, { code });
    }
  };
}

export function setRateLimitHeaders(res: Response, decision: RateDecision) {
  res.setHeader("RateLimit-Limit", String(decision.limit));
  res.setHeader("RateLimit-Remaining", String(decision.remaining));
  res.setHeader("RateLimit-Reset", String(decision.resetSeconds));
}

/** A tenant's own request limit (its plan's, or an admin's override), when the gateway can look it up. */
export type TenantRateLimit = (tenantId: string) => Promise<RateLimit>;

/** Which bucket and limit a caller uses: its tenant's limit (or plan's), or its IP when anonymous. */
export async function rateBucket(
  auth: Authentication,
  ip: string | undefined,
  limits: Readonly<Record<string, RateLimit>>,
  tenantLimit?: TenantRateLimit,
) {
  const { principal } = auth;
  if (isSignedIn(principal)) {
    const plan = auth.plan && limits[auth.plan] ? auth.plan : "FREE";
    const limit = tenantLimit ? await tenantLimit(principal.tenantId) : limits[plan]!;
    return { key: `tenant:${principal.tenantId}`, limit, plan };
  }
  return { key: `ip:${ip ?? "unknown"}`, limit: limits["anonymous"]!, plan: "anonymous" };
}

function refuseRate(res: Response, decision: RateDecision, limit: RateLimit, plan: string) {
  res.setHeader("Retry-After", String(decision.retryAfterSeconds));
  refuse(
    res,
    429,
    `Too many requests: the ${plan} limit is ${limit.ratePerSecond}/s with bursts of ${limit.burst}. Retry in ${decision.retryAfterSeconds} s, or ask an admin about a larger plan.`,
    { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: decision.retryAfterSeconds, plan },
  );
}

const SIGN_IN_FIELDS = new Set(["login", "refreshSession"]);

/** True when the document signs in (`login`/`refreshSession` at the mutation root). */
export function signsIn(query: unknown): boolean {
  if (typeof query !== "string" || !/login|refreshSession/.test(query)) return false;
  try {
    return parse(query).definitions.some(
      (d) =>
        d.kind === Kind.OPERATION_DEFINITION &&
        d.operation === "mutation" &&
        d.selectionSet.selections.some((s) => s.kind === Kind.FIELD && SIGN_IN_FIELDS.has(s.name.value)),
    );
  } catch {
    return false; // the parser will report it
  }
}

/** Every request per IP address, before authentication: failed credentials are counted too. */
export function rateLimitAddresses(limiter: RateLimiter, limits: Readonly<Record<string, RateLimit>>): RequestHandler {
  return (req, res, next) => {
    const limit = limits["address"]!;
    const decision = limiter.take(`address:${req.socket.remoteAddress ?? "unknown"}`, limit);
    if (!decision.allowed) {
      setRateLimitHeaders(res, decision);
      return refuseRate(res, decision, limit, "address");
    }
    next();
  };
}

/**
 * Token-bucket limit per tenant (per IP before sign-in): 429 with RateLimit-*
 * and Retry-After. Signing in is always limited per IP as well, whoever asks,
 * so a valid session or token does not lift the limit on password guesses.
 */
export function rateLimitRequests(
  limiter: RateLimiter,
  limits: Readonly<Record<string, RateLimit>>,
  tenantLimit?: TenantRateLimit,
): RequestHandler {
  return async (req, res, next) => {
    const auth = authOf(res);
    const ip = req.socket.remoteAddress;
    if (auth.principal.kind !== "anonymous" && signsIn((req.body as { query?: unknown } | undefined)?.query)) {
      const signIn = await rateBucket(
        { ...auth, principal: { ...auth.principal, kind: "anonymous", tenantId: null, userId: null } },
        ip,
        limits,
      );
      const decision = limiter.take(signIn.key, signIn.limit);
      if (!decision.allowed) {
        setRateLimitHeaders(res, decision);
        return refuseRate(res, decision, signIn.limit, signIn.plan);
      }
    }
    let bucket;
    try {
      bucket = await rateBucket(auth, ip, limits, tenantLimit);
    } catch (error) {
      return next(error);
    }
    const { key, limit, plan } = bucket;
    const decision = limiter.take(key, limit);
    setRateLimitHeaders(res, decision);
    if (!decision.allowed) return refuseRate(res, decision, limit, plan);
    next();
  };
}
