import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMongoPubSub } from "@intelgraph/kit";
import { connectStores, type Stores } from "@intelgraph/gateway";
import { testConfig } from "../support/platform.ts";
import { createTestLogger } from "../support/testLogger.ts";

let stores: Stores;
const logger = createTestLogger("pubsub");

beforeAll(async () => {
  stores = await connectStores(testConfig("pubsub"));
});
afterAll(async () => {
  await stores?.mongo.db.dropDatabase();
  await stores?.close();
});

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms))]);

describe("Mongo-backed pub/sub (split mode)", () => {
  it("delivers an event published by one instance to a subscriber of another, in order, once", async () => {
    const publisher = createMongoPubSub({ db: stores.mongo.db, logger, pollIntervalMs: 50 });
    const subscriber = createMongoPubSub({ db: stores.mongo.db, logger, pollIntervalMs: 50 });
    await subscriber.ensureIndexes();
    const events = subscriber.subscribe<{ n: number; at: Date }>("audit.t1");
    const other = subscriber.subscribe<unknown>("audit.t2");
    try {
      await publisher.publish("audit.t1", { n: 1, at: new Date("2026-01-01T00:00:00Z") });
      await publisher.publish("audit.t1", { n: 2, at: new Date("2026-01-01T00:00:01Z") });
      expect(await within(events.next(), 3000)).toEqual({ value: { n: 1, at: new Date("2026-01-01T00:00:00Z") }, done: false });
      expect(await within(events.next(), 3000)).toEqual({ value: { n: 2, at: new Date("2026-01-01T00:00:01Z") }, done: false });
      // Several more polls over the lookback window must not deliver duplicates or other topics.
      await expect(within(events.next(), 600)).rejects.toThrow(/nothing within/);
      await expect(within(other.next(), 100)).rejects.toThrow(/nothing within/);
    } finally {
      await events.return?.();
      await other.return?.();
      await publisher.close();
      await subscriber.close();
    }
  });

  it("does not replay events published before the subscription", async () => {
    const pubsub = createMongoPubSub({ db: stores.mongo.db, logger, pollIntervalMs: 50 });
    await pubsub.publish("old.topic", { stale: true });
    await new Promise((r) => setTimeout(r, 20));
    const events = pubsub.subscribe("old.topic");
    try {
      await expect(within(events.next(), 500)).rejects.toThrow(/nothing within/);
    } finally {
      await events.return?.();
      await pubsub.close();
    }
  });
});

describe("Mongo-backed pub/sub under load and idle", () => {
  it("delivers a burst larger than a page, and never redelivers while idle", async () => {
    const publisher = createMongoPubSub({ db: stores.mongo.db, logger });
    const subscriber = createMongoPubSub({ db: stores.mongo.db, logger, pollIntervalMs: 20, lookbackMs: 800, pageSize: 25 });
    const events = subscriber.subscribe<{ n: number }>("burst");
    try {
      await new Promise((r) => setTimeout(r, 50));
      await Promise.all(Array.from({ length: 120 }, (_, n) => publisher.publish("burst", { n })));
      const received: number[] = [];
      while (received.length < 120) received.push((await within(events.next(), 3000)).value.n);
      expect([...received].sort((x, y) => x - y)).toEqual(Array.from({ length: 120 }, (_, n) => n));
      // Idle for several look-back windows: nothing comes again.
      await expect(within(events.next(), 3000)).rejects.toThrow(/nothing within/);
    } finally {
      await events.return?.();
      await publisher.close();
      await subscriber.close();
    }
  });
});
