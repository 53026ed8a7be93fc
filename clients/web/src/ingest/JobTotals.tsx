import type { JobProgressFragment } from "../api/generated/graphql.ts";
import { Stat } from "../components/Stat.tsx";
import { formatCount } from "../lib/format.ts";

/** What the job has done so far: records read, written, dead-lettered and skipped, and what they made of the graph. */
export function JobTotals(props: { totals: JobProgressFragment["totals"] }) {
  return (
    <dl class="stats totals" data-testid="job-totals">
      <Stat label="Records read" testId="total-recordsRead">
        {formatCount(props.totals.recordsRead)}
      </Stat>
      <Stat label="Written" testId="total-recordsWritten">
        {formatCount(props.totals.recordsWritten)}
      </Stat>
      <Stat label="Dead-lettered" testId="total-deadLettered">
        {formatCount(props.totals.deadLettered)}
      </Stat>
      <Stat label="Skipped">{formatCount(props.totals.skipped)}</Stat>
      <Stat label="Entities created">{formatCount(props.totals.entitiesCreated)}</Stat>
      <Stat label="Merged">{formatCount(props.totals.entitiesMerged)}</Stat>
      <Stat label="Relationships">{formatCount(props.totals.relationshipsWritten)}</Stat>
    </dl>
  );
}
