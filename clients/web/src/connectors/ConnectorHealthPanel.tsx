import { createQuery } from "@urql/solid";
import { createEffect, Match, on, Switch } from "solid-js";
import { ConnectorHealthDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { Stat } from "../components/Stat.tsx";
import { formatCount, formatPercent, formatTimestamp } from "../lib/format.ts";

const ms = (value: number | null) => (value == null ? "—" : `${Math.round(value)} ms`);

/** Health over the last hour: success rate, latency, DLQ depth, last success and the rate limiter's state. */
export function ConnectorHealthPanel(props: { connectorId: string; refreshKey: number }) {
  const [health, refetch] = createQuery({
    query: ConnectorHealthDocument,
    variables: () => ({ id: props.connectorId }),
    requestPolicy: "network-only",
  });
  // After a connection test, a replay or a saved change: the figures again.
  createEffect(
    on(
      () => props.refreshKey,
      () => refetch({ requestPolicy: "network-only" }),
      { defer: true },
    ),
  );
  return (
    <section class="panel" aria-labelledby="connector-health-title">
      <div class="panel-head">
        <h2 id="connector-health-title">Health (last hour)</h2>
        <button type="button" class="small" onClick={() => refetch({ requestPolicy: "network-only" })}>
          Refresh
        </button>
      </div>
      <Switch>
        <Match when={health.error}>
          <ErrorPanel error={health.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!health.data}>
          <SkeletonRows rows={3} label="Loading health" />
        </Match>
        <Match when={health.data?.connectorHealth}>
          {(h) => (
            <>
              <dl class="stats">
                <Stat label="Success rate" testId="health-success-rate">
                  {formatPercent(h().successRate)}
                </Stat>
                <Stat label="Requests" testId="health-requests">
                  {formatCount(h().requests)} ({formatCount(h().failures)} failed)
                </Stat>
                <Stat label="p95 latency" testId="health-p95">
                  {ms(h().p95LatencyMs)}
                </Stat>
                <Stat label="DLQ depth" testId="health-dlq-depth">
                  {formatCount(h().dlqDepth)}
                </Stat>
                <Stat label="Last success" testId="health-last-success">
                  {formatTimestamp(h().lastSuccessAt)}
                </Stat>
                <Stat label="Rate limit" testId="health-rate-limit">
                  {h().rateLimit.ratePerSecond}/s, burst {h().rateLimit.burst} · {h().rateLimit.tokens.toFixed(1)} tokens
                </Stat>
              </dl>
              {h().rateLimit.blockedUntil ? (
                <p class="notice">ServiceNow asked us to wait (429) until {formatTimestamp(h().rateLimit.blockedUntil)}.</p>
              ) : null}
              {h().lastError ? (
                <p class="muted" data-testid="health-last-error">
                  Last error {formatTimestamp(h().lastFailureAt)}: {h().lastError}
                </p>
              ) : null}
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}
