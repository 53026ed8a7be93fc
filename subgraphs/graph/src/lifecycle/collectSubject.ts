/**
 * Finds a data subject's entities by identifier, and their graph
 * neighbourhood, within one tenant and the requester's clearance: subjects,
 * entities and relationships marked above it are left out, and so is what was
 * reached only through them (hops are counted again over what is visible).
 * Suppressed indicators are included: they are stored data about the subject.
 */
import neo4j, { type Driver } from "neo4j-driver";
import type { TlpMarking } from "@intelgraph/kit";
import { markingVisible, relationshipVisible } from "../visibility.ts";
import { plain } from "../neo4jValues.ts";
import { DELETED_LABEL } from "./entitySelector.ts";

/** At most this many entities are gathered; more marks the export truncated. */
export const MAX_NODES = 5000;

export interface SubjectEntity {
  id: string;
  type: string;
  properties: Record<string, unknown>;
}

export interface SubjectRelationship {
  from: string;
  to: string;
  type: string;
  properties: Record<string, unknown>;
}

export interface SubjectGraph {
  subjectIds: string[];
  nodes: SubjectEntity[];
  rels: SubjectRelationship[];
}

export async function collectSubject(
  deps: { driver: Driver; database: string; labelsFor(tenantId: string): Promise<string[]> },
  { tenantId, markings }: { tenantId: string; markings: readonly TlpMarking[] },
  identifier: string,
  hops: number,
): Promise<SubjectGraph | null> {
  const labels = await deps.labelsFor(tenantId);
  const session = deps.driver.session({ database: deps.database, defaultAccessMode: "READ" });
  try {
    // Labels are the tenant's known entity types (validated names); the identifier is a parameter.
    const find = labels
      .map(
        (
          l,
        ) => `MATCH (n:\`${l}\`) WHERE n.tenantId = $tenantId AND ${markingVisible("n")} AND (n.id = $identifier OR toLower(n.email) = toLower($identifier)
             OR n.name = $identifier OR n.address = $identifier) RETURN n`,
      )
      .join(" UNION ");
    const result = await session.run(
      `CALL { ${find} }
         WITH collect(n) AS subjects
         UNWIND subjects AS s
         CALL apoc.path.subgraphAll(s, { maxLevel: $hops, labelFilter: '-${DELETED_LABEL}', limit: $limit }) YIELD nodes, relationships
         UNWIND nodes AS x
         WITH subjects, collect(DISTINCT x) AS xs, collect(relationships) AS rs
         WITH subjects, [x IN xs WHERE x.tenantId = $tenantId AND ${markingVisible("x")}] AS nodes, apoc.coll.toSet(apoc.coll.flatten(rs)) AS rels
         RETURN [s IN subjects | s.id] AS subjectIds,
                [x IN nodes | { id: x.id, type: labels(x)[0], properties: properties(x) }] AS nodes,
                [r IN rels WHERE startNode(r).tenantId = $tenantId AND endNode(r).tenantId = $tenantId AND ${relationshipVisible("r")}
                   AND ${markingVisible("startNode(r)")} AND ${markingVisible("endNode(r)")} |
                  { from: startNode(r).id, to: endNode(r).id, type: type(r), properties: properties(r) }] AS rels`,
      { tenantId, markings, identifier, hops: neo4j.int(hops), limit: neo4j.int(MAX_NODES) },
    );
    const row = result.records[0];
    if (!row) return null;
    const subjectIds = row.get("subjectIds") as string[];
    const rels = plain(row.get("rels")) as SubjectRelationship[];
    const reached = reachedFrom(subjectIds, rels, hops);
    return {
      subjectIds,
      nodes: (plain(row.get("nodes")) as SubjectEntity[]).filter((n) => reached.has(n.id)),
      rels: rels.filter((r) => reached.has(r.from) && reached.has(r.to)),
    };
  } finally {
    await session.close();
  }
}

/** The ids within `hops` of the subjects over `rels` (either direction): what was not reached only through a hidden node. */
function reachedFrom(subjectIds: string[], rels: SubjectRelationship[], hops: number): Set<string> {
  const reached = new Set(subjectIds);
  let frontier = new Set(subjectIds);
  for (let depth = 0; depth < hops && frontier.size; depth++) {
    const next = new Set<string>();
    for (const r of rels)
      for (const [a, b] of [
        [r.from, r.to],
        [r.to, r.from],
      ] as const)
        if (frontier.has(a) && !reached.has(b)) (reached.add(b), next.add(b));
    frontier = next;
  }
  return reached;
}
