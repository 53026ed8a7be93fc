import { SESSION_CLOSE_CODES } from "./generated/codes.ts";

/**
 * The state of the console's live connection (graphql-ws), as the header shows
 * it. A pure reducer over the client's events so the rules are testable.
 */
export type LiveState =
  /** No subscription open, no socket needed. */
  | "idle"
  | "connecting"
  | "live"
  /** The socket dropped while subscriptions were open; retrying. */
  | "reconnecting"
  /** The server refused the credential (close 4401/4403): sign in again. */
  | "signed-out";

export type LiveEvent =
  { type: "connecting"; isRetry: boolean } | { type: "connected" } | { type: "closed"; code: number; wanted: boolean };

/** graphql-ws close codes that mean the session is gone, not the network (from kit, by codegen). */
export const SESSION_CLOSES = new Set<number>(SESSION_CLOSE_CODES);

export function nextLiveState(state: LiveState, event: LiveEvent): LiveState {
  switch (event.type) {
    case "connecting":
      return event.isRetry || state === "reconnecting" ? "reconnecting" : "connecting";
    case "connected":
      return "live";
    case "closed":
      if (SESSION_CLOSES.has(event.code)) return "signed-out";
      // 1000 after the last subscription ended (lazy close) is the normal end.
      if (!event.wanted) return "idle";
      return "reconnecting";
  }
}

export const LIVE_LABELS: Record<LiveState, string> = {
  idle: "Live updates idle",
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  "signed-out": "Live updates stopped: sign in again",
};
