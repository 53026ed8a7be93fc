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
