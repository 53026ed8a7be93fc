/**
 * Reading scoring inputs from and writing scores to Neo4j, in batches, with
 * hand-written Cypher that always filters on the tenant. An entity under
 * legal hold keeps the score it had (a held entity does not change).
 *
 * Objects an indicator points at (INDICATES: Domain, IPAddress, STIX domain
 * objects; OBSERVED_IN: Incident) get the highest score of the tenant's
 * unsuppressed indicators pointing at them, counting only indicators and
 * links marked at or below the object's own marking: whoever may see the
 * object may see every indicator its score came from, so the score never
 * tells a caller about an indicator above their clearance.
 */
import neo4j, { type Driver } from "neo4j-driver";
import { DEFAULT_ENTITY_MARKING, markingRank, TLP_MARKINGS } from "@intelgraph/kit";
import { STIX_DOMAIN_OBJECTS } from "../ingest/graphModel.ts";

export interface IndicatorRow {
  id: string;
  pattern: string;
  kind: string | null;
  sources: string[];
  sightings: number | null;
  seenAt: number | null;
  feedback: string | null;
}

export interface ScoreRow {
  id: string;
  score: number;
  breakdown: string;
}

/** Which of a tenant's indicators to read. */
export type IndicatorScope = { all: true } | { jobId: string } | { source: string } | { ids: string[] };

/** What an indicator can point at (INDICATES, OBSERVED_IN): labels from our own list, never input. */
const OBJECT_LABELS = ["Domain", "IPAddress", "Incident", ...STIX_DOMAIN_OBJECTS] as const;

const RANKS = Object.fromEntries(TLP_MARKINGS.map((m) => [m, markingRank(m)]));
const rank = (alias: string) => `$ranks[coalesce(${alias}.marking, '${DEFAULT_ENTITY_MARKING}')]`;

const scopeClause = (scope: IndicatorScope) =>
  "jobId" in scope
    ? "AND $jobId IN coalesce(i.ingestJobIds, [])"
    : "source" in scope
      ? "AND ($source IN coalesce(i.sources, []) OR i.source = $source)"
      : "ids" in scope
        ? "AND i.id IN $ids"
        : "";

const READ_BATCH = (scope: IndicatorScope) => `
  MATCH (i:Indicator)
  WHERE i.tenantId = $tenantId AND i.id > $after ${scopeClause(scope)}
  WITH i ORDER BY i.id LIMIT $limit
  RETURN i.id AS id, i.pattern AS pattern, i.kind AS kind,
    coalesce(i.sources, []) + CASE WHEN i.source IS NULL THEN [] ELSE [i.source] END AS sources,
    toFloat(i.sightings) AS sightings, i.feedback AS feedback,
    toFloat(coalesce(i.lastSeen, i.validFrom, i.createdAt).epochMillis) AS seenAt`;

const WRITE_BATCH = `
  UNWIND $rows AS row
  MATCH (i:Indicator {id: row.id})
  WHERE i.tenantId = $tenantId AND coalesce(i.legalHeld, false) = false
  SET i.score = row.score, i.scoreBreakdown = row.breakdown, i.scoredAt = datetime($at)
  RETURN count(i) AS written`;

const PROPAGATE = `
  UNWIND $ids AS id
  MATCH (i:Indicator {id: id})-[:INDICATES|OBSERVED_IN]->(o)
  WHERE i.tenantId = $tenantId AND o.tenantId = $tenantId
  WITH DISTINCT o
  WHERE coalesce(o.legalHeld, false) = false
  CALL {
    WITH o
    OPTIONAL MATCH (o)<-[r:INDICATES|OBSERVED_IN]-(j:Indicator)
    WHERE j.tenantId = $tenantId AND j.score IS NOT NULL AND coalesce(j.suppressed, false) = false
      AND ${rank("j")} <= ${rank("o")} AND ${rank("r")} <= ${rank("o")}
    WITH j ORDER BY j.score DESC, j.id
    RETURN collect(j)[0] AS best, count(j) AS counted
  }
  SET o.score = best.score, o.scoredAt = datetime($at),
    o.scoreBreakdown = CASE WHEN best IS NULL THEN null ELSE
      '{"model":"' + $model + '","from":"indicators","indicatorId":"' + best.id + '","indicators":' + toString(counted) +
      ',"score":' + toString(best.score) + ',"computedAt":"' + $at + '"}' END
  RETURN count(o) AS written`;

export function createScoreStore(options: { driver: Driver; database: string }) {
  const { driver, database } = options;
  const run = async (query: string, params: Record<string, unknown>, mode: "READ" | "WRITE") => {
    const session = driver.session({ database, defaultAccessMode: mode === "READ" ? neo4j.session.READ : neo4j.session.WRITE });
    try {
      return (await session.run(query, params)).records;
    } finally {
      await session.close();
    }
  };

  return {
    /** Up to `limit` of the tenant's indicators in the scope, after id `after` (id order). */
    async readBatch(tenantId: string, scope: IndicatorScope, after: string, limit: number): Promise<IndicatorRow[]> {
      const records = await run(READ_BATCH(scope), { tenantId, after, limit: neo4j.int(limit), ...scope }, "READ");
      return records.map((r) => ({
        id: r.get("id") as string,
        pattern: String(r.get("pattern") ?? ""),
        kind: (r.get("kind") as string | null) ?? null,
        sources: r.get("sources") as string[],
        sightings: r.get("sightings") as number | null,
        seenAt: r.get("seenAt") as number | null,
        feedback: (r.get("feedback") as string | null) ?? null,
      }));
    },

    /** Writes indicator scores; then the objects they point at take the best score of their visible indicators. */
    async write(tenantId: string, rows: ScoreRow[], at: string, model: string): Promise<{ indicators: number; objects: number }> {
      if (!rows.length) return { indicators: 0, objects: 0 };
      const written = await run(WRITE_BATCH, { tenantId, rows: rows.map((r) => ({ ...r, score: neo4j.int(r.score) })), at }, "WRITE");
      const objects = await run(PROPAGATE, { tenantId, ids: rows.map((r) => r.id), at, model, ranks: RANKS }, "WRITE");
      return { indicators: Number(written[0]?.get("written") ?? 0), objects: Number(objects[0]?.get("written") ?? 0) };
    },

    /** Clears the score of the tenant's objects no indicator points at any more (after a full recompute). */
    async clearOrphans(tenantId: string): Promise<number> {
      let cleared = 0;
      for (const label of OBJECT_LABELS) {
        const records = await run(
          `MATCH (o:${label}) WHERE o.tenantId = $tenantId AND o.score IS NOT NULL AND coalesce(o.legalHeld, false) = false
             AND NOT EXISTS { (o)<-[:INDICATES|OBSERVED_IN]-(j:Indicator) WHERE j.tenantId = $tenantId }
           SET o.score = null, o.scoreBreakdown = null, o.scoredAt = null
           RETURN count(o) AS cleared`,
          { tenantId },
          "WRITE",
        );
        cleared += Number(records[0]?.get("cleared") ?? 0);
      }
      return cleared;
    },

    /** Tenants that have indicators (the scheduled recompute walks them one by one). */
    async tenants(): Promise<string[]> {
      const records = await run("MATCH (i:Indicator) WHERE i.tenantId IS NOT NULL RETURN DISTINCT i.tenantId AS t ORDER BY t", {}, "READ");
      return records.map((r) => r.get("t") as string);
    },

    /** Source names on the tenant's indicators (for listing ungraded ones). */
    async sourcesOf(tenantId: string, limit = 500): Promise<string[]> {
      const records = await run(
        `MATCH (i:Indicator) WHERE i.tenantId = $tenantId
         UNWIND coalesce(i.sources, []) + CASE WHEN i.source IS NULL THEN [] ELSE [i.source] END AS s
         WITH DISTINCT s ORDER BY s LIMIT $limit RETURN s`,
        { tenantId, limit: neo4j.int(limit) },
        "READ",
      );
      return records.map((r) => r.get("s") as string);
    },

    /** The indicator if the caller may see it (tenant, clearance; suppressed ones included), with its stored score. */
    async visibleIndicator(tenantId: string, id: string, markings: string[]) {
      const records = await run(
        `MATCH (i:Indicator {id: $id}) WHERE i.tenantId = $tenantId AND coalesce(i.marking, '${DEFAULT_ENTITY_MARKING}') IN $markings
         RETURN i.id AS id, i.score AS score, i.scoreBreakdown AS breakdown, coalesce(i.legalHeld, false) AS held`,
        { tenantId, id, markings },
        "READ",
      );
      const r = records[0];
      if (!r) return null;
      const score = r.get("score") as { toNumber(): number } | number | null;
      return {
        id: r.get("id") as string,
        score: score == null ? null : typeof score === "number" ? score : score.toNumber(),
        breakdown: (r.get("breakdown") as string | null) ?? null,
        held: r.get("held") as boolean,
      };
    },

    /** An indicator's properties as plain values (dates as ISO text, integers as numbers). */
    async properties(tenantId: string, id: string): Promise<Record<string, unknown> | null> {
      const records = await run(
        `MATCH (i:Indicator {id: $id}) WHERE i.tenantId = $tenantId RETURN properties(i) AS p`,
        { tenantId, id },
        "READ",
      );
      const props = records[0]?.get("p") as Record<string, unknown> | undefined;
      if (!props) return null;
      const plain = (v: unknown): unknown =>
        neo4j.isInt(v)
          ? v.toNumber()
          : neo4j.isDateTime(v as never)
            ? new Date(String(v)).toISOString()
            : Array.isArray(v)
              ? v.map(plain)
              : v;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, plain(v)]));
    },

    async setFeedback(tenantId: string, id: string, verdict: string | null, userId: string | null, at: string | null) {
      await run(
        `MATCH (i:Indicator {id: $id}) WHERE i.tenantId = $tenantId AND coalesce(i.legalHeld, false) = false
         SET i.feedback = $verdict, i.feedbackBy = $userId, i.feedbackAt = CASE WHEN $at IS NULL THEN null ELSE datetime($at) END`,
        { tenantId, id, verdict, userId, at },
        "WRITE",
      );
    },
  };
}

export type ScoreStore = ReturnType<typeof createScoreStore>;
