import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rateLimiter.ts";

describe("token bucket rate limiter", () => {
  it("allows a burst, refuses the next request, and refills over time", () => {
    let t = 0;
    const limiter = createRateLimiter({ now: () => t });
    const limit = { ratePerSecond: 2, burst: 3 };
    expect([1, 2, 3].map(() => limiter.take("k", limit).allowed)).toEqual([true, true, true]);
    expect(limiter.take("k", limit)).toEqual({ allowed: false, limit: 3, remaining: 0, resetSeconds: 2, retryAfterSeconds: 1 });
    t = 500; // half a second: one token back
    expect(limiter.take("k", limit)).toMatchObject({ allowed: true, remaining: 0 });
    t = 10_000;
    expect(limiter.take("k", limit)).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 1 });
  });

  it("keeps keys apart", () => {
    const limiter = createRateLimiter({ now: () => 0 });
    const limit = { ratePerSecond: 1, burst: 1 };
    expect(limiter.take("a", limit).allowed).toBe(true);
    expect(limiter.take("a", limit).allowed).toBe(false);
    expect(limiter.take("b", limit).allowed).toBe(true);
  });

  it("adds a raised burst's extra capacity at once, and caps at a lowered one", () => {
    const limiter = createRateLimiter({ now: () => 0 });
    const small = { ratePerSecond: 1, burst: 2 };
    expect([1, 2, 3].map(() => limiter.take("k", small).allowed)).toEqual([true, true, false]);
    const raised = { ratePerSecond: 1, burst: 5 };
    expect([1, 2, 3, 4].map(() => limiter.take("k", raised).allowed)).toEqual([true, true, true, false]);
    const limiter2 = createRateLimiter({ now: () => 0 });
    limiter2.take("k", { ratePerSecond: 1, burst: 10 });
    expect(limiter2.take("k", { ratePerSecond: 1, burst: 2 })).toMatchObject({ allowed: true, remaining: 1 });
  });
});
