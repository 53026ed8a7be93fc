/**
 * Applying suppression rules to a tenant's Indicator nodes, and the dry run,
 * both over one scan with one matcher (ruleMatcher.ts). Indicators are read
 * in id order in batches; applying writes only the indicators whose verdict
 * changed: `suppressed`, `suppressedBy` (the rule id) and `suppressedAt`, or
 * clears them (`suppressed = false`) when no enabled rule matches any more. An indicator keeps the
 * rule that claimed it while that rule still matches; otherwise the oldest
 * matching rule claims it.
 */
import neo4j, { type Driver } from "neo4j-driver";
import type { Clock, TlpMarking } from "@intelgraph/kit";
import { markingVisible } from "../visibility.ts";
import type { IndicatorFacts, Matcher } from "./ruleMatcher.ts";

/** Indicators read (and verdicts written) per Neo4j transaction. */
export const SCAN_BATCH = 2000;

export interface ScannedIndicator extends IndicatorFacts {
  suppressedBy: string | null;
}

export interface CompiledRule {
  id: string;
  name: string;
  matches: Matcher;
}

export interface ApplyOutcome {
  scanned: number;
  /** Suppressed after the run, per rule id. */
  byRule: Map<string, number>;
  newlySuppressed: number;
  released: number;
}

export interface DryRunOutcome {
  scanned: number;
  wouldHide: number;
  alreadyHiddenByOtherRules: number;
  sample: Array<{ id: string; pattern: string | null; why: string; suppressedBy: string | null }>;
}

const num = (v: unknown): number | null => (v == null ? null : neo4j.isInt(v) ? v.toNumber() : Number(v));

export function createSuppressionEngine(deps: { driver: Driver; database: string; now: Clock }) {
  const { driver, database, now } = deps;

  /** Visits every indicator of the tenant (only those within `markings` when given), in id order. */
  async function scan(tenantId: string, markings: TlpMarking[] | null, visit: (batch: ScannedIndicator[]) => Promise<void> | void) {
    const visible = markings ? `AND ${markingVisible("i")}` : "";
    let after = "";
    for (;;) {
      const { records } = await driver.executeQuery(
        `MATCH (i:Indicator) WHERE i.tenantId = $tenantId AND i.id > $after ${visible}
         RETURN i.id AS id, i.pattern AS pattern, i.kind AS kind, i.source AS source, i.sources AS sources,
                i.score AS score, CASE WHEN i.suppressed = true THEN i.suppressedBy END AS suppressedBy
         ORDER BY i.id LIMIT $limit`,
        { tenantId, after, limit: neo4j.int(SCAN_BATCH), markings: markings ?? [] },
        { database, routing: "READ" },
      );
      const batch = records.map((r) => ({
        id: r.get("id") as string,
        pattern: r.get("pattern") as string | null,
        kind: r.get("kind") as string | null,
        source: r.get("source") as string | null,
        sources: r.get("sources") as string[] | null,
        score: num(r.get("score")),
        suppressedBy: r.get("suppressedBy") as string | null,
      }));
      if (batch.length > 0) await visit(batch);
      if (batch.length < SCAN_BATCH) return;
      after = batch[batch.length - 1]!.id;
    }
  }

  /** The rule that should hold the indicator: its current one while that still matches, else the oldest matching. */
  function verdict(indicator: ScannedIndicator, rules: CompiledRule[]): string | null {
    const current = rules.find((r) => r.id === indicator.suppressedBy);
    if (current && current.matches(indicator) !== null) return current.id;
    return rules.find((r) => r.matches(indicator) !== null)?.id ?? null;
  }

  async function write(tenantId: string, rows: Array<{ id: string; by: string | null }>) {
    if (rows.length === 0) return;
    await driver.executeQuery(
      `UNWIND $rows AS row
       MATCH (i:Indicator {id: row.id}) WHERE i.tenantId = $tenantId
       SET i.suppressed = row.by IS NOT NULL,
           i.suppressedBy = row.by,
           i.suppressedAt = CASE WHEN row.by IS NULL THEN null ELSE datetime($at) END`,
      { tenantId, rows, at: new Date(now()).toISOString() },
      { database },
    );
  }

  return {
    scan,

    /** Applies the tenant's enabled rules (oldest first) to every one of its indicators, whatever their marking. */
    async apply(tenantId: string, rules: CompiledRule[]): Promise<ApplyOutcome> {
      const outcome: ApplyOutcome = { scanned: 0, byRule: new Map(rules.map((r) => [r.id, 0])), newlySuppressed: 0, released: 0 };
      await scan(tenantId, null, async (batch) => {
        const changes: Array<{ id: string; by: string | null }> = [];
        for (const indicator of batch) {
          const by = verdict(indicator, rules);
          if (by) outcome.byRule.set(by, (outcome.byRule.get(by) ?? 0) + 1);
          if (by === indicator.suppressedBy) continue;
          changes.push({ id: indicator.id, by });
          if (by && !indicator.suppressedBy) outcome.newlySuppressed++;
          if (!by) outcome.released++;
        }
        outcome.scanned += batch.length;
        await write(tenantId, changes);
      });
      return outcome;
    },

    /** What the matcher would hide among the indicators within `markings`, without writing anything. */
    async dryRun(tenantId: string, ruleId: string | null, matches: Matcher, markings: TlpMarking[], sampleSize: number) {
      const outcome: DryRunOutcome = { scanned: 0, wouldHide: 0, alreadyHiddenByOtherRules: 0, sample: [] };
      await scan(tenantId, markings, (batch) => {
        outcome.scanned += batch.length;
        for (const indicator of batch) {
          const why = matches(indicator);
          if (why === null) continue;
          outcome.wouldHide++;
          if (indicator.suppressedBy && indicator.suppressedBy !== ruleId) outcome.alreadyHiddenByOtherRules++;
          if (outcome.sample.length < sampleSize)
            outcome.sample.push({ id: indicator.id, pattern: indicator.pattern, why, suppressedBy: indicator.suppressedBy });
        }
      });
      return outcome;
    },

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

export type SuppressionEngine = ReturnType<typeof createSuppressionEngine>;
