/**
 * An entity's neighbourhood up to three hops, for the entity page and the
 * traversal benchmark. APOC's breadth-first expander visits each node once
 * (NODE_GLOBAL), so a dense graph costs what it returns, bounded by `limit`.
 * The start node is found by id, tenant and the caller's clearance; every
 * node and edge returned is filtered by tenant again (writes never link
 * tenants, this is the backstop) and by clearance (visibility.ts: marking, and
 * suppressed indicators left out). The expander itself cannot test a property,
 * so it may walk through a node the caller may not see: hops are therefore
 * counted again over the visible nodes and edges only, and a node reached only
 * through a hidden one is dropped with it — nothing is shown that was found by
 * going through something above the caller's clearance.
 */
import type { Driver } from "neo4j-driver";
import { appError, ErrorCode, requireUser, type Principal, type TlpMarking } from "@intelgraph/kit";
import { markingsParam, nodeVisible, relationshipVisible } from "../visibility.ts";

export interface NeighbourhoodNode {
  id: string;
  type: string;
  label: string;
  hops: number;
}

export interface NeighbourhoodEdge {
  from: string;
  to: string;
  type: string;
  confidence: number | null;
  source: string | null;
}

export interface Neighbourhood {
  nodes: NeighbourhoodNode[];
  edges: NeighbourhoodEdge[];
  truncated: boolean;
}

/** The display label: the first of these properties a node has. */
const LABEL_PROPERTIES = ["name", "title", "address", "pattern", "email"];

/** One index seek per label (a label-less MATCH would scan every node). */
const query = (labels: readonly string[]) => `
  CALL {
    ${labels.map((l) => `MATCH (n:\`${l}\` {id: $id}) WHERE n.tenantId = $tenantId AND ${nodeVisible("n")} RETURN n`).join(" UNION ALL ")}
  }
  WITH n AS start LIMIT 1
  CALL apoc.path.subgraphAll(start, { maxLevel: $hops, limit: $limit + 1, labelFilter: '-Deleted' }) YIELD nodes, relationships
  RETURN [x IN nodes WHERE x.tenantId = $tenantId AND ${nodeVisible("x")}] AS nodes,
         [r IN relationships WHERE ${relationshipVisible("r")}] AS rels, size(nodes) AS reached, start.id AS startId`;

/** Hops from the start to every node, by breadth-first search over the edges that came back. */
function hopsFrom(startId: string, edges: NeighbourhoodEdge[], maxHops: number): Map<string, number> {
  const hops = new Map<string, number>([[startId, 0]]);
  for (let frontier = [startId], depth = 1; frontier.length && depth <= maxHops; depth++) {
    const next: string[] = [];
    const current = new Set(frontier);
    for (const e of edges)
      for (const [a, b] of [
        [e.from, e.to],
        [e.to, e.from],
      ] as const)
        if (current.has(a) && !hops.has(b)) (hops.set(b, depth), next.push(b));
    frontier = next;
  }
  return hops;
}

export interface NeighbourhoodServiceOptions {
  driver: Driver;
  database: string;
  /** Entity labels the tenant has: the built-in ones and its approved types. */
  labelsFor(tenantId: string): Promise<readonly string[]>;
}

export function createNeighbourhoodService(deps: NeighbourhoodServiceOptions) {
  return {
    async neighbourhood(principal: Principal, input: { id: string; hops: number; limit?: number | null }): Promise<Neighbourhood> {
      const caller = requireUser(principal);
      const scope = { tenantId: caller.tenantId, markings: markingsParam(caller) };
      return neighbourhoodOf(deps.driver, deps.database, scope, input, await deps.labelsFor(caller.tenantId));
    },
  };
}

export type NeighbourhoodService = ReturnType<typeof createNeighbourhoodService>;

async function neighbourhoodOf(
  driver: Driver,
  database: string,
  { tenantId, markings }: { tenantId: string; markings: readonly TlpMarking[] },
  args: { id: string; hops: number; limit?: number | null },
  labels: readonly string[],
): Promise<Neighbourhood> {
  if (!Number.isInteger(args.hops) || args.hops < 1 || args.hops > 3)
    throw appError(ErrorCode.BAD_USER_INPUT, `hops must be 1, 2 or 3; got ${args.hops}.`, { argument: "hops" });
  const limit = args.limit ?? 200;
  if (!Number.isInteger(limit) || limit < 1 || limit > 2000)
    throw appError(ErrorCode.BAD_USER_INPUT, `limit must be between 1 and 2000; got ${limit}.`, { argument: "limit" });
  const session = driver.session({ database, defaultAccessMode: "READ" });
  try {
    const result = await session.run(query(labels), { id: args.id, tenantId, markings, hops: args.hops, limit });
    const row = result.records[0];
    if (!row) throw appError(ErrorCode.NOT_FOUND, `No entity with id ${args.id} in your tenant.`, { id: args.id });
    type RawNode = { labels: string[]; properties: Record<string, unknown>; elementId: string };
    type RawRel = { type: string; properties: Record<string, unknown>; startNodeElementId: string; endNodeElementId: string };
    const raw = row.get("nodes") as RawNode[];
    const ids = new Map(raw.map((node) => [node.elementId, String(node.properties["id"])]));
    const all = (row.get("rels") as RawRel[])
      .filter((r) => ids.has(r.startNodeElementId) && ids.has(r.endNodeElementId))
      .map((r) => ({
        from: ids.get(r.startNodeElementId)!,
        to: ids.get(r.endNodeElementId)!,
        type: r.type,
        confidence: typeof r.properties["confidence"] === "number" ? r.properties["confidence"] : null,
        source: typeof r.properties["source"] === "string" ? r.properties["source"] : null,
      }));
    // Only what the visible edges reach from the start, never what lay beyond a hidden node.
    const hops = hopsFrom(String(row.get("startId")), all, args.hops);
    const ordered = raw
      .filter((node) => hops.has(String(node.properties["id"])))
      .map((node) => ({
        id: String(node.properties["id"]),
        type: node.labels[0] ?? "Entity",
        label: String(LABEL_PROPERTIES.map((p) => node.properties[p]).find((v) => v !== undefined && v !== null) ?? node.properties["id"]),
        hops: hops.get(String(node.properties["id"]))!,
      }))
      .sort((a, b) => a.hops - b.hops);
    // The expander's own limit counts hidden nodes too: when it was reached, there may be more to see.
    const truncated = ordered.length > limit || Number(row.get("reached")) > limit;
    const nodes = ordered.slice(0, limit);
    const kept = new Set(nodes.map((n) => n.id));
    const edges = all.filter((e) => kept.has(e.from) && kept.has(e.to));
    return { nodes, edges, truncated };
  } finally {
    await session.close();
  }
}
