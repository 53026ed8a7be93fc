import type { Request, Response } from "express";
import { describe, expect, it } from "vitest";
import { ANONYMOUS } from "@intelgraph/kit";
import type { Authentication } from "./authenticate.ts";
import { useRateLimit } from "./useRateLimit.ts";

const limits = { FREE: { ratePerSecond: 1, burst: 2 }, anonymous: { ratePerSecond: 1, burst: 1 }, address: { ratePerSecond: 1, burst: 1 } };
const tenant: Authentication = {
  principal: { kind: "user", tenantId: "t1", userId: "u1", roles: ["VIEWER"], scopes: [] },
  expiresAt: null,
  plan: "FREE",
};
const MESSAGE = "Too many requests: the FREE limit is 1/s with bursts of 2. Retry in 1 s, or ask an admin about a larger plan.";

/** An express response that records what the guard answered. */
function fakeResponse(auth: Authentication) {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const res = {
    locals: { auth },
    setHeader: (name: string, value: string) => (sent.headers[name] = value),
    status: (status: number) => ((sent.status = status), res),
    json: (body: unknown) => (sent.body = body),
  };
  return { res: res as unknown as Response, sent };
}
const request = { socket: { remoteAddress: "10.0.0.1" }, body: { query: "{ me { id } }" } } as unknown as Request;

describe("useRateLimit", () => {
  it("refuses a subscription past the burst with the HTTP message and extensions, and recovers with the clock", async () => {
    let t = 0;
    const { subscription } = useRateLimit({ limits, now: () => t });
    expect(await subscription(tenant, "10.0.0.1")).toBeNull();
    expect(await subscription(tenant, "10.0.0.1")).toBeNull();
    const refusal = await subscription(tenant, "10.0.0.1");
    expect({ message: refusal?.message, extensions: refusal?.extensions }).toEqual({
      message: MESSAGE,
      extensions: { code: "RATE_LIMITED", retryAfterSeconds: 1, plan: "FREE" },
    });
    t += 1000;
    expect(await subscription(tenant, "10.0.0.1")).toBeNull();
  });

  it("answers HTTP past the burst with 429, RateLimit-* and Retry-After, and the same error", async () => {
    const { requests } = useRateLimit({ limits, now: () => 0 });
    let passed = 0;
    const next = () => void passed++;
    for (let i = 0; i < 2; i++) await requests(request, fakeResponse(tenant).res, next);
    const { res, sent } = fakeResponse(tenant);
    await requests(request, res, next);
    expect(passed).toBe(2);
    expect(sent).toEqual({
      status: 429,
      headers: { "RateLimit-Limit": "2", "RateLimit-Remaining": "0", "RateLimit-Reset": "2", "Retry-After": "1" },
      body: { errors: [{ message: MESSAGE, extensions: { code: "RATE_LIMITED", retryAfterSeconds: 1, plan: "FREE" } }] },
    });
  });

  it("shares one bucket between HTTP and the WebSocket", async () => {
    const { requests, subscription } = useRateLimit({ limits, now: () => 0 });
    await requests(request, fakeResponse(tenant).res, () => {});
    expect(await subscription(tenant, "10.0.0.1")).toBeNull();
    expect((await subscription(tenant, "10.0.0.1"))?.extensions["code"]).toBe("RATE_LIMITED");
    expect(await subscription({ principal: ANONYMOUS, expiresAt: null, plan: null }, "10.0.0.2")).toBeNull();
  });
});
