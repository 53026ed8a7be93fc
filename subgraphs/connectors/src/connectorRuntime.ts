/**
 * What this process keeps per connector: its token bucket, its OAuth token,
 * and the outcomes of its recent requests (health, metrics). The client is
 * built per use from the stored connector, so a changed mapping, limit or
 * secret applies at once; the secret is opened inside the client per request.
 */
import type { Clock } from "@intelgraph/kit";
import type { Connector } from "./connectorService.ts";
import { createConnectorMetrics, type ConnectorMetrics } from "./connectorMetrics.ts";
import { createTokenBucket, realSleep, type Sleep, type TokenBucket } from "./rateLimiter.ts";
import { createTableClient, type TableClient } from "./servicenow/tableClient.ts";

interface Sample {
  at: number;
  ok: boolean;
  latencyMs: number;
  error?: string;
}

interface ConnectorState {
  bucket: TokenBucket;
  token: { token: string; expiresAt: number } | null;
  samples: Sample[];
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastError: string | null;
}

const WINDOW_MS = 3_600_000;
const MAX_SAMPLES = 5_000;

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : null;

export function createConnectorRuntime(options: { now: Clock; secretOf: (c: Connector) => string; sleep?: Sleep; timeoutMs?: number }) {
  const { now, sleep = realSleep } = options;
  const states = new Map<string, ConnectorState>();
  const metrics: ConnectorMetrics = createConnectorMetrics();
  const chains = new Map<string, Promise<unknown>>();

  function stateOf(connector: Connector): ConnectorState {
    let state = states.get(connector._id);
    if (!state) {
      state = {
        bucket: createTokenBucket(connector.rateLimit, now, sleep),
        token: null,
        samples: [],
        lastSuccessAt: null,
        lastFailureAt: null,
        lastError: null,
      };
      states.set(connector._id, state);
    } else {
      state.bucket.configure(connector.rateLimit);
    }
    return state;
  }

  return {
    metrics,
    sleep,

    /** Runs `fn` after every earlier call with the same key in this process (deliveries of one incident, one at a time). */
    serialize<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const turn = (chains.get(key) ?? Promise.resolve()).then(fn, fn);
      const tail = turn.catch(() => undefined);
      chains.set(key, tail);
      void tail.then(() => chains.get(key) === tail && chains.delete(key));
      return turn;
    },

    client(connector: Connector): TableClient {
      const state = stateOf(connector);
      const client = createTableClient({
        baseUrl: connector.baseUrl,
        authKind: connector.authKind,
        username: connector.username,
        clientId: connector.clientId,
        secret: () => options.secretOf(connector),
        bucket: state.bucket,
        now,
        tokenCache: state.token,
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        observe: (outcome) => {
          const at = now();
          state.samples.push({ at, ok: outcome.ok, latencyMs: outcome.latencyMs, ...(outcome.error ? { error: outcome.error } : {}) });
          if (state.samples.length > MAX_SAMPLES) state.samples.splice(0, state.samples.length - MAX_SAMPLES);
          if (outcome.ok) state.lastSuccessAt = at;
          else ((state.lastFailureAt = at), (state.lastError = outcome.error ?? "failed"));
          metrics.request(connector._id, outcome.ok ? "ok" : outcome.status === 429 ? "rate_limited" : "error", outcome.latencyMs);
          state.token = client.tokenCache();
        },
      });
      return client;
    },

    /** Health over the last hour of this process's requests. */
    health(connector: Connector) {
      const state = stateOf(connector);
      const since = now() - WINDOW_MS;
      const recent = state.samples.filter((s) => s.at >= since);
      const failures = recent.filter((s) => !s.ok).length;
      const latencies = recent.map((s) => s.latencyMs).sort((a, b) => a - b);
      const bucket = state.bucket.state();
      return {
        requests: recent.length,
        failures,
        successRate: recent.length ? (recent.length - failures) / recent.length : 1,
        p50LatencyMs: percentile(latencies, 0.5),
        p95LatencyMs: percentile(latencies, 0.95),
        lastSuccessAt: state.lastSuccessAt,
        lastFailureAt: state.lastFailureAt,
        lastError: state.lastError,
        rateLimit: { ...bucket },
      };
    },
  };
}

export type ConnectorRuntime = ReturnType<typeof createConnectorRuntime>;
