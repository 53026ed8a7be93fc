import { formatRelative } from "../lib/format.ts";

/** A timestamp shown relative to now ("5 min ago"), the exact ISO time kept in `datetime`. */
export function RelativeTime(props: { at: string }) {
  return (
    <time class="muted" datetime={props.at}>
      {formatRelative(props.at)}
    </time>
  );
}
