/**
 * Token bucket per connector (this process): `ratePerSecond` sustained, up to
 * `burst` at once, plus a hard stop until the time a 429's Retry-After named.
 * A caller awaits `take()` before every request, so nothing is sent before
 * ServiceNow said it may be.
 */
import type { Clock } from "@intelgraph/kit";
import type { RateLimit } from "./connectorConfig.ts";

export interface TokenBucket {
  /** Resolves when a request may be sent (and takes its token). */
  take(): Promise<void>;
  /** No request before `untilMs` (a 429's Retry-After). */
  blockUntil(untilMs: number): void;
  /** Changes rate and burst (updateConnector); tokens above the new burst are dropped. */
  configure(limit: RateLimit): void;
  state(): { ratePerSecond: number; burst: number; tokens: number; blockedUntil: number | null };
}

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function createTokenBucket(limit: RateLimit, now: Clock, sleep: Sleep = realSleep): TokenBucket {
  let { ratePerSecond, burst } = limit;
  let tokens = burst;
  let at = now();
  let blockedUntil = 0;
  // Callers queue in order: each waits for the one before it.
  let queue: Promise<void> = Promise.resolve();

  const refill = () => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - at) / 1000) * ratePerSecond);
    at = t;
  };

  async function acquire(): Promise<void> {
    for (;;) {
      const t = now();
      if (blockedUntil > t) {
        await sleep(blockedUntil - t);
        continue;
      }
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - tokens) / ratePerSecond) * 1000));
    }
  }

  return {
    take() {
      const turn = queue.then(acquire);
      queue = turn.catch(() => undefined);
      return turn;
    },
    blockUntil(untilMs) {
      blockedUntil = Math.max(blockedUntil, untilMs);
    },
    configure(next) {
      refill();
      ({ ratePerSecond, burst } = next);
      tokens = Math.min(tokens, burst);
    },
    state() {
      refill();
      return { ratePerSecond, burst, tokens, blockedUntil: blockedUntil > now() ? blockedUntil : null };
    },
  };
}
