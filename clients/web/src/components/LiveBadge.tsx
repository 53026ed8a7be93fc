import { LIVE_LABELS, type LiveState } from "../api/liveState.ts";

/** The live connection's state, always visible in the header; announced to screen readers when it changes. */
export function LiveBadge(props: { state: LiveState }) {
  return (
    <span class="live-badge" data-state={props.state} role="status" aria-live="polite" data-testid="live-state">
      <span class="live-dot" aria-hidden="true" />
      {LIVE_LABELS[props.state]}
    </span>
  );
}
