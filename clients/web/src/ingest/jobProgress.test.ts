import { describe, expect, it } from "vitest";
import type { IngestJobState } from "../api/generated/graphql.ts";
import { isJobActive, isJobEnded, jobFraction } from "./jobProgress.ts";

const job = (state: IngestJobState, fraction: number | null = null) =>
  ({ state, progress: { fraction } }) as unknown as Parameters<typeof jobFraction>[0];

describe("jobProgress", () => {
  it("counts a succeeded job as whole and any other by its bytes read", () => {
    expect(jobFraction(job("SUCCEEDED", 0.4))).toBe(1);
    expect(jobFraction(job("RUNNING", 0.4))).toBe(0.4);
    expect(jobFraction(job("QUEUED"))).toBeNull();
  });

  it("tells ended jobs from active ones", () => {
    const states: IngestJobState[] = ["AWAITING_UPLOAD", "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"];
    expect(states.filter((s) => isJobEnded(job(s)))).toEqual(["SUCCEEDED", "FAILED", "CANCELLED"]);
    expect(states.filter((s) => isJobActive(job(s)))).toEqual(["QUEUED", "RUNNING"]);
  });
});
