import type { RequestHandler, Response } from "express";
import { GraphQLError } from "graphql";
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
    const query = (req.body as { query?: unknown } | undefined)?.query;
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
      res.locals["auth"] = await authenticate(req.headers.authorization, req.socket.remoteAddress);
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

/** Which bucket and limit a caller uses: its tenant's plan, or its IP when anonymous. */
export function rateBucket(auth: Authentication, ip: string | undefined, limits: Readonly<Record<string, RateLimit>>) {
  const { principal } = auth;
  if (isSignedIn(principal)) {
    const plan = auth.plan && limits[auth.plan] ? auth.plan : "FREE";
    return { key: `tenant:${principal.tenantId}`, limit: limits[plan]!, plan };
  }
  return { key: `ip:${ip ?? "unknown"}`, limit: limits["anonymous"]!, plan: "anonymous" };
}

/** Token-bucket limit per tenant (per IP before sign-in): 429 with RateLimit-* and Retry-After. */
export function rateLimitRequests(limiter: RateLimiter, limits: Readonly<Record<string, RateLimit>>): RequestHandler {
  return (req, res, next) => {
    const { key, limit, plan } = rateBucket(authOf(res), req.socket.remoteAddress, limits);
    const decision = limiter.take(key, limit);
    setRateLimitHeaders(res, decision);
    if (!decision.allowed) {
      res.setHeader("Retry-After", String(decision.retryAfterSeconds));
      return refuse(
        res,
        429,
        `Too many requests: the ${plan} limit is ${limit.ratePerSecond}/s with bursts of ${limit.burst}. Retry in ${decision.retryAfterSeconds} s, or ask an admin about a larger plan.`,
        { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: decision.retryAfterSeconds, plan },
      );
    }
    next();
  };
}
