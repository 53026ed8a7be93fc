/** The demo tenant's sample packs, loaded through the public API by the start command's seeding, once. */
import { beforeAll, expect, it } from "vitest";
import { seedDemoData } from "@intelgraph/gateway";
import { EXPECTED, waitForJob } from "../support/ingest.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("seeddemo");
let demo: TestTenant;

beforeAll(async () => {
  demo = await platform.newTenant("demo", "TEAM");
}, 120_000);

it("ingests the sample packs into an empty tenant with approved mappings, and never twice", async () => {
  const jobs = await seedDemoData(platform.url, { email: demo.adminEmail, password: demo.adminPassword });
  expect(jobs).toHaveLength(3);
  const done = await Promise.all(jobs.map((id) => waitForJob(platform.url, demo.token, id)));
  const expected = ["people.csv", "threat-feed.ndjson", "stix-bundle.json"].map((pack) => EXPECTED[pack]!);
  expect(done.map((j) => [j.state, j.totals["recordsRead"], j.totals["deadLettered"]])).toEqual(
    expected.map((e) => ["SUCCEEDED", e.recordsRead, e.deadLettered]),
  );
  expect(await seedDemoData(platform.url, { email: demo.adminEmail, password: demo.adminPassword })).toEqual([]);
}, 120_000);
