import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobSlots, isAppError } from "@intelgraph/kit";
import { connectStores, type Stores } from "@intelgraph/gateway";
import { testConfig } from "../support/platform.ts";

let stores: Stores;

beforeAll(async () => {
  stores = await connectStores(testConfig("jobslots"));
});
afterAll(async () => {
  await stores?.mongo.db.dropDatabase();
  await stores?.close();
});

const codeOf = (error: unknown) => (isAppError(error) ? error.extensions["code"] : String(error));

describe("concurrent long-job slots (FerretDB, no transactions)", () => {
  it("lets exactly `limit` of 20 racing jobs start, per tenant", async () => {
    const slots = createJobSlots(stores.mongo.db);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => slots.acquire("tenant-a", "import", 3)));
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(3);
    for (const r of results) if (r.status === "rejected") expect(codeOf(r.reason)).toBe("RATE_LIMITED");
    // Another tenant's slots are its own.
    const other = await slots.acquire("tenant-b", "import", 1);
    expect(await slots.running("tenant-a")).toBe(3);
    await other.release();
    for (const r of won) await (r as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
    expect(await slots.running("tenant-a")).toBe(0);
  });

  it("says how many jobs run and what to do, then frees the slot when the job ends (even by throwing)", async () => {
    const slots = createJobSlots(stores.mongo.db);
    let refusal: unknown;
    await expect(
      slots.run("tenant-c", "import", 1, async () => {
        refusal = await slots.acquire("tenant-c", "ingest", 1).catch((e: unknown) => e);
        throw new Error("job failed");
      }),
    ).rejects.toThrow("job failed");
    expect(isAppError(refusal, "RATE_LIMITED")).toBe(true);
    expect((refusal as Error).message).toMatch(/1 long job at a time and 1 \(import\) are running/);
    expect((refusal as { extensions: Record<string, unknown> }).extensions).toMatchObject({ limit: "concurrentJobs", running: 1 });
    const again = await slots.acquire("tenant-c", "ingest", 1);
    await again.release();
  });

  it("takes over the slot of a holder whose lease ran out (a crashed process)", async () => {
    let clock = Date.parse("2026-11-23T10:00:00Z");
    const slots = createJobSlots(stores.mongo.db, { leaseMs: 60_000, now: () => clock });
    await slots.acquire("tenant-d", "ingest", 1); // never released: its process "died"
    await expect(slots.acquire("tenant-d", "ingest", 1)).rejects.toThrow(/at a time/);
    clock = Date.parse("2026-11-23T10:01:01Z");
    const lease = await slots.acquire("tenant-d", "ingest", 1);
    expect(lease.slot).toBe(0);
    await lease.release();
  });

  it("counts slots held above a lowered limit", async () => {
    const slots = createJobSlots(stores.mongo.db);
    const held = await Promise.all([slots.acquire("tenant-e", "a", 3), slots.acquire("tenant-e", "b", 3)]);
    await expect(slots.acquire("tenant-e", "c", 1)).rejects.toThrow(/2 \(a, b\) are running|2 \(b, a\) are running/);
    for (const lease of held) await lease.release();
  });
});
