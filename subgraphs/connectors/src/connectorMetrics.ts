/**
 * Prometheus series per connector, registered on the service's kit registry
 * (served at /metrics). The connectors package does not depend on prom-client
 * itself, so the series are collectors in prom-client's metric shape
 * (`name`, `help`, `type`, `get()`), which `Registry.registerMetric` accepts.
 * Labels: the connector id only (bounded by the connectors that exist).
 *
 * - intelgraph_connector_requests_total{connector,outcome}  outcome: ok | error | rate_limited
 * - intelgraph_connector_request_duration_seconds{connector} histogram
 * - intelgraph_connector_dead_letters{connector}            pending dead letters (gauge)
 * - intelgraph_connector_deliveries_total{connector,status}  DELIVERED | DEAD_LETTERED
 */
import type { ServiceMetrics } from "@intelgraph/kit";

const BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Value {
  value: number;
  labels: Record<string, string>;
  metricName?: string;
}

export function createConnectorMetrics() {
  const requests = new Map<string, number>();
  const deliveries = new Map<string, number>();
  const dlq = new Map<string, number>();
  const histograms = new Map<string, { counts: number[]; sum: number; count: number }>();

  const counterValues = (map: Map<string, number>, second: string): Value[] =>
    [...map].map(([key, value]) => {
      const [connector, other] = key.split("\u0000") as [string, string];
      return { value, labels: { connector, [second]: other } };
    });

  const collectors = [
    {
      name: "intelgraph_connector_requests_total",
      help: "Requests to the external system, by connector and outcome",
      type: "counter",
      values: () => counterValues(requests, "outcome"),
    },
    {
      name: "intelgraph_connector_deliveries_total",
      help: "Outbound deliveries finished, by connector and status",
      type: "counter",
      values: () => counterValues(deliveries, "status"),
    },
    {
      name: "intelgraph_connector_dead_letters",
      help: "Pending dead letters per connector (as of its last delivery or replay)",
      type: "gauge",
      values: () => [...dlq].map(([connector, value]) => ({ value, labels: { connector } })),
    },
    {
      name: "intelgraph_connector_request_duration_seconds",
      help: "Latency of requests to the external system",
      type: "histogram",
      values: () =>
        [...histograms].flatMap(([connector, h]) => [
          ...BUCKETS.map((le, i) => ({
            value: h.counts[i]!,
            labels: { connector, le: String(le) },
            metricName: "intelgraph_connector_request_duration_seconds_bucket",
          })),
          { value: h.count, labels: { connector, le: "+Inf" }, metricName: "intelgraph_connector_request_duration_seconds_bucket" },
          { value: h.sum, labels: { connector }, metricName: "intelgraph_connector_request_duration_seconds_sum" },
          { value: h.count, labels: { connector }, metricName: "intelgraph_connector_request_duration_seconds_count" },
        ]),
    },
  ];

  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  return {
    request(connector: string, outcome: "ok" | "error" | "rate_limited", latencyMs: number) {
      bump(requests, `${connector}\u0000${outcome}`);
      let h = histograms.get(connector);
      if (!h) histograms.set(connector, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
      const seconds = latencyMs / 1000;
      BUCKETS.forEach((le, i) => {
        if (seconds <= le) h.counts[i]! += 1;
      });
      h.sum += seconds;
      h.count += 1;
    },
    delivery(connector: string, status: "DELIVERED" | "DEAD_LETTERED") {
      bump(deliveries, `${connector}\u0000${status}`);
    },
    deadLetters(connector: string, depth: number) {
      dlq.set(connector, depth);
    },
    /** Adds the series to the service's registry. */
    register(metrics: ServiceMetrics) {
      for (const c of collectors) {
        const metric = {
          name: c.name,
          help: c.help,
          type: c.type,
          aggregator: "sum",
          get: async () => ({ name: c.name, help: c.help, type: c.type, aggregator: "sum", values: c.values() }),
          reset: () => undefined,
        };
        metrics.registry.registerMetric(metric as never);
      }
    },
  };
}

export type ConnectorMetrics = ReturnType<typeof createConnectorMetrics>;
