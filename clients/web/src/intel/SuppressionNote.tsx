import { Link } from "../components/Link.tsx";
import type { IndicatorState } from "../entities/entityOf.ts";
import { formatTimestamp } from "../lib/format.ts";
import { hrefFor } from "../lib/route.ts";

/** Says that a rule hides this indicator from lists, answers and exports, and which one. */
export function SuppressionNote(props: { state: IndicatorState }) {
  return (
    <p class="notice" role="note" data-testid="suppression-note">
      Suppressed by rule <code>{props.state.suppressedBy ?? "?"}</code> since {formatTimestamp(props.state.suppressedAt)}: left out of
      indicator lists, answers and exports. <Link href={hrefFor({ name: "suppression-rules" })}>Suppression rules</Link>
    </p>
  );
}
