/**
 * Confidence scoring (scoreModel.ts: the model; docs/threat-intel.md):
 * the tenant settings, the score store, the API, and when scores are
 * recomputed — after every ingest job (what it wrote, from the worker's
 * job-finished event, whichever process ran the job), when a source's grade
 * or an indicator's feedback changes, on demand, and hourly for every tenant
 * (`graph.scores`: age decay moves scores even when nothing else changes).
 */
import type { IntelModule, IntelModuleDeps } from "../intel/intelModule.ts";
import { JOB_FINISHED_TOPIC } from "../ingest/progressTopic.ts";
import { SUPPRESSION_REAPPLY_TOPIC } from "../suppression/suppressionTriggers.ts";
import { createScoreRecompute } from "./scoreRecompute.ts";
import { scoringResolvers } from "./scoringResolvers.ts";
import { createScoringService } from "./scoringService.ts";
import { createScoringSettings } from "./scoringSettings.ts";
import { createScoreStore } from "./scoreStore.ts";

export { scoringTypeDefs } from "./scoringTypeDefs.ts";

/**
 * The hourly recompute (minute 30 of every hour, UTC). A slot missed while
 * the process was down is skipped, not run at start: the next hour's run
 * catches up, and a start (every test platform's) does not walk every
 * tenant of a shared Neo4j with its own settings store.
 */
export const SCORES_JOB = { name: "graph.scores", cron: "30 * * * *", missed: "skip" } as const;

interface JobFinished {
  tenantId: string;
  jobId: string;
  state: string;
}

export function createScoringParts(
  deps: Pick<IntelModuleDeps, "db" | "driver" | "database" | "now" | "logger"> &
    Partial<Pick<IntelModuleDeps, "pubsub">> & { batchSize?: number },
) {
  const logger = deps.logger.child({ feature: "scoring" });
  const settings = createScoringSettings({ db: deps.db, now: deps.now });
  const store = createScoreStore({ driver: deps.driver, database: deps.database });
  const { pubsub } = deps;
  // Suppression rules on scores (scoreBelow) are re-applied when scores move.
  const onRescored = pubsub ? (tenantId: string) => pubsub.publish(SUPPRESSION_REAPPLY_TOPIC, { tenantId }) : undefined;
  const recompute = createScoreRecompute({
    store,
    settings,
    now: deps.now,
    logger,
    ...(onRescored ? { onRescored } : {}),
    ...(deps.batchSize ? { batchSize: deps.batchSize } : {}),
  });
  const service = createScoringService({ settings, store, recompute, now: deps.now });
  return { logger, settings, store, recompute, service };
}

export async function createScoringModule(deps: IntelModuleDeps): Promise<IntelModule> {
  const { logger, settings, recompute, service } = createScoringParts(deps);
  await settings.ensureIndexes();

  deps.scheduler.add({ ...SCORES_JOB, run: async ({ signal }) => void (await recompute.all(signal)) });

  const finished = deps.pubsub.subscribe<JobFinished>(JOB_FINISHED_TOPIC);
  const listening = (async () => {
    for await (const event of finished) {
      if (!event?.tenantId || !event.jobId) continue;
      await recompute
        .forTenant(event.tenantId, { jobId: event.jobId })
        .catch((error) => logger.warn({ err: error, jobId: event.jobId }, "rescoring an ingest job's indicators failed"));
    }
  })().catch((error) => logger.warn({ err: error }, "scoring stopped listening for finished ingest jobs"));

  return {
    resolvers: scoringResolvers(service),
    async stop() {
      await finished.return?.();
      await listening;
    },
  };
}
