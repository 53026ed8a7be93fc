/** Finds a data subject's entities by identifier, and their graph neighbourhood, within one tenant. */
import neo4j, { type Driver } from "neo4j-driver";
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
  tenantId: string,
  identifier: string,
  hops: number,
): Promise<SubjectGraph | null> {
  const labels = await deps.labelsFor(tenantId);
  const session = deps.driver.session({ database: deps.database, defaultAccessMode: "READ" });
  try {
    // Labels are the tenant's known entity types (validated names); the identifier is a parameter.
    const find = labels
      .map(
        (l) => `MATCH (n:\`${l}\`) WHERE n.tenantId = $tenantId AND (n.id = $identifier OR toLower(n.email) = toLower($identifier)
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
         WITH subjects, [x IN xs WHERE x.tenantId = $tenantId] AS nodes, apoc.coll.toSet(apoc.coll.flatten(rs)) AS rels
         RETURN [s IN subjects | s.id] AS subjectIds,
                [x IN nodes | { id: x.id, type: labels(x)[0], properties: properties(x) }] AS nodes,
                [r IN rels WHERE startNode(r).tenantId = $tenantId AND endNode(r).tenantId = $tenantId |
                  { from: startNode(r).id, to: endNode(r).id, type: type(r), properties: properties(r) }] AS rels`,
      { tenantId, identifier, hops: neo4j.int(hops), limit: neo4j.int(MAX_NODES) },
    );
    const row = result.records[0];
    if (!row) return null;
    return {
      subjectIds: row.get("subjectIds") as string[],
      nodes: plain(row.get("nodes")) as SubjectEntity[],
      rels: plain(row.get("rels")) as SubjectRelationship[],
    };
  } finally {
    await session.close();
  }
}
