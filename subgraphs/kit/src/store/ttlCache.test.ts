import { describe, expect, it } from "vitest";
import { createTtlCache } from "./ttlCache.ts";

describe("createTtlCache", () => {
  it("shares one load per key within the ttl, and loads again after it", async () => {
    let loads = 0;
    const cache = createTtlCache(async (key) => `${key}:${++loads}`, { ttlMs: 50 });
    expect(await Promise.all([cache.get("a"), cache.get("a")])).toEqual(["a:1", "a:1"]);
    expect(await cache.get("b")).toBe("b:2");
    await new Promise((r) => setTimeout(r, 60));
    expect(await cache.get("a")).toBe("a:3");
    cache.delete("a");
    expect(await cache.get("a")).toBe("a:4");
  });

  it("does not keep a failed load", async () => {
    let fail = true;
    const cache = createTtlCache(
      async () => {
        if (fail) throw new Error("store down");
        return 1;
      },
      { ttlMs: 60_000 },
    );
    await expect(cache.get("k")).rejects.toThrow("store down");
    fail = false;
    expect(await cache.get("k")).toBe(1);
  });
});
