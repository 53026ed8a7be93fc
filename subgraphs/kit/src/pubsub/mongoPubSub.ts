import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import type { Logger } from "../observability/logger.ts";
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
  /** Events read per query while catching up; default 500. */
  pageSize?: number;
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
 * Delivery is at-most-once per process, in (time, id) order, with about one
 * poll interval of latency. An event whose publisher's clock runs more than
 * `lookbackMs` behind this process's, or that takes longer than `lookbackMs` to
 * commit, may be missed: keep clocks in sync and the look-back above write latency.
 */
export function createMongoPubSub(options: MongoPubSubOptions): PubSub & { ensureIndexes(): Promise<void> } {
  const { db, logger, pollIntervalMs = 200, lookbackMs = 2000, retentionMs = 10 * 60_000, pageSize = 500 } = options;
  const events = db.collection<EventDocument>(options.collection ?? "pubsub_events");
  const local = createInMemoryPubSub();
  const topics = new Map<string, number>(); // topic → active subscribers
  // Ids delivered recently. An event stays in the query window for `lookbackMs`
  // after its time, so remembering ids for twice that rules out redelivery.
  const seen = new Map<string, number>();
  /** Events stamped before polling (re)started are not delivered. */
  let floor = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let polling = false;
  let polls = 0;
  let closed = false;

  async function poll() {
    if (polling || topics.size === 0) return;
    polling = true;
    try {
      const now = Date.now();
      const since = new Date(Math.max(floor, now - lookbackMs));
      let after: { at: Date; id: string } | null = null;
      // Page through the window in (at, _id) order so a burst larger than a page is never stuck.
      for (;;) {
        const page: EventDocument[] = await events
          .find({
            topic: { $in: [...topics.keys()] },
            at: { $gte: since },
            ...(after ? { $or: [{ at: { $gt: after.at } }, { at: after.at, _id: { $gt: after.id } }] } : {}),
          })
          .sort({ at: 1, _id: 1 })
          .limit(pageSize)
          .toArray();
        for (const doc of page) {
          if (seen.has(doc._id)) continue;
          seen.set(doc._id, now);
          await local.publish(doc.topic, doc.payload);
        }
        const last = page[page.length - 1];
        if (page.length < pageSize || !last) break;
        after = { at: last.at, id: last._id };
      }
      for (const [id, at] of seen) if (now - at > lookbackMs * 2 + pollIntervalMs) seen.delete(id);
      if (++polls % 300 === 0) await events.deleteMany({ at: { $lt: new Date(now - retentionMs) } });
    } catch (error) {
      logger.warn({ err: error }, "pub/sub poll failed; retrying");
    } finally {
      polling = false;
    }
  }

  function ensurePolling() {
    if (!timer && !closed) {
      floor = Date.now();
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
