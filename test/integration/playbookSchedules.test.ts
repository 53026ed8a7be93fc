/**
 * Scheduled playbooks across processes: with the test's platform and a second
 * real playbooks process alive on the same database, every slot of a schedule
 * runs exactly once; and after a restart a slot missed while no worker was up
 * runs once with RUN_ONCE and not at all with SKIP.
 */
import { randomUUID } from "node:crypto";
import { connectStores } from "@intelgraph/gateway";
import { afterAll, describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { callAs, startPlaybooksProcess, type PlaybooksProcess } from "../support/playbookProcess.ts";
import { webhookReceiver } from "../support/playbookHelpers.ts";
import { testConfig, useTestPlatform } from "../support/platform.ts";

const platform = useTestPlatform("pbschedules");
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
}, 60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("scheduled playbooks", () => {
  it("runs each slot exactly once with two worker processes alive", async () => {
    const a = await platform.newTenant("sched");
    const hooks = await webhookReceiver([200]);
    cleanups.push(hooks.close);
    const created = await gql(
      platform.url,
      `mutation($input: CreatePlaybookInput!) { createPlaybook(input: $input) { id schedule { active nextRuns(count: 2) } } }`,
      {
        input: {
          name: "Every two seconds",
          steps: [{ id: "hook", kind: "WEBHOOK", config: { url: `${hooks.url}/tick` } }],
          schedule: { cron: "*/2 * * * * *", timeZone: "Asia/Kolkata", missedRunPolicy: "SKIP" },
        },
      },
      { token: a.token },
    );
    expect(created.errors).toBeUndefined();
    const { id, schedule } = created.data!["createPlaybook"];
    expect(schedule.active).toBe(true);
    expect(new Date(schedule.nextRuns[1]).getTime() - new Date(schedule.nextRuns[0]).getTime()).toBe(2000);

    // The second process finds the active schedule when it starts, so both poll it from then on.
    const second = await startPlaybooksProcess(platform.config);
    cleanups.push(() => second.stop());
    await sleep(7_000);
    const paused = await gql(
      platform.url,
      `mutation($id: ID!) { pausePlaybookSchedule(id: $id) { schedule { paused active } } }`,
      { id },
      { token: a.token },
    );
    expect(paused.data!["pausePlaybookSchedule"].schedule).toEqual({ paused: true, active: false });
    await sleep(2_500);
    expect(await second.stop()).toBe(0);

    const db = platform.stores.mongo.db;
    const runs = await db.collection("playbook_runs").find({ playbookId: id }).toArray();
    const slots = runs.map((r) => (r["scheduledFor"] as Date).toISOString());
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots.length).toBeGreaterThanOrEqual(3);
    for (const slot of slots) expect(new Date(slot).getUTCSeconds() % 2).toBe(0);
    expect(runs.map((r) => r["status"])).toEqual(runs.map(() => "SUCCEEDED"));
    // One delivery per run, none doubled; each run taken by one claim.
    expect(hooks.received.map((h) => h.delivery).sort()).toEqual(runs.map((r) => `${r["_id"]}:hook`).sort());
    const claims = await db
      .collection("playbook_run_claims")
      .find({ runId: { $in: runs.map((r) => r["_id"]) } })
      .toArray();
    expect(claims.map((c) => c["_id"]).sort()).toEqual(runs.map((r) => `${r["_id"]}#1`).sort());
    const owners = new Set(runs.map((r) => r["owner"]));
    console.info(`scheduled runs per worker: ${[...owners].map((o) => `${o}=${runs.filter((r) => r["owner"] === o).length}`).join(", ")}`);
  }, 120_000);

  it("after a restart runs a missed slot once with RUN_ONCE and skips it with SKIP", async () => {
    // A database of its own served only by playbooks processes, so nothing runs the slot while they are down.
    const config = testConfig("pbrestart");
    const stores = await connectStores(config);
    cleanups.push(async () => {
      await stores.mongo.db.dropDatabase();
      await stores.close();
    });
    const tenantId = randomUUID();
    const userId = randomUUID();
    await stores.mongo.db
      .collection("governance_users")
      .insertOne({ _id: userId as never, tenantId, role: "ADMIN", active: true, email: "owner@restart.test" });
    const principal = { kind: "user" as const, tenantId, userId, roles: ["ADMIN"], scopes: [] };
    const hooks = await webhookReceiver([200]);
    cleanups.push(hooks.close);

    let worker: PlaybooksProcess = await startPlaybooksProcess(config);
    cleanups.push(() => worker.stop());
    const slot = new Date(Math.ceil(Date.now() / 1000) * 1000 + 8_000);
    const cron = `${slot.getUTCSeconds()} ${slot.getUTCMinutes()} ${slot.getUTCHours()} * * *`;
    const ids: Record<string, string> = {};
    for (const policy of ["SKIP", "RUN_ONCE"]) {
      const res = await callAs(
        worker.url,
        config.PRINCIPAL_SIGNING_KEY,
        principal,
        `mutation($input: CreatePlaybookInput!) { createPlaybook(input: $input) { id } }`,
        {
          input: {
            name: `daily ${policy}`,
            steps: [{ kind: "WEBHOOK", config: { url: `${hooks.url}/${policy}` } }],
            schedule: { cron, timeZone: "UTC", missedRunPolicy: policy },
          },
        },
      );
      expect(res.errors).toBeUndefined();
      ids[policy] = res.data!["createPlaybook"].id;
    }
    expect(await worker.stop()).toBe(0);
    expect(Date.now(), "the worker must be down before the slot").toBeLessThan(slot.getTime());

    // Down over the slot and past the 5 s grace, then up again.
    await sleep(slot.getTime() + 6_500 - Date.now());
    worker = await startPlaybooksProcess(config);
    await expect.poll(() => hooks.received.length, { timeout: 15_000, interval: 200 }).toBe(1);
    await sleep(2_000);
    expect(hooks.received.map((h) => h.path)).toEqual(["/RUN_ONCE"]);
    const runs = await stores.mongo.db.collection("playbook_runs").find({ tenantId }).toArray();
    expect(runs.map((r) => [r["playbookId"], r["trigger"], (r["scheduledFor"] as Date).toISOString(), r["status"]])).toEqual([
      [ids["RUN_ONCE"], "SCHEDULE", slot.toISOString(), "SUCCEEDED"],
    ]);
    expect(await worker.stop()).toBe(0);
  }, 180_000);
});
