import { PLAN_LIMITS } from "@intelgraph/subgraph-governance";

/** Requests per second and burst size of one bucket. */
export interface RateLimit {
  ratePerSecond: number;
  burst: number;
}

/**
 * Per-tenant limits by plan (governance's PLAN_LIMITS; an admin's override per
 * tenant wins when the gateway has a `tenantLimit` lookup); anonymous callers
 * (sign-in) are limited per IP address.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, RateLimit>> = {
  FREE: PLAN_LIMITS.FREE,
  TEAM: PLAN_LIMITS.TEAM,
  ENTERPRISE: PLAN_LIMITS.ENTERPRISE,
  /** Signing in (login, refreshSession) per IP address, whoever asks. */
  anonymous: { ratePerSecond: 5, burst: 30 },
  /** Every request per IP address, checked before authentication (so bad credentials count too). */
  address: { ratePerSecond: 100, burst: 200 },
};

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again (RateLimit-Reset). */
  resetSeconds: number;
  /** Seconds until one request is allowed again (Retry-After), when refused. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** The burst the bucket was last used with: a raised limit adds its extra capacity at once. */
  burst: number;
}

/**
 * Token buckets in this process's memory: each key refills at
 * `ratePerSecond` up to `burst`, and each request takes one token. Several
 * gateway replicas each keep their own buckets (so a tenant's effective limit
 * scales with replicas); a shared store is the next step.
 */
export function createRateLimiter(options: { now?: () => number; maxKeys?: number } = {}) {
  const now = options.now ?? (() => Date.now());
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, Bucket>();

  return {
    take(key: string, limit: RateLimit): RateDecision {
      const t = now();
      let bucket = buckets.get(key);
      if (bucket) {
        // Least recently used goes first when full: move this key to the back.
        buckets.delete(key);
      } else {
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
        bucket = { tokens: limit.burst, updatedAt: t, burst: limit.burst };
      }
      buckets.set(key, bucket);
      if (limit.burst > bucket.burst) bucket.tokens += limit.burst - bucket.burst;
      bucket.burst = limit.burst;
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((t - bucket.updatedAt) / 1000) * limit.ratePerSecond);
      bucket.updatedAt = t;
      const allowed = bucket.tokens >= 1;
      if (allowed) bucket.tokens -= 1;
      return {
        allowed,
        limit: limit.burst,
        remaining: Math.floor(bucket.tokens),
        resetSeconds: Math.ceil((limit.burst - bucket.tokens) / limit.ratePerSecond),
        retryAfterSeconds: allowed ? 0 : Math.ceil((1 - bucket.tokens) / limit.ratePerSecond),
      };
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
