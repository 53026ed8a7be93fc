/**
 * kit's scheduler against the real FerretDB: two schedulers on their own
 * connections stand for two processes sharing one database, driven by one
 * injected clock and `tick()` instead of timers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectMongo,
  createScheduler,
  SCHEDULE_RUNS,
  type MongoConnection,
  type ScheduledJob,
  type ScheduleRun,
  type Scheduler,
} from "@intelgraph/kit";
import { allowErrorLogs } from "../support/errorLogs.ts";
import { testConfig } from "../support/platform.ts";
import { createTestLogger } from "../support/testLogger.ts";

let first: MongoConnection;
let second: MongoConnection;
let clock = 0;
const setClock = (iso: string) => (clock = Date.parse(iso));
const schedulers: Scheduler[] = [];

beforeAll(async () => {
  const { MONGODB_URI, MONGODB_DB } = testConfig("scheduler");
  first = await connectMongo(MONGODB_URI, MONGODB_DB);
  second = await connectMongo(MONGODB_URI, MONGODB_DB);
});
afterAll(async () => {
  await Promise.all(schedulers.map((s) => s.stop()));
  await first?.db.dropDatabase();
  await first?.close();
  await second?.close();
});

/** A scheduler as process `owner`, on the first or second connection. */
function processNamed(owner: "a" | "b"): Scheduler {
  const db = owner === "a" ? first.db : second.db;
  const scheduler = createScheduler({ db, logger: createTestLogger(`scheduler-${owner}`), now: () => clock, owner });
  schedulers.push(scheduler);
  return scheduler;
}

/** The same job in both processes; `ran` lists `<owner> <slot>` for every run. */
function twoProcesses(job: Omit<ScheduledJob, "run">, run: ScheduledJob["run"] = async () => undefined) {
  const ran: string[] = [];
  const [a, b] = (["a", "b"] as const).map((owner) => {
    const scheduler = processNamed(owner);
    scheduler.add({
      ...job,
      run: async (ctx) => {
        ran.push(`${owner} ${ctx.scheduledAt.toISOString()}`);
        await run(ctx);
      },
    });
    return scheduler;
  }) as [Scheduler, Scheduler];
  const tickBoth = () => Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
  return { a, b, ran, tickBoth, slots: () => ran.map((r) => r.split(" ")[1]) };
}

const summary = (runs: ScheduleRun[]) => runs.map((r) => ({ scheduledAt: r.scheduledAt.toISOString(), status: r.status }));

describe("scheduler (FerretDB, two processes, injected clock)", () => {
  it("runs each slot exactly once across two processes ticking at the same time", async () => {
    const { a, ran, tickBoth, slots } = twoProcesses({ name: "rollup", cron: "* * * * *" });
    for (const minute of ["00", "01", "02", "03", "04"]) {
      setClock(`2026-06-01T10:${minute}:07Z`);
      await tickBoth();
      await tickBoth();
    }
    expect(slots()).toEqual(["00", "01", "02", "03", "04"].map((m) => `2026-06-01T10:${m}:00.000Z`));
    expect(new Set(ran.map((r) => r.split(" ")[0])).size).toBeGreaterThanOrEqual(1);
    const runs = await a.runs("rollup");
    expect(summary(runs)).toEqual(
      ["04", "03", "02", "01", "00"].map((m) => ({ scheduledAt: `2026-06-01T10:${m}:00.000Z`, status: "succeeded" })),
    );
    expect(runs[0]).toMatchObject({ _id: "rollup@2026-06-01T10:04:00.000Z", job: "rollup", trigger: "schedule", attempts: 1 });
    expect(runs[0]!.finishedAt!.toISOString()).toBe("2026-06-01T10:04:07.000Z");
    expect(["a", "b"]).toContain(runs[0]!.owner);
  });

  it("runs the latest missed slot once after a gap (runOnce), not every missed slot", async () => {
    const { a, tickBoth, slots } = twoProcesses({ name: "retention", cron: "*/5 * * * *" });
    setClock("2026-06-01T10:01:00Z");
    await tickBoth();
    setClock("2026-06-01T10:47:30Z"); // down for 9 slots
    await tickBoth();
    await tickBoth();
    expect(slots()).toEqual(["2026-06-01T10:00:00.000Z", "2026-06-01T10:45:00.000Z"]);
    expect(summary(await a.runs("retention"))).toHaveLength(2);
  });

  it("skips a slot missed by more than the grace window (skip), and runs one on time", async () => {
    const { tickBoth, slots } = twoProcesses({ name: "probe", cron: "* * * * *", missed: "skip" });
    setClock("2026-06-01T10:00:30Z"); // 30 s late, grace is max(2 × 1 s, 5 s)
    await tickBoth();
    setClock("2026-06-01T10:07:06Z");
    await tickBoth();
    expect(slots()).toEqual([]);
    setClock("2026-06-01T10:08:04Z");
    await tickBoth();
    setClock("2026-06-01T10:08:05Z");
    await tickBoth();
    expect(slots()).toEqual(["2026-06-01T10:08:00.000Z"]);
  });

  it("records a failing job as failed, logs it, and still runs the next slot", async () => {
    allowErrorLogs(/scheduled job scoring failed: scores store is full/);
    let calls = 0;
    const { a, tickBoth, slots } = twoProcesses({ name: "scoring", cron: "0 * * * *" }, async () => {
      if (calls++ === 0) throw new Error("scores store is full");
    });
    setClock("2026-06-01T10:00:00Z");
    await tickBoth();
    setClock("2026-06-01T11:00:01Z");
    await tickBoth();
    expect(slots()).toEqual(["2026-06-01T10:00:00.000Z", "2026-06-01T11:00:00.000Z"]);
    const [next, failed] = await a.runs("scoring");
    expect(failed).toMatchObject({ status: "failed", error: "scores store is full" });
    expect(next).toMatchObject({ status: "succeeded" });
    expect(next!.error).toBeUndefined();
  });

  it("takes over a run whose owner died once its lease ran out, in exactly one process", async () => {
    const { a, ran, tickBoth, slots } = twoProcesses({ name: "anchor", cron: "0 * * * *", leaseMs: 60_000 });
    const runs = first.db.collection<ScheduleRun>(SCHEDULE_RUNS);
    const slot = new Date("2026-06-01T10:00:00Z");
    await runs.insertOne({
      _id: "anchor@2026-06-01T10:00:00.000Z",
      job: "anchor",
      scheduledAt: slot,
      trigger: "schedule",
      owner: "dead",
      status: "running",
      startedAt: slot,
      leaseUntil: new Date("2026-06-01T10:05:00Z"),
      attempts: 1,
    });
    setClock("2026-06-01T10:04:59Z"); // its lease still holds
    await tickBoth();
    expect(slots()).toEqual([]);
    setClock("2026-06-01T10:05:01Z");
    await tickBoth();
    await tickBoth();
    expect(slots()).toEqual(["2026-06-01T10:00:00.000Z"]);
    const [winner] = ran[0]!.split(" ");
    const [retried, abandoned] = await a.runs("anchor");
    expect(retried).toMatchObject({ _id: "anchor@2026-06-01T10:00:00.000Z#2", status: "succeeded", attempts: 2, owner: winner });
    expect(abandoned).toMatchObject({ _id: "anchor@2026-06-01T10:00:00.000Z", status: "failed", attempts: 1, owner: "dead" });
    expect(abandoned!.error).toBe(`Its lease ran out (owner dead stopped renewing it); ${winner} took the run over as attempt 2.`);
  });

  it("renews the lease of a long run, so the other process does not take it over", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { a, b, tickBoth, slots } = twoProcesses({ name: "longRollup", cron: "0 * * * *", leaseMs: 300 }, () => gate);
    setClock("2026-06-01T10:00:00Z");
    const running = a.tick();
    await expect.poll(() => slots()).toEqual(["2026-06-01T10:00:00.000Z"]);
    setClock("2026-06-01T10:00:10Z"); // far past the first lease: only renewal keeps it
    await expect.poll(async () => (await a.runs("longRollup"))[0]?.leaseUntil.toISOString()).toBe("2026-06-01T10:00:10.300Z");
    await Promise.all([b.tick(), tickBoth()]);
    expect(slots()).toEqual(["2026-06-01T10:00:00.000Z"]);
    release();
    await running;
    expect((await a.runs("longRollup"))[0]).toMatchObject({ status: "succeeded", attempts: 1, owner: "a" });
  });

  it("fires a time-zone schedule at the right UTC instant (09:00 Berlin, summer and winter)", async () => {
    const { tickBoth, slots } = twoProcesses({ name: "digest", cron: "0 9 * * *", timezone: "Europe/Berlin", missed: "skip" });
    for (const iso of [
      "2026-07-01T06:59:59Z",
      "2026-07-01T07:00:01Z",
      "2026-07-01T08:00:02Z",
      "2026-01-15T07:00:01Z",
      "2026-01-15T08:00:01Z",
    ]) {
      setClock(iso);
      await tickBoth();
    }
    expect(slots()).toEqual(["2026-07-01T07:00:00.000Z", "2026-01-15T08:00:00.000Z"]);
  });

  it("runs on demand once per instant, and never alongside its own run in one process", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { a, b, slots } = twoProcesses({ name: "export", cron: "0 0 1 1 *", missed: "skip" }, () => gate);
    setClock("2026-06-01T12:00:00Z");
    const manual = a.runNow("export");
    await expect.poll(() => slots()).toHaveLength(1);
    expect(await a.runNow("export")).toBe(false); // already running here
    expect(await b.runNow("export")).toBe(false); // same instant: a has it
    release();
    expect(await manual).toBe(true);
    const [record] = await a.runs("export");
    expect(record).toMatchObject({ _id: "export@manual:2026-06-01T12:00:00.000Z", trigger: "manual", status: "succeeded", owner: "a" });
    await expect(a.runNow("nope")).rejects.toThrow('No scheduled job "nope". Known jobs: export.');
  });

  it("stop() aborts the signal and waits for the run in flight; then nothing runs", async () => {
    let finished = false;
    const a = processNamed("a");
    a.add({
      name: "slowProbe",
      cron: "* * * * *",
      run: async ({ signal }) => {
        await new Promise((resolve) => signal.addEventListener("abort", resolve));
        await new Promise((resolve) => setTimeout(resolve, 50));
        finished = true;
        throw signal.reason as Error;
      },
    });
    setClock("2026-06-01T10:00:00Z");
    const ticking = a.tick();
    await expect.poll(async () => (await a.runs("slowProbe")).length).toBe(1);
    await a.stop();
    expect(finished).toBe(true);
    await ticking;
    expect((await a.runs("slowProbe"))[0]).toMatchObject({ status: "failed", error: "The scheduler is stopping." });
    setClock("2026-06-01T10:01:00Z");
    await a.tick();
    expect(await a.runNow("slowProbe")).toBe(false);
    expect(await a.runs("slowProbe")).toHaveLength(1);
  });

  it("start() polls on its own timer until stop()", async () => {
    const ran: string[] = [];
    const a = createScheduler({ db: first.db, logger: createTestLogger("scheduler-poll"), now: () => clock, owner: "a", pollMs: 20 });
    schedulers.push(a);
    a.add({ name: "poller", cron: "* * * * *", run: async ({ scheduledAt }) => void ran.push(scheduledAt.toISOString()) });
    setClock("2026-06-01T10:00:01Z");
    a.start();
    await expect.poll(() => ran).toEqual(["2026-06-01T10:00:00.000Z"]);
    setClock("2026-06-01T10:01:01Z");
    await expect.poll(() => ran).toHaveLength(2);
    await a.stop();
    setClock("2026-06-01T10:02:01Z");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ran).toEqual(["2026-06-01T10:00:00.000Z", "2026-06-01T10:01:00.000Z"]);
  });

  it("refuses a bad cron pattern, an unknown time zone and a duplicate name when a job is added", () => {
    const a = processNamed("a");
    const run = async () => undefined;
    expect(() => a.add({ name: "x", cron: "every hour", run })).toThrow(/Scheduled job "x": Invalid cron pattern "every hour"/);
    expect(() => a.add({ name: "x", cron: "0 9 * * *", timezone: "Europe/Atlantis", run })).toThrow(
      'Scheduled job "x": Unknown time zone "Europe/Atlantis"',
    );
    a.add({ name: "x", cron: "0 9 * * *", run });
    expect(() => a.add({ name: "x", cron: "0 10 * * *", run })).toThrow(/already added/);
  });
});
