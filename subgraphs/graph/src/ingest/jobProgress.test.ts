import { describe, expect, it } from "vitest";
import { emptyTotals, type JobDoc } from "./ingestStore.ts";
import { jobProgress } from "./jobProgress.ts";

const started = Date.parse("2026-01-01T00:00:00Z");

const job = (over: Partial<JobDoc> = {}): JobDoc => ({
  _id: "j1",
  tenantId: "t1",
  mappingId: "m1",
  mappingVersion: 1,
  mappingName: "people",
  format: "CSV",
  source: "people.csv",
  state: "RUNNING",
  createdBy: "u1",
  createdAt: new Date(started),
  attempts: 1,
  checkpoint: { records: 0, bytes: 0 },
  totals: emptyTotals(),
  resumedFrom: 0,
  updatedAt: new Date(started),
  ...over,
});

describe("jobProgress", () => {
  it("reports no rate or ETA before the job starts", () => {
    expect(jobProgress(job({ state: "QUEUED", bytesTotal: 1000 }), started + 10_000)).toEqual({
      recordsDone: 0,
      bytesRead: 0,
      bytesTotal: 1000,
      fraction: 0,
      ratePerSecond: null,
      etaSeconds: null,
      resumedFrom: 0,
    });
  });

  it("derives the rate from this attempt's records and the ETA from the bytes read, at the injected time", () => {
    const running = job({ startedAt: new Date(started), resumedFrom: 100, checkpoint: { records: 300, bytes: 250 }, bytesTotal: 1000 });
    expect(jobProgress(running, started + 10_000)).toEqual({
      recordsDone: 300,
      bytesRead: 250,
      bytesTotal: 1000,
      fraction: 0.25,
      ratePerSecond: 20,
      etaSeconds: 30,
      resumedFrom: 100,
    });
  });

  it("is exactly done once the job succeeded, timed to when it finished", () => {
    const done = job({
      state: "SUCCEEDED",
      startedAt: new Date(started),
      finishedAt: new Date(started + 4_000),
      checkpoint: { records: 40, bytes: 1000 },
      bytesTotal: 1000,
    });
    expect(jobProgress(done, started + 60_000)).toMatchObject({ fraction: 1, etaSeconds: 0, ratePerSecond: 10 });
  });
});
