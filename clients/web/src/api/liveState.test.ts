import { describe, expect, it } from "vitest";
import { nextLiveState, type LiveEvent, type LiveState } from "./liveState.ts";

const run = (events: LiveEvent[], from: LiveState = "idle") => events.reduce(nextLiveState, from);

describe("nextLiveState", () => {
  it("goes live after the first connection", () => {
    expect(run([{ type: "connecting", isRetry: false }])).toBe("connecting");
    expect(run([{ type: "connecting", isRetry: false }, { type: "connected" }])).toBe("live");
  });

  it("shows reconnecting from a drop until the socket is back", () => {
    const dropped = run([{ type: "connected" }, { type: "closed", code: 1006, wanted: true }]);
    expect(dropped).toBe("reconnecting");
    // graphql-ws reports the retry's connecting as not-a-retry when it reconnects lazily; stay reconnecting.
    expect(nextLiveState(dropped, { type: "connecting", isRetry: false })).toBe("reconnecting");
    expect(run([{ type: "connecting", isRetry: true }, { type: "connected" }], dropped)).toBe("live");
  });

  it("goes idle when the last subscription ends", () => {
    expect(run([{ type: "connected" }, { type: "closed", code: 1000, wanted: false }])).toBe("idle");
  });

  it("asks to sign in again when the server refuses the session", () => {
    expect(run([{ type: "connected" }, { type: "closed", code: 4401, wanted: true }])).toBe("signed-out");
    expect(run([{ type: "closed", code: 4403, wanted: true }])).toBe("signed-out");
  });
});
