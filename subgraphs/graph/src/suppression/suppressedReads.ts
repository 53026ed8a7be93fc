/**
 * The explicit filter that shows suppressed indicators: the tenant's
 * suppressed Indicator nodes within the caller's markings, optionally those
 * of one rule, and how many each rule holds.
 */
import neo4j, { type Driver } from "neo4j-driver";
import type { TlpMarking } from "@intelgraph/kit";
import { markingVisible } from "../visibility.ts";
import { num } from "./suppressionEngine.ts";

export function createSuppressedReads(deps: { driver: Driver; database: string }) {
  const { driver, database } = deps;
  return {
    /** Suppressed indicators within `markings` per rule id. */
    async countByRule(tenantId: string, markings: TlpMarking[]): Promise<Map<string, number>> {
      const { records } = await driver.executeQuery(
        `MATCH (i:Indicator) WHERE i.tenantId = $tenantId AND i.suppressed = true AND ${markingVisible("i")}
         RETURN i.suppressedBy AS ruleId, count(i) AS n`,
        { tenantId, markings },
        { database, routing: "READ" },
      );
      return new Map(records.map((r) => [r.get("ruleId") as string, num(r.get("n")) ?? 0]));
    },

    /** The tenant's suppressed indicators within `markings` (optionally one rule's), newest first, and how many there are. */
    async suppressed(tenantId: string, markings: TlpMarking[], input: { ruleId: string | null; limit: number; offset: number }) {
      const where = `i.tenantId = $tenantId AND i.suppressed = true AND ${markingVisible("i")}
        AND ($ruleId IS NULL OR i.suppressedBy = $ruleId)`;
      const params = { tenantId, markings, ruleId: input.ruleId, limit: neo4j.int(input.limit), offset: neo4j.int(input.offset) };
      const [page, total] = await Promise.all([
        driver.executeQuery(
          `MATCH (i:Indicator) WHERE ${where}
           RETURN i.id AS id, i.pattern AS pattern, i.kind AS kind, i.source AS source, i.score AS score,
                  i.marking AS marking, i.suppressedBy AS suppressedBy, toString(i.suppressedAt) AS suppressedAt
           ORDER BY i.suppressedAt DESC, i.id SKIP $offset LIMIT $limit`,
          params,
          { database, routing: "READ" },
        ),
        driver.executeQuery(`MATCH (i:Indicator) WHERE ${where} RETURN count(i) AS n`, params, { database, routing: "READ" }),
      ]);
      return {
        total: num(total.records[0]?.get("n")) ?? 0,
        nodes: page.records.map((r) => ({
          id: r.get("id") as string,
          pattern: r.get("pattern") as string | null,
          kind: r.get("kind") as string | null,
          source: r.get("source") as string | null,
          score: num(r.get("score")),
          marking: r.get("marking") as string | null,
          suppressedBy: r.get("suppressedBy") as string,
          suppressedAt: r.get("suppressedAt") as string | null,
        })),
      };
    },
  };
}

export type SuppressedReads = ReturnType<typeof createSuppressedReads>;
