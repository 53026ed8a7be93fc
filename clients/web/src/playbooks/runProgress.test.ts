import { describe, expect, it } from "vitest";
import { runProgress } from "./runProgress.ts";

describe("run progress", () => {
  it("grows as steps start, retry and finish, and with the run's own status", () => {
    const queued = runProgress({
      status: "QUEUED",
      steps: [
        { status: "PENDING", attempts: 0 },
        { status: "PENDING", attempts: 0 },
      ],
    });
    const first = runProgress({
      status: "RUNNING",
      steps: [
        { status: "RUNNING", attempts: 1 },
        { status: "PENDING", attempts: 0 },
      ],
    });
    const retry = runProgress({
      status: "RUNNING",
      steps: [
        { status: "RUNNING", attempts: 2 },
        { status: "PENDING", attempts: 0 },
      ],
    });
    const second = runProgress({
      status: "RUNNING",
      steps: [
        { status: "SUCCEEDED", attempts: 2 },
        { status: "RUNNING", attempts: 1 },
      ],
    });
    const done = runProgress({
      status: "SUCCEEDED",
      steps: [
        { status: "SUCCEEDED", attempts: 2 },
        { status: "SUCCEEDED", attempts: 1 },
      ],
    });
    expect([queued < first, first < retry, retry < second, second < done]).toEqual([true, true, true, true]);
  });
});
