import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import type { Logger } from "./logger.ts";
import { createInMemoryPubSub, type PubSub } from "./pubsub.ts";

export interface MongoPubSubOptions {
  db: Db;
  logger: Logger;
  /** Collection holding recent events; default `pubsub_events`. */
  collection?: string;
  /** How often subscribers' topics are polled; default 200 ms. */
  pollIntervalMs?: number;
  /** Re-read window that catches events committed slightly out of order by other writers; default 2 s. */
  lookbackMs?: number;
  /** Events older than this are deleted; default 10 min. */
  retentionMs?: number;
}

interface EventDocument {
  _id: string;
  topic: string;
  payload: unknown;
  at: Date;
}

/**
 * Pub/sub across processes through the MongoDB-wire store we already run (no
 * change streams on FerretDB, so it polls). Used in split mode so that an
 * event raised in one service reaches subscribers served by another.
 * Delivery is at-most-once per process, in commit order within the lookback
 * window; latency is about one poll interval.
 */
export function createMongoPubSub(options: MongoPubSubOptions): PubSub & { ensureIndexes(): Promise<void> } {
  const { db, logger, pollIntervalMs = 200, lookbackMs = 2000, retentionMs = 10 * 60_000 } = options;
  const events = db.collection<EventDocument>(options.collection ?? "pubsub_events");
  const local = createInMemoryPubSub();
  const topics = new Map<string, number>(); // topic → active subscribers
  const seen = new Map<string, number>(); // event id → time seen
  let watermark = Date.now();
  /** Events committed before polling (re)started are not delivered. */
  let floor = watermark;
  let timer: NodeJS.Timeout | undefined;
  let polling = false;
  let polls = 0;
  let closed = false;

  async function poll() {
    if (polling || topics.size === 0) return;
    polling = true;
    try {
      const since = new Date(watermark - lookbackMs);
      const docs = await events
        .find({ topic: { $in: [...topics.keys()] }, at: { $gte: since } })
        .sort({ at: 1, _id: 1 })
        .limit(1000)
        .toArray();
      const now = Date.now();
      for (const doc of docs) {
        if (seen.has(doc._id)) continue;
        seen.set(doc._id, now);
        if (doc.at.getTime() < floor) continue;
        await local.publish(doc.topic, doc.payload);
        watermark = Math.max(watermark, doc.at.getTime());
      }
      for (const [id, at] of seen) if (now - at > lookbackMs * 4) seen.delete(id);
      if (++polls % 300 === 0) await events.deleteMany({ at: { $lt: new Date(now - retentionMs) } });
    } catch (error) {
      logger.warn({ err: error }, "pub/sub poll failed; retrying");
    } finally {
      polling = false;
    }
  }

  function ensurePolling() {
    if (!timer && !closed) {
      watermark = Date.now();
      floor = watermark;
      timer = setInterval(() => void poll(), pollIntervalMs);
      timer.unref();
    }
  }

  return {
    async ensureIndexes() {
      await events.createIndex({ topic: 1, at: 1 }, { name: "topic_at" });
    },

    async publish(topic, payload) {
      await events.insertOne({ _id: randomUUID(), topic, payload, at: new Date() });
    },

    subscribe<T>(topic: string) {
      const inner = local.subscribe<T>(topic);
      topics.set(topic, (topics.get(topic) ?? 0) + 1);
      ensurePolling();
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const left = (topics.get(topic) ?? 1) - 1;
        if (left > 0) topics.set(topic, left);
        else topics.delete(topic);
        if (topics.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
      return {
        next: () => inner.next(),
        return(value?: unknown) {
          release();
          return inner.return ? inner.return(value) : Promise.resolve({ value: undefined, done: true as const });
        },
        throw(error?: unknown) {
          release();
          return inner.throw ? inner.throw(error) : Promise.reject(error);
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      } as AsyncIterableIterator<T>;
    },

    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      topics.clear();
      await local.close();
    },
  };
}
