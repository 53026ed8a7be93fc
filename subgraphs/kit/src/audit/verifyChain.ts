import { GENESIS_HASH, hashEvent, anchorSignatureValid, type AuditAnchor, type HashedContent } from "./auditChain.ts";

/*
 * Verification of a tenant's audit hash chain (the chain itself: auditChain.ts):
 * reads events in seq order and reports the first break by kind and position.
 */
export type ChainBreakKind =
  /** The event's stored hash is not the hash of its content: it was edited. */
  | "MODIFIED"
  /** The event does not point at its predecessor's hash: a predecessor was edited, removed or the events reordered. */
  | "LINK_BROKEN"
  /** A position of the chain has no event: deleted. */
  | "MISSING"
  /** A signed anchor and the event at its position disagree, or the signature is not ours. */
  | "ANCHOR_MISMATCH"
  /** An anchor vouches for a position beyond the last event: events were cut off the end. */
  | "TRUNCATED"
  /** An event without a chain position dated after the chain began: written around the chain, not through it. */
  | "UNCHAINED";

export interface ChainBreak {
  kind: ChainBreakKind;
  seq: number;
  eventId: string | null;
  detail: string;
}

export interface ChainEvent extends HashedContent {
  _id: string;
  seq: number;
  prevHash: string;
  hash: string;
}

export interface ChainReport {
  ok: boolean;
  tenantId: string;
  fromSeq: number | null;
  toSeq: number | null;
  eventsChecked: number;
  anchorsChecked: number;
  /** Where verification started from: the genesis, the event before the range, or a signed anchor. */
  startedFrom: "GENESIS" | "EVENT" | "ANCHOR" | "EMPTY";
  firstBreak: ChainBreak | null;
}

/** What verification reads; the Mongo implementation pages through the store in seq order. */
export interface ChainSource {
  /** Events with fromSeq <= seq <= toSeq in seq order (one event per seq, as stored; duplicates are impossible by index). */
  events(tenantId: string, fromSeq: number, toSeq: number): AsyncIterable<ChainEvent>;
  event(tenantId: string, seq: number): Promise<ChainEvent | null>;
  firstSeq(tenantId: string): Promise<number | null>;
  lastSeq(tenantId: string): Promise<number | null>;
  anchors(tenantId: string): Promise<AuditAnchor[]>;
  /** An event of the tenant without a position recorded at or after `at` (none: null). */
  unchainedSince?(tenantId: string, at: Date): Promise<{ _id: string } | null>;
}

/**
 * Verifies a tenant's chain over [fromSeq, toSeq] (the whole kept chain by
 * default) and reports the first broken link. Reads in seq order, so memory
 * stays flat however long the chain is.
 */
export async function verifyChain(
  source: ChainSource,
  tenantId: string,
  keys: string[],
  range: { fromSeq?: number | null; toSeq?: number | null } = {},
): Promise<ChainReport> {
  const anchors = (await source.anchors(tenantId)).sort((a, b) => a.seq - b.seq);
  const first = await source.firstSeq(tenantId);
  const last = await source.lastSeq(tenantId);
  const report: ChainReport = {
    ok: true,
    tenantId,
    fromSeq: null,
    toSeq: null,
    eventsChecked: 0,
    anchorsChecked: 0,
    startedFrom: "EMPTY",
    firstBreak: null,
  };
  const broken = (b: ChainBreak) => ({ ...report, ok: false, firstBreak: b });

  for (const anchor of anchors) {
    if (!anchorSignatureValid(keys, anchor))
      return broken({
        kind: "ANCHOR_MISMATCH",
        seq: anchor.seq,
        eventId: null,
        detail: `anchor at ${anchor.seq} has a signature we did not make`,
      });
  }
  const lastAnchor = anchors[anchors.length - 1];
  if (lastAnchor && (last === null || last < lastAnchor.seq))
    return broken({
      kind: "TRUNCATED",
      seq: (last ?? 0) + 1,
      eventId: null,
      detail: `an anchor vouches for ${lastAnchor.seq} events but the chain ends at ${last ?? 0}`,
    });
  if (first === null || last === null) return report;

  const fromSeq = Math.max(range.fromSeq ?? first, first);
  const toSeq = Math.min(range.toSeq ?? last, last);
  report.fromSeq = fromSeq;
  report.toSeq = toSeq;
  if (fromSeq > toSeq) return report;

  let expectedPrev: string;
  if (fromSeq === 1) {
    expectedPrev = GENESIS_HASH;
    report.startedFrom = "GENESIS";
  } else {
    const before = fromSeq > first ? await source.event(tenantId, fromSeq - 1) : null;
    const anchor = anchors.find((a) => a.seq === fromSeq - 1);
    if (before) {
      expectedPrev = before.hash;
      report.startedFrom = "EVENT";
    } else if (anchor) {
      expectedPrev = anchor.hash;
      report.startedFrom = "ANCHOR";
      report.anchorsChecked++;
    } else
      // Retention trims only after writing an anchor at the cut, so events gone without one were deleted.
      return broken({
        kind: "MISSING",
        seq: fromSeq - 1,
        eventId: null,
        detail: `events up to position ${fromSeq - 1} are gone and no signed anchor vouches for the cut`,
      });
  }

  const anchorAt = new Map(anchors.map((a) => [a.seq, a]));
  let expectedSeq = fromSeq;
  for await (const e of source.events(tenantId, fromSeq, toSeq)) {
    if (e.seq !== expectedSeq)
      return broken({ kind: "MISSING", seq: expectedSeq, eventId: null, detail: `no event at position ${expectedSeq} (next is ${e.seq})` });
    if (e.prevHash !== expectedPrev)
      return broken({
        kind: "LINK_BROKEN",
        seq: e.seq,
        eventId: e._id,
        detail: `prevHash does not match the hash of position ${e.seq - 1}`,
      });
    if (hashEvent(e.prevHash, e) !== e.hash)
      return broken({ kind: "MODIFIED", seq: e.seq, eventId: e._id, detail: "the stored event does not match its hash" });
    const anchor = anchorAt.get(e.seq);
    if (anchor) {
      report.anchorsChecked++;
      if (anchor.hash !== e.hash)
        return broken({ kind: "ANCHOR_MISMATCH", seq: e.seq, eventId: e._id, detail: `the signed anchor at ${e.seq} holds another hash` });
    }
    report.eventsChecked++;
    expectedPrev = e.hash;
    expectedSeq++;
  }
  if (expectedSeq <= toSeq)
    return broken({ kind: "MISSING", seq: expectedSeq, eventId: null, detail: `no event at position ${expectedSeq}` });
  // Events from before the chain have no position; one dated after the chain began was put around it.
  if (source.unchainedSince && fromSeq === first) {
    const firstEvent = await source.event(tenantId, first);
    const stray = firstEvent ? await source.unchainedSince(tenantId, new Date(firstEvent.at)) : null;
    if (stray)
      return broken({
        kind: "UNCHAINED",
        seq: first,
        eventId: stray._id,
        detail: "an event without a chain position is dated after the chain began",
      });
  }
  return report;
}
