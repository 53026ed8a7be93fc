import type { Driver } from "neo4j-driver";
import type { Db } from "mongodb";
import { setStorageSample, utcDay, type Clock, type UsageRecorder } from "@intelgraph/kit";

/**
 * The daily storage sample of the graph: each tenant's nodes and
 * relationships (a relationship belongs to its start node's tenant) metered
 * as the GRAPH_NODES and GRAPH_RELATIONSHIPS gauges (idempotent per day),
 * and the store's totals — tenant-less nodes included — for reconciliation.
 */
export async function sampleGraphStorage(deps: { driver: Driver; database: string; db: Db; usage: UsageRecorder; now: Clock }) {
  const { driver, database, db, usage, now } = deps;
  const at = now();
  const day = utcDay(at);
  const read = async (cypher: string) => (await driver.executeQuery(cypher, {}, { database, routing: "READ" })).records;
  const [nodes, rels, totals] = await Promise.all([
    read("MATCH (n) WHERE n.tenantId IS NOT NULL RETURN n.tenantId AS tenantId, count(*) AS n"),
    read("MATCH (n)-[r]->() WHERE n.tenantId IS NOT NULL RETURN n.tenantId AS tenantId, count(r) AS n"),
    read("CALL () { MATCH (n) RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } RETURN nodes, rels"),
  ]);
  // One event per tenant and day with both gauges (a tenant may have nodes and no relationships).
  const byTenant = new Map<string, { GRAPH_NODES: number; GRAPH_RELATIONSHIPS: number }>();
  const entry = (row: (typeof nodes)[number]) =>
    byTenant.get(String(row.get("tenantId"))) ??
    byTenant.set(String(row.get("tenantId")), { GRAPH_NODES: 0, GRAPH_RELATIONSHIPS: 0 }).get(String(row.get("tenantId")))!;
  for (const row of nodes) entry(row).GRAPH_NODES = Number(row.get("n"));
  for (const row of rels) entry(row).GRAPH_RELATIONSHIPS = Number(row.get("n"));
  for (const [tenantId, quantities] of byTenant) usage.record({ tenantId, quantities, key: `storage-graph:${day}`, at: new Date(at) });
  const total = totals[0];
  const figures = { graphNodes: Number(total?.get("nodes") ?? 0), graphRelationships: Number(total?.get("rels") ?? 0) };
  await setStorageSample(db, day, "graph", figures, new Date(at));
}
