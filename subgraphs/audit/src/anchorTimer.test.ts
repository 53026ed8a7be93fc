import { describe, expect, it } from "vitest";
import { createTestLogger } from "../../../test/support/testLogger.ts";
import { startAnchorTimer } from "./anchorTimer.ts";

describe("startAnchorTimer", () => {
  it("never runs twice at once, and stopping waits for the run in flight", async () => {
    let runs = 0;
    let finished = 0;
    const chain = {
      anchorAll: async () => {
        runs += 1;
        await new Promise((r) => setTimeout(r, 60));
        finished += 1;
        return [];
      },
    };
    const stop = startAnchorTimer(chain as never, 10, createTestLogger("anchor-timer"));
    await new Promise((r) => setTimeout(r, 35));
    await stop();
    expect(runs).toBe(1);
    expect(finished).toBe(1);
  });
});
