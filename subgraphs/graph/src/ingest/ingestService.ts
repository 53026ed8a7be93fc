/**
 * The ingest API's operations, all scoped to the caller's tenant. Each concern
 * has its own file: mappings and their approval (mappingApprovals.ts), new
 * jobs (ingestJobs.ts), reading, watching, cancelling and retrying them
 * (jobControl.ts), the dead-letter store and its replay (deadLetters.ts), and
 * entity resolution's merge decisions with undo (mergeDecisions.ts).
 */
import { systemClock } from "@intelgraph/kit";
import { createDeadLetters } from "./deadLetters.ts";
import { createIngestJobs } from "./ingestJobs.ts";
import { createJobControl } from "./jobControl.ts";
import type { IngestServiceDeps, IngestServiceOptions } from "./ingestServiceDeps.ts";
import { createMappingApprovals } from "./mappingApprovals.ts";
import { createMergeDecisions } from "./mergeDecisions.ts";

export type { IngestServiceOptions } from "./ingestServiceDeps.ts";

export function createIngestService(options: IngestServiceOptions) {
  const { uploadTtlMs = 30 * 60_000, now = systemClock, ...rest } = options;
  const deps: IngestServiceDeps = { ...rest, uploadTtlMs, now };
  const approvals = createMappingApprovals(deps);
  const jobs = createJobControl(deps);
  return {
    ...approvals,
    ...createIngestJobs(deps, approvals),
    ...jobs,
    ...createDeadLetters(deps, jobs, approvals),
    ...createMergeDecisions(deps),
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
