import type { JobProgressFragment } from "../api/generated/graphql.ts";
import { Stat } from "../components/Stat.tsx";
import { formatBytes, formatDuration, formatPercent, formatRate } from "../lib/format.ts";
import { isJobEnded } from "./jobProgress.ts";

/** How far, how fast and how much longer: done, rate, ETA and bytes read. */
export function JobStats(props: { job: JobProgressFragment; fraction: number | null }) {
  return (
    <dl class="stats">
      <Stat label="Done" testId="job-percent">
        {formatPercent(props.fraction)}
      </Stat>
      <Stat label="Rate" testId="job-rate">
        {formatRate(props.job.progress.ratePerSecond)}
      </Stat>
      <Stat label="ETA" testId="job-eta">
        {isJobEnded(props.job) ? "—" : formatDuration(props.job.progress.etaSeconds)}
      </Stat>
      <Stat label="Read">
        {formatBytes(props.job.progress.bytesRead)} of {formatBytes(props.job.progress.bytesTotal)}
      </Stat>
    </dl>
  );
}
