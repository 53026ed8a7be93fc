import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import canonicalize from "canonicalize";

/**
 * The tamper-evident audit chain.
 *
 * Each tenant's events form one hash chain: event n carries `seq = n`,
 * `prevHash` (the hash of event n-1, or GENESIS for the first) and
 * `hash = sha256(prevHash ‖ canonical JSON of the event's content)`. The
 * content includes `seq`, so editing an event, deleting one (a gap in `seq`)
 * or reordering two (their `seq` changes their hashes) breaks the chain at
 * that position.
 *
 * Several writers (processes) append without multi-document transactions:
 * `chainKey` = "<tenant>/<seq>" has a unique index, so two writers that read
 * the same head race for one insert and the loser re-reads the head and
 * retries. Inside one process appends to a tenant are queued, so the race only
 * happens between processes.
 *
 * Anchors are checkpoints `(tenant, seq, hash)` signed with the audit anchor
 * key (HMAC-SHA256). A database writer without the key cannot forge one, so
 * anchors (a) let verification start after trimmed events and (b) detect
 * events cut off the end of the chain, back to the last anchor.
 */

export const GENESIS_HASH = "0".repeat(64);

export interface ChainFields {
  seq: number;
  prevHash: string;
  hash: string;
  /** "<tenantId>/<seq>": unique, so two writers cannot both append the same position. */
  chainKey: string;
}

/** The fields of an event the hash covers (everything but its id and chain bookkeeping). */
export interface HashedContent {
  tenantId: string;
  seq: number;
  actor: unknown;
  action: string;
  service: string;
  targetType: string | null;
  targetIds: string[];
  outcome: string;
  errorCode: string | null;
  requestId: string;
  arguments: unknown;
  at: Date | string;
}

/**
 * The content as JSON values: dates as ISO strings, undefined keys dropped,
 * keys sorted (RFC 8785). What is stored reads back to the same text, so
 * the writer and a later verifier hash the same bytes.
 */
export function canonicalContent(e: HashedContent): string {
  const plain = JSON.parse(
    JSON.stringify({
      tenantId: e.tenantId,
      seq: e.seq,
      actor: e.actor,
      action: e.action,
      service: e.service,
      targetType: e.targetType ?? null,
      targetIds: e.targetIds,
      outcome: e.outcome,
      errorCode: e.errorCode ?? null,
      requestId: e.requestId,
      arguments: e.arguments ?? {},
      at: e.at instanceof Date ? e.at.toISOString() : e.at,
    }),
  );
  return canonicalize(plain)!;
}

export const hashEvent = (prevHash: string, content: HashedContent) =>
  createHash("sha256").update(prevHash).update("\n").update(canonicalContent(content)).digest("hex");

export const chainKey = (tenantId: string, seq: number) => `${tenantId}/${seq}`;

export interface AuditAnchor {
  _id: string;
  tenantId: string;
  seq: number;
  hash: string;
  at: Date;
  keyId: string;
  signature: string;
  /** Why it was written: "periodic", "manual" or "retention" (the point a trim started after). */
  reason: string;
}

export const anchorKeyId = (key: string) => createHash("sha256").update(key).digest("hex").slice(0, 12);

const anchorPayload = (a: Pick<AuditAnchor, "tenantId" | "seq" | "hash" | "at" | "reason">) =>
  `intelgraph-audit-anchor/v1\n${a.tenantId}\n${a.seq}\n${a.hash}\n${new Date(a.at).toISOString()}\n${a.reason}`;

export function signAnchor(key: string, a: Pick<AuditAnchor, "tenantId" | "seq" | "hash" | "at" | "reason">): AuditAnchor {
  return {
    _id: `${a.tenantId}/${a.seq}`,
    ...a,
    keyId: anchorKeyId(key),
    signature: createHmac("sha256", key).update(anchorPayload(a)).digest("base64url"),
  };
}

/** True when one of `keys` (the current anchor key and any retired ones) signed the anchor. */
export function anchorSignatureValid(keys: string[], a: AuditAnchor): boolean {
  const key = keys.find((k) => anchorKeyId(k) === a.keyId);
  if (!key) return false;
  const expected = Buffer.from(createHmac("sha256", key).update(anchorPayload(a)).digest("base64url"));
  const actual = Buffer.from(String(a.signature));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

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
