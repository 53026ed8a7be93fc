import type { RequestHandler, Response } from "express";
import { GraphQLError, Kind, parse } from "graphql";
import { ErrorCode, isSignedIn, systemClock, type Clock } from "@intelgraph/kit";
import type { Authentication } from "./authenticate.ts";
import { authOf, refuse } from "./httpGuards.ts";
import { createRateLimiter, DEFAULT_RATE_LIMITS, type RateDecision, type RateLimit } from "./rateLimiter.ts";

/** A tenant's own request limit (its plan's, or an admin's override), when the gateway can look it up. */
export type TenantRateLimit = (tenantId: string) => Promise<RateLimit>;

export interface RateLimitOptions {
  /**
   * Per-plan (and `anonymous`, `address`) limits.
   * @default DEFAULT_RATE_LIMITS
   */
  limits?: Readonly<Record<string, RateLimit>>;
  /** Looks up a tenant's own limit; without it the plan's entry in `limits` applies. */
  tenantLimit?: TenantRateLimit;
  /**
   * The buckets' clock, ms since the epoch.
   * @default systemClock
   */
  now?: Clock;
}

/** The rate limit at the places the gateway checks it; HTTP and graphql-ws refuse with the same error. */
export interface RateLimitGuards {
  /** Every HTTP request per IP address, before authentication (so bad credentials count too). */
  addresses: RequestHandler;
  /** Every authenticated HTTP request per tenant (per IP when anonymous), and sign-ins per IP. */
  requests: RequestHandler;
  /** One subscription on a socket: the refusal to send, or null when allowed. */
  subscription(auth: Authentication, ip: string | undefined): Promise<GraphQLError | null>;
}

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

/** The one RATE_LIMITED error, over HTTP (status 429) and on the WebSocket alike. */
export function rateLimited(decision: RateDecision, limit: RateLimit, plan: string): GraphQLError {
  return new GraphQLError(
    `Too many requests: the ${plan} limit is ${limit.ratePerSecond}/s with bursts of ${limit.burst}. Retry in ${decision.retryAfterSeconds} s, or ask an admin about a larger plan.`,
    { extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: decision.retryAfterSeconds, plan } },
  );
}

export function setRateLimitHeaders(res: Response, decision: RateDecision) {
  res.setHeader("RateLimit-Limit", String(decision.limit));
  res.setHeader("RateLimit-Remaining", String(decision.remaining));
  res.setHeader("RateLimit-Reset", String(decision.resetSeconds));
}

/** 429 with RateLimit-*, Retry-After and the RATE_LIMITED error. */
function refuseRate(res: Response, decision: RateDecision, limit: RateLimit, plan: string) {
  setRateLimitHeaders(res, decision);
  res.setHeader("Retry-After", String(decision.retryAfterSeconds));
  const error = rateLimited(decision, limit, plan);
  refuse(res, 429, error.message, error.extensions);
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

/**
 * Token-bucket limits in this process (see createRateLimiter). Per tenant
 * (per IP before sign-in); signing in is always limited per IP as well,
 * whoever asks, so a valid session or token does not lift the limit on
 * password guesses.
 */
export function useRateLimit({ limits = DEFAULT_RATE_LIMITS, tenantLimit, now = systemClock }: RateLimitOptions = {}): RateLimitGuards {
  const limiter = createRateLimiter({ now });

  const addresses: RequestHandler = (req, res, next) => {
    const limit = limits["address"]!;
    const decision = limiter.take(`address:${req.socket.remoteAddress ?? "unknown"}`, limit);
    if (!decision.allowed) return refuseRate(res, decision, limit, "address");
    next();
  };

  const requests: RequestHandler = async (req, res, next) => {
    const auth = authOf(res);
    const ip = req.socket.remoteAddress;
    if (auth.principal.kind !== "anonymous" && signsIn((req.body as { query?: unknown } | undefined)?.query)) {
      const signIn = await rateBucket(
        { ...auth, principal: { ...auth.principal, kind: "anonymous", tenantId: null, userId: null } },
        ip,
        limits,
      );
      const decision = limiter.take(signIn.key, signIn.limit);
      if (!decision.allowed) return refuseRate(res, decision, signIn.limit, signIn.plan);
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

  async function subscription(auth: Authentication, ip: string | undefined) {
    const { key, limit, plan } = await rateBucket(auth, ip, limits, tenantLimit);
    const decision = limiter.take(key, limit);
    return decision.allowed ? null : rateLimited(decision, limit, plan);
  }

  return { addresses, requests, subscription };
}
