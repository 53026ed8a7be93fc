/** The pubsub topic a job's progress (every checkpoint and state change) is published on. */
export const progressTopic = (jobId: string) => `ingestProgress.${jobId}`;

/** Every job's end (any tenant, any state), `{ tenantId, jobId, state }`: scoring rescoring what the job wrote listens here. */
export const JOB_FINISHED_TOPIC = "ingestJobFinished";
