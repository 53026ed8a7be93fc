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
  /** No `suppressed` property yet (written as false when no rule claims it: see markUnset). */
  unset: boolean;
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

export const num = (v: unknown): number | null => (v == null ? null : neo4j.isInt(v) ? v.toNumber() : Number(v));

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
                i.score AS score, CASE WHEN i.suppressed = true THEN i.suppressedBy END AS suppressedBy,
                i.suppressed IS NULL AS unset
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
        unset: r.get("unset") as boolean,
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

    /**
     * Writes `suppressed = false` on indicators that have no `suppressed` yet
     * (of one tenant, or of every tenant when `tenantId` is null), in batches;
     * how many it wrote. The generated API's filter (`NOT suppressed = true`)
     * leaves out a node whose property is null, so "not suppressed" must be
     * stored as false. Every writer now creates indicators with false and the
     * graph's start backfills older ones (graphSchema.ts); this is the
     * sweep's safety net for a writer that forgets.
     */
    async markUnset(tenantId: string | null): Promise<number> {
      let total = 0;
      for (;;) {
        const { records } = await driver.executeQuery(
          `MATCH (i:Indicator) WHERE i.suppressed IS NULL ${tenantId ? "AND i.tenantId = $tenantId" : ""}
           WITH i LIMIT $limit SET i.suppressed = false RETURN count(i) AS n`,
          { tenantId, limit: neo4j.int(SCAN_BATCH) },
          { database },
        );
        const n = num(records[0]?.get("n")) ?? 0;
        total += n;
        if (n < SCAN_BATCH) return total;
      }
    },

    /** Applies the tenant's enabled rules (oldest first) to every one of its indicators, whatever their marking. */
    async apply(tenantId: string, rules: CompiledRule[]): Promise<ApplyOutcome> {
      const outcome: ApplyOutcome = { scanned: 0, byRule: new Map(rules.map((r) => [r.id, 0])), newlySuppressed: 0, released: 0 };
      await scan(tenantId, null, async (batch) => {
        const changes: Array<{ id: string; by: string | null }> = [];
        for (const indicator of batch) {
          const by = verdict(indicator, rules);
          if (by) outcome.byRule.set(by, (outcome.byRule.get(by) ?? 0) + 1);
          if (by === indicator.suppressedBy && !indicator.unset) continue;
          changes.push({ id: indicator.id, by });
          if (by && !indicator.suppressedBy) outcome.newlySuppressed++;
          if (!by && indicator.suppressedBy) outcome.released++;
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
  };
}

export type SuppressionEngine = ReturnType<typeof createSuppressionEngine>;
