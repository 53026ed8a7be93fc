/** The pubsub topic a job's progress (every checkpoint and state change) is published on. */
export const progressTopic = (jobId: string) => `ingestProgress.${jobId}`;
