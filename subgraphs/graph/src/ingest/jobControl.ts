/**
 * Ingest jobs once created: read, listed, watched (progress), cancelled and
 * retried, always within the caller's tenant.
 */
import { appError, ErrorCode, pageSize, requireUser, type AuthenticatedPrincipal, type Principal } from "@intelgraph/kit";
import { notFound, type IngestServiceDeps } from "./ingestServiceDeps.ts";
import { TERMINAL_STATES, type JobDoc } from "./ingestStore.ts";
import { progressTopic } from "./progressTopic.ts";

export function createJobControl(deps: IngestServiceDeps) {
  const { store, now } = deps;

  async function jobFor(caller: AuthenticatedPrincipal, id: string): Promise<JobDoc> {
    return (await store.jobs.forTenant(caller.tenantId).findOne({ _id: id })) ?? notFound("ingest job", id);
  }

  return {
    jobFor,

    async job(principal: Principal, input: { id: string }): Promise<JobDoc | null> {
      const caller = requireUser(principal);
      return store.jobs.forTenant(caller.tenantId).findOne({ _id: input.id });
    },

    /**
     * The job now, then every update published for it until it ends. Checked
     * before the stream starts (NOT_FOUND), so a refusal reaches the client as
     * an error, not a dead stream.
     */
    async watchJob(principal: Principal, input: { jobId: string }): Promise<AsyncGenerator<JobDoc>> {
      const caller = requireUser(principal);
      const { jobId } = input;
      // Subscribe before reading, so no update falls between the read and the stream.
      const updates = deps.pubsub.subscribe<JobDoc>(progressTopic(jobId));
      const job = await store.jobs.forTenant(caller.tenantId).findOne({ _id: jobId });
      if (!job) {
        await updates.return?.();
        throw appError(ErrorCode.NOT_FOUND, `No ingest job with id ${jobId} in your tenant.`, { id: jobId });
      }
      return (async function* () {
        try {
          yield job;
          if (TERMINAL_STATES.includes(job.state)) return;
          for await (const update of updates) {
            if (update.tenantId !== caller.tenantId) continue;
            yield update;
            if (TERMINAL_STATES.includes(update.state)) return;
          }
        } finally {
          await updates.return?.();
        }
      })();
    },

    async listJobs(principal: Principal, input: { first?: number | null; state?: string | null }): Promise<JobDoc[]> {
      const caller = requireUser(principal);
      const limit = pageSize(input.first);
      return store.jobs
        .forTenant(caller.tenantId)
        .find(input.state ? { state: input.state as JobDoc["state"] } : {}, { sort: { createdAt: -1 }, limit });
    },

    /** Queued jobs end at once; a running job stops at its next batch (what landed stays, with provenance). */
    async cancelJob(principal: Principal, input: { id: string }): Promise<JobDoc> {
      const caller = requireUser(principal);
      const { id } = input;
      const jobs = store.jobs.forTenant(caller.tenantId);
      const job = await jobFor(caller, id);
      if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.state))
        throw appError(ErrorCode.CONFLICT, `The job has already ended (${job.state}).`, { id, state: job.state });
      const at = new Date(now());
      const ended = await jobs.findOneAndUpdate(
        { _id: id, state: { $in: ["AWAITING_UPLOAD", "QUEUED"] } },
        { $set: { state: "CANCELLED", cancelRequested: true, finishedAt: at, updatedAt: at } },
      );
      if (ended) {
        await deps.pubsub.publish(progressTopic(ended._id), ended);
        return ended;
      }
      return (await jobs.findOneAndUpdate({ _id: id }, { $set: { cancelRequested: true, updatedAt: at } }))!;
    },

    /** A failed job goes back to the queue and resumes from its checkpoint. */
    async retryJob(principal: Principal, input: { id: string }): Promise<JobDoc> {
      const caller = requireUser(principal);
      const { id } = input;
      const job = await jobFor(caller, id);
      if (job.state !== "FAILED") throw appError(ErrorCode.CONFLICT, `Only a failed job can be retried; this one is ${job.state}.`, { id });
      const queued = await store.jobs
        .forTenant(caller.tenantId)
        .findOneAndUpdate(
          { _id: id, state: "FAILED" },
          { $set: { state: "QUEUED", updatedAt: new Date(now()) }, $unset: { error: "", finishedAt: "" } },
        );
      deps.kick?.();
      return queued ?? (await jobFor(caller, id));
    },
  };
}

export type JobControl = ReturnType<typeof createJobControl>;
