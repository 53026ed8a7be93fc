/**
 * The day's storage sample: the graph and the billing subgraph sample at the
 * same minute. When both upserted one document, the real FerretDB let racing
 * upserts both try the insert (CI logged the loser's duplicate-key error as a
 * failed scheduled job), and two concurrent `$set`s on one document could
 * lose one store's figures. Each store now writes its own document.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { readStorageSample, setStorageSample } from "@intelgraph/kit";
import { connectStores, type Stores } from "@intelgraph/gateway";
import { testConfig } from "../support/platform.ts";

let graphSide: Stores;
let billingSide: Stores;

beforeAll(async () => {
  // Two clients, as in split mode: the racing upserts go over different connections.
  const config = testConfig("storagesample");
  graphSide = await connectStores(config);
  billingSide = await connectStores(config);
});
afterAll(async () => {
  await graphSide?.mongo.db.dropDatabase();
  await Promise.all([graphSide?.close(), billingSide?.close()]);
});

it("keeps both stores' fields on the day's one sample when both write it at once", async () => {
  const days = Array.from({ length: 25 }, (_, i) => `2026-01-${String(i + 1).padStart(2, "0")}`);
  const at = new Date("2026-02-01T00:10:00Z");
  await Promise.all(
    days.flatMap((day, i) => [
      setStorageSample(graphSide.mongo.db, day, "graph", { graphNodes: i, graphRelationships: 2 * i }, at),
      // A second graph replica samples the same day at once: same figures, one document.
      setStorageSample(billingSide.mongo.db, day, "graph", { graphNodes: i, graphRelationships: 2 * i }, at),
      setStorageSample(billingSide.mongo.db, day, "mongo", { mongoBytes: 1000 + i }, at),
    ]),
  );
  const read = await Promise.all(days.map((day) => readStorageSample(graphSide.mongo.db, day)));
  read.forEach((figures, i) => expect(figures).toEqual({ graphNodes: i, graphRelationships: 2 * i, mongoBytes: 1000 + i }));
  expect(await graphSide.mongo.db.collection("billing_storage_samples").countDocuments()).toBe(2 * days.length);
});

it("replaces a store's figures when it samples the same day again", async () => {
  const db = graphSide.mongo.db;
  await setStorageSample(db, "2026-03-01", "mongo", { mongoBytes: 5 }, new Date());
  await setStorageSample(db, "2026-03-01", "mongo", { mongoBytes: 7 }, new Date());
  expect(await readStorageSample(db, "2026-03-01")).toEqual({ mongoBytes: 7 });
  expect(await readStorageSample(db, "2026-03-02")).toEqual({});
});
