import { createSignal, onCleanup } from "solid-js";
import { formatTimestamp } from "../lib/format.ts";
import { describeExpiry } from "./exportView.ts";

/** A signed download link (gateway-relative, GET, no other credentials) with its expiry, kept current. */
export function DownloadLink(props: { url: string; expiresAt: string; label: string }) {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 15_000);
  onCleanup(() => clearInterval(timer));
  const expired = () => Date.parse(props.expiresAt) <= now();
  return (
    <span class="download">
      <a class="download-link" href={props.url} download="" aria-disabled={expired() ? "true" : undefined} data-testid="download-link">
        {props.label}
      </a>{" "}
      <span class="muted" data-testid="link-expiry">
        <time datetime={props.expiresAt} title={formatTimestamp(props.expiresAt)}>
          {describeExpiry(props.expiresAt, now())}
        </time>
      </span>
    </span>
  );
}
