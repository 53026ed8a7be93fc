/**
 * A client that stays under the gateway's per-address limit (every request per
 * IP address: 100/s with bursts of 200, gateway/src/rateLimiter.ts). A suite
 * sending thousands of quick probes from one address would otherwise drain
 * that bucket and see 429s that say nothing about what it tests.
 */
import { gql } from "./graphqlClient.ts";

/** `send` paced by a token bucket of its own, below the gateway's (80/s, bursts of 150: room for helpers that bypass it). */
export function paced(send: typeof gql, ratePerSecond = 80, burst = 150): typeof gql {
  let tokens = burst;
  let last = Date.now();
  let gate: Promise<void> = Promise.resolve();
  const take = async () => {
    const now = Date.now();
    tokens = Math.min(burst, tokens + ((now - last) / 1000) * ratePerSecond);
    last = now;
    if (tokens < 1) {
      await new Promise((r) => setTimeout(r, ((1 - tokens) / ratePerSecond) * 1000));
      tokens = 1;
      last = Date.now();
    }
    tokens -= 1;
  };
  return (...args) => {
    const turn = gate.then(take);
    gate = turn;
    return turn.then(() => send(...args));
  };
}

/** The GraphQL client, paced (one bucket for every caller that imports it). */
export const pacedGql = paced(gql);
