import { MongoServerError, type Collection, type Db } from "mongodb";
import { chainKey, GENESIS_HASH, hashEvent, type AuditAnchor } from "./auditChain.ts";
import type { ChainEvent, ChainSource } from "./verifyChain.ts";
import { systemClock, type Clock } from "../config/serviceDeps.ts";
import type { Logger } from "../observability/logger.ts";
import type { PubSub } from "../pubsub/pubsub.ts";

/** Tenant id used for events that belong to no tenant (e.g. a failed login for an unknown e-mail). */
export const PLATFORM_TENANT = "_platform";

export const AUDIT_COLLECTION = "audit_events";
export const AUDIT_ANCHORS_COLLECTION = "audit_anchors";

export interface AuditEvent {
  _id: string;
  tenantId: string;
  actor: { userId: string | null; kind: string; tokenId?: string };
  action: string;
  service: string;
  targetType: string | null;
  targetIds: string[];
  outcome: "success" | "failure";
  errorCode: string | null;
  requestId: string;
  arguments: Record<string, unknown>;
  at: Date;
  /** Position in the tenant's hash chain (see auditChain.ts); absent on events written before the chain existed. */
  seq?: number;
  prevHash?: string;
  hash?: string;
  chainKey?: string;
}

export type AuditEventInput = Omit<AuditEvent, "_id" | "at" | "seq" | "prevHash" | "hash" | "chainKey">;

export interface AuditRecorder {
  record(event: AuditEventInput): Promise<AuditEvent>;
}

export const auditTopic = (tenantId: string) => `audit.${tenantId}`;

const SENSITIVE = /pass(word)?|secret|token|key/i;

/** Longest string kept whole in an audit event (an imported file is not copied into every event). */
const MAX_AUDIT_STRING = 2000;

/** Copies mutation arguments for the audit trail without anything secret-looking, and without huge strings. */
export function redactArguments(value: unknown, depth = 0): unknown {
  if (depth > 4) return "[truncated]";
  if (typeof value === "string" && value.length > MAX_AUDIT_STRING) {
    return `${value.slice(0, MAX_AUDIT_STRING)}…[${value.length - MAX_AUDIT_STRING} more characters]`;
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactArguments(v, depth + 1));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SENSITIVE.test(k) ? "[redacted]" : redactArguments(v, depth + 1)]));
  }
  return value;
}

/** Per-tenant hint of the chain head, refreshed every HEAD_HINT_EVERY appends; may lag, never leads. */
export const AUDIT_HEADS_COLLECTION = "audit_chain_heads";
const HEAD_HINT_EVERY = 50;

interface HeadHint {
  _id: string;
  seq: number;
  hash: string;
}

type Head = { seq: number; hash: string };

/** From a known position, follows `chainKey` point lookups (unique index) to the last event. */
async function walkForward(collection: Collection<AuditEvent>, tenantId: string, from: Head): Promise<Head> {
  let head = from;
  for (;;) {
    // By _id: FerretDB's SQLite backend pushes down only _id lookups; any other field scans the collection.
    const next = await collection.findOne({ _id: chainKey(tenantId, head.seq + 1) }, { projection: { seq: 1, hash: 1 } });
    if (!next) return head;
    head = { seq: next.seq!, hash: next.hash! };
  }
}

/**
 * The last position of a tenant's chain and its hash (null for an empty
 * chain): the head hint, then point lookups forward. Only a chain without a
 * hint is found by sorting (FerretDB sorts a tenant's events in memory).
 */
export async function chainHead(db: Db, tenantId: string): Promise<Head | null> {
  const events = db.collection<AuditEvent>(AUDIT_COLLECTION);
  const hint = await db.collection<HeadHint>(AUDIT_HEADS_COLLECTION).findOne({ _id: tenantId });
  let start: Head | null = hint ? { seq: hint.seq, hash: hint.hash } : null;
  if (!start) {
    const [last] = await events
      .find({ tenantId, seq: { $exists: true } }, { projection: { seq: 1, hash: 1 } })
      .sort({ seq: -1 })
      .limit(1)
      .toArray();
    start = last ? { seq: last.seq!, hash: last.hash! } : null;
  }
  const head = await walkForward(events, tenantId, start ?? { seq: 0, hash: GENESIS_HASH });
  return head.seq > 0 ? head : null;
}

/**
 * Moves the head hint forward (never back); a lost race is fine. Retention
 * must move it past the events it trims, or the walk forward would stop at
 * the gap.
 */
export async function hintHead(db: Db, tenantId: string, head: Head): Promise<void> {
  const hints = db.collection<HeadHint>(AUDIT_HEADS_COLLECTION);
  const moved = await hints.updateOne({ _id: tenantId, seq: { $lt: head.seq } }, { $set: head });
  if (moved.matchedCount === 0) await hints.insertOne({ _id: tenantId, ...head }).catch(() => undefined);
}

const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === 11000;

/**
 * Appends events to a tenant's hash chain. Appends to one tenant are queued
 * in this process; between processes the unique `chainKey` decides, and the
 * loser re-reads the head and tries the next position.
 */
export function createChainAppender(db: Db, options: { now?: Clock; maxAttempts?: number } = {}) {
  const collection = db.collection<AuditEvent>(AUDIT_COLLECTION);
  const clock = options.now ?? systemClock;
  const now = () => new Date(clock());
  const maxAttempts = options.maxAttempts ?? 200;
  const heads = new Map<string, { seq: number; hash: string }>();
  const queues = new Map<string, Promise<unknown>>();

  const readHead = async (tenantId: string) => (await chainHead(db, tenantId)) ?? { seq: 0, hash: GENESIS_HASH };

  async function appendNow(input: AuditEventInput): Promise<AuditEvent> {
    // JSON round trip: what is stored reads back exactly as hashed (no undefined, no Date objects in arguments).
    const body = JSON.parse(JSON.stringify({ ...input, arguments: input.arguments ?? {} })) as AuditEventInput;
    for (let attempt = 1; ; attempt++) {
      const head = heads.get(input.tenantId) ?? (await readHead(input.tenantId));
      const seq = head.seq + 1;
      const at = now();
      const event: AuditEvent = {
        ...body,
        // The position is the id: one event per position whoever writes it, and point lookups everywhere.
        _id: chainKey(input.tenantId, seq),
        at,
        seq,
        prevHash: head.hash,
        hash: "",
        chainKey: chainKey(input.tenantId, seq),
      };
      event.hash = hashEvent(head.hash, { ...event, seq });
      try {
        await collection.insertOne(event);
        heads.set(input.tenantId, { seq, hash: event.hash });
        if (seq % HEAD_HINT_EVERY === 0) await hintHead(db, input.tenantId, { seq, hash: event.hash }).catch(() => undefined);
        return event;
      } catch (error) {
        heads.delete(input.tenantId);
        if (!isDuplicateKey(error) || attempt >= maxAttempts) throw error;
        // Another process took this position: follow the chain from here to its end (point
        // lookups), back off a little (more each time) so one writer gets a run, and retry.
        heads.set(input.tenantId, await walkForward(collection, input.tenantId, head));
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(20, attempt)));
      }
    }
  }

  return {
    append(input: AuditEventInput): Promise<AuditEvent> {
      const previous = queues.get(input.tenantId) ?? Promise.resolve();
      const next = previous.then(
        () => appendNow(input),
        () => appendNow(input),
      );
      const settled = next.catch(() => undefined);
      queues.set(input.tenantId, settled);
      void settled.then(() => {
        if (queues.get(input.tenantId) === settled) queues.delete(input.tenantId);
      });
      return next;
    },
  };
}

/**
 * Writes audit events to the shared audit collection, chained per tenant,
 * and announces them on pub/sub. A failed write is logged loudly and
 * rethrown: a state change whose audit event is lost must not look successful.
 */
export function createAuditRecorder(deps: { db: Db; pubsub: PubSub; logger: Logger; now?: Clock }): AuditRecorder {
  const appender = createChainAppender(deps.db, deps.now ? { now: deps.now } : {});
  // The unique chain index is what makes concurrent writers safe, so every writer makes sure it exists.
  let indexes: Promise<void> | null = null;
  return {
    async record(input) {
      let event: AuditEvent;
      try {
        indexes ??= ensureAuditIndexes(deps.db).catch((error) => {
          indexes = null;
          throw error;
        });
        await indexes;
        event = await appender.append(input);
      } catch (error) {
        deps.logger.error({ err: error, action: input.action, tenantId: input.tenantId }, "audit write failed");
        throw error;
      }
      await deps.pubsub.publish(auditTopic(event.tenantId), event);
      return event;
    },
  };
}

/** The chain as stored in MongoDB, read in pages of `pageSize` positions so memory stays flat. */
export function mongoChainSource(db: Db, pageSize = 1000): ChainSource {
  const events = db.collection<AuditEvent>(AUDIT_COLLECTION);
  const anchors = db.collection<AuditAnchor>(AUDIT_ANCHORS_COLLECTION);
  const edge = async (tenantId: string, direction: 1 | -1) =>
    (
      await events
        .find({ tenantId, seq: { $exists: true } }, { projection: { seq: 1 } })
        .sort({ seq: direction })
        .limit(1)
        .toArray()
    )[0]?.seq ?? null;
  return {
    async *events(tenantId, fromSeq, toSeq) {
      for (let from = fromSeq; from <= toSeq; from += pageSize) {
        const page = await events
          .find({ tenantId, seq: { $gte: from, $lte: Math.min(toSeq, from + pageSize - 1) } })
          .sort({ seq: 1 })
          .toArray();
        yield* page as ChainEvent[];
      }
    },
    event: async (tenantId, seq) => ((await events.findOne({ _id: chainKey(tenantId, seq), tenantId })) as ChainEvent | null) ?? null,
    firstSeq: (tenantId) => edge(tenantId, 1),
    lastSeq: (tenantId) => edge(tenantId, -1),
    anchors: (tenantId) => anchors.find({ tenantId }).toArray(),
    unchainedSince: (tenantId, at) => events.findOne({ tenantId, seq: { $exists: false }, at: { $gte: at } }, { projection: { _id: 1 } }),
  };
}

export async function ensureAuditIndexes(db: Db): Promise<void> {
  const collection = db.collection(AUDIT_COLLECTION);
  await collection.createIndex({ tenantId: 1, at: -1, _id: -1 }, { name: "tenant_time" });
  await collection.createIndex({ tenantId: 1, seq: 1 }, { name: "tenant_seq" });
  // Sparse: events from before the chain have no key. Unique: one event per position, whoever writes it.
  await collection.createIndex({ chainKey: 1 }, { name: "chain_position", unique: true, sparse: true });
  await db.collection(AUDIT_ANCHORS_COLLECTION).createIndex({ tenantId: 1, seq: 1 }, { name: "tenant_seq" });
}
