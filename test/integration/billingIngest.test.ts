/**
 * Ingest and billing: a job is refused before anything is stored when the
 * month's records are used up, and a queued job whose tenant runs out waits
 * (blocked, nothing written) and resumes on its own once the plan allows it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { seedLiveUsage } from "../support/billingUsage.ts";
import { gql } from "../support/graphqlClient.ts";
import { createJob, sample, sampleMapping, upload, waitForJob } from "../support/ingest.ts";
import { useTestPlatform } from "../support/platform.ts";

const platform = useTestPlatform("billing_ingest", { ingest: { INGEST_BILLING_RECHECK_MS: 300 } });
const FREE_RECORDS = 100_000;

describe("ingest against the records quota", () => {
  it("refuses a new job over the quota, and holds a queued one until the plan changes, then finishes it", async () => {
    const acme = await platform.newTenant("ingest-quota", "FREE");
    const mapping = await sampleMapping(platform.url, acme.token, "people.csv");
    const jobs = platform.stores.mongo.db.collection("ingest_jobs");
    const jobsBefore = await jobs.countDocuments({ tenantId: acme.id });

    await seedLiveUsage(platform, acme.id, "INGEST_RECORDS", FREE_RECORDS);
    const refused = await createJob(platform.url, acme.token, mapping, "people.csv");
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "QUOTA_EXCEEDED", metric: "INGEST_RECORDS", limit: FREE_RECORDS });
    expect(await jobs.countDocuments({ tenantId: acme.id })).toBe(jobsBefore);

    // Under the quota the job is created; the quota runs out before a worker takes it.
    await seedLiveUsage(platform, acme.id, "INGEST_RECORDS", 0);
    const created = (await createJob(platform.url, acme.token, mapping, "people.csv")).data!.createIngestJob;
    await seedLiveUsage(platform, acme.id, "INGEST_RECORDS", FREE_RECORDS);
    expect((await upload(platform.url, created.upload!.path, readFileSync(sample("people.csv")))).status).toBe(200);
    const blockedOf = async () =>
      (
        await gql(
          platform.url,
          `query($id: ID!) { ingestJob(id: $id) { state blocked { code message } } }`,
          { id: created.id },
          { token: acme.token },
        )
      ).data?.ingestJob;
    await expect.poll(blockedOf, { timeout: 15_000 }).toMatchObject({ state: "QUEUED", blocked: { code: "QUOTA_EXCEEDED" } });
    const people = async () => (await gql(platform.url, `{ people { id } }`, {}, { token: acme.token })).data?.people.length;
    expect(await people()).toBe(0);

    await gql(platform.url, `mutation { changePlan(plan: TEAM) { plan { id } } }`, {}, { token: acme.token });
    const done = await waitForJob(platform.url, acme.token, created.id);
    expect(done.state).toBe("SUCCEEDED");
    expect(await people()).toBeGreaterThan(0);
    expect((await blockedOf()).blocked).toBeNull();
  });
});
