import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface ServiceMetrics {
  registry: Registry;
  operations: Counter<"operation" | "type" | "outcome">;
  duration: Histogram<"type">;
}

/** One registry per service so all-in-one mode keeps services' series apart. */
export function createMetrics(service: string, options: { defaults?: boolean } = {}): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaults) collectDefaultMetrics({ register: registry });
  const operations = new Counter({
    name: "intelgraph_graphql_operations_total",
    help: "GraphQL operations handled, by operation name, type and outcome",
    labelNames: ["operation", "type", "outcome"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "intelgraph_graphql_duration_seconds",
    help: "GraphQL operation duration",
    labelNames: ["type"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, operations, duration };
}
