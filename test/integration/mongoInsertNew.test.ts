/**
 * `insertNew` against the real FerretDB: insert-only and idempotent at a size
 * where a bulk of `$setOnInsert` upserts would hang FerretDB 1.x (more than
 * its 100 SQLite connections per database), and other errors still surface.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { insertNew } from "@intelgraph/kit";
import { connectStores, type Stores } from "@intelgraph/gateway";
import { testConfig } from "../support/platform.ts";

let stores: Stores;

beforeAll(async () => {
  stores = await connectStores(testConfig("insertnew"));
});
afterAll(async () => {
  await stores?.mongo.db.dropDatabase();
  await stores?.close();
});

it("inserts only the documents not stored yet, in one command of 300, and keeps the first version", async () => {
  const letters = stores.mongo.db.collection<{ _id: string; n: number; v: string }>("letters");
  const docs = (from: number, to: number, v: string) =>
    Array.from({ length: to - from }, (_, i) => ({ _id: `d${from + i}`, n: from + i, v }));

  expect(await insertNew(letters, docs(0, 300, "first"))).toBe(300);
  expect(await insertNew(letters, docs(0, 300, "second"))).toBe(0);
  expect(await insertNew(letters, docs(150, 450, "third"))).toBe(150);
  expect(await insertNew(letters, [])).toBe(0);

  expect(await letters.countDocuments()).toBe(450);
  expect(await letters.countDocuments({ v: "first" })).toBe(300);
  expect(await letters.countDocuments({ v: "third" })).toBe(150);
  // The store still answers at once (a hung FerretDB database would time this out).
  expect(await letters.findOne({ _id: "d449" })).toMatchObject({ n: 449, v: "third" });
});

it("surfaces an error that is not a duplicate key", async () => {
  const strict = stores.mongo.db.collection<{ _id: string; email: string }>("strict");
  await strict.createIndex({ email: 1 }, { unique: true });
  await expect(insertNew(strict, [{ _id: "x1", email: "a@example.com" }])).resolves.toBe(1);
  // A clash on the unique email index is also code 11000: insert-only holds for any unique key.
  await expect(insertNew(strict, [{ _id: "x2", email: "a@example.com" }])).resolves.toBe(0);
  await expect(insertNew(strict, [{ _id: "x3", email: "b@example.com", $bad: 1 } as never])).rejects.toThrow();
  expect(await strict.countDocuments()).toBe(1);
});
