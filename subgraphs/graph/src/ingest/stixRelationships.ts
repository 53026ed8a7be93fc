import type { JobTotals } from "./ingestStore.ts";
import { RecordError } from "./mapRecord.ts";
import { emptyBatch, type Batch } from "./pipelineBatch.ts";
import type { SourceRecord } from "./records.ts";
import type { PendingRelationship, StixMapper } from "./stix.ts";

/**
 * A STIX bundle's relationships, landed last, once every object they may point
 * at is written; re-run whole after a crash, it merges into itself. Returns
 * the counts of each batch, or null when the job should stop.
 */
export async function landStixRelationships(
  pending: PendingRelationship[],
  stix: StixMapper,
  options: { batchSize: number; end: number; bytes: number; land: (batch: Batch) => Promise<Partial<JobTotals>>; shouldStop(): boolean },
): Promise<Partial<JobTotals>[] | null> {
  const relTotals: Partial<JobTotals>[] = [];
  for (let i = 0; i < pending.length; i += options.batchSize) {
    const rels = emptyBatch(-1, options.end, options.bytes);
    for (const relationship of pending.slice(i, i + options.batchSize)) {
      rels.read++;
      const source: SourceRecord = { index: relationship.index, raw: relationship.raw, value: relationship.value };
      try {
        rels.records.push({ index: relationship.index, mapped: stix.resolve(relationship) });
        rels.raws.set(relationship.index, source);
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        rels.dead.push({ index: relationship.index, raw: relationship.raw, code: error.code, reason: error.message });
      }
    }
    relTotals.push(await options.land(rels));
    if (options.shouldStop()) return null;
  }
  return relTotals;
}
