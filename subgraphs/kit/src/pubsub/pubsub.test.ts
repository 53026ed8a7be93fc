import { describe, expect, it } from "vitest";
import { createInMemoryPubSub } from "./pubsub.ts";

describe("in-memory pub/sub", () => {
  it("delivers events published after subscribing, in order, per topic", async () => {
    const pubsub = createInMemoryPubSub();
    const a = pubsub.subscribe<number>("a");
    await pubsub.publish("a", 1);
    await pubsub.publish("b", 99);
    await pubsub.publish("a", 2);
    expect(await a.next()).toEqual({ value: 1, done: false });
    expect(await a.next()).toEqual({ value: 2, done: false });
    await a.return?.();
    expect(await a.next()).toEqual({ value: undefined, done: true });
  });

  it("ends pending subscribers on close", async () => {
    const pubsub = createInMemoryPubSub();
    const it1 = pubsub.subscribe("x");
    const pending = it1.next();
    await pubsub.close();
    expect(await pending).toEqual({ value: undefined, done: true });
  });
});
