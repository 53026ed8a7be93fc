/**
 * New ingest jobs: created for an upload (with the link to upload to) or from
 * records sent in the request. Reading, watching, cancelling and retrying them
 * is jobControl.ts; workers run them (worker.ts).
 */
import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { requireUser, validateInput, type AuthenticatedPrincipal, type Principal } from "@intelgraph/kit";
import { decide } from "@intelgraph/policies";
import { createJobInput, ingestRecordsInput } from "./ingestInputs.ts";
import type { IngestServiceDeps } from "./ingestServiceDeps.ts";
import { emptyTotals, type JobDoc, type MappingDoc } from "./ingestStore.ts";
import type { MappingApprovals } from "./mappingApprovals.ts";
import { signUploadToken, UPLOAD_PATH_PREFIX } from "./uploads.ts";

/** Admins (ingest:approve) may ingest through a mapping that is not approved, giving a reason. */
const canOverrideApproval = (principal: Principal) =>
  decide(principal, { kind: "permission", permission: "ingest:approve" }, "approvalOverride").allow;

export function createIngestJobs(deps: IngestServiceDeps, approvals: Pick<MappingApprovals, "mappingFor" | "requireApproved">) {
  const { store, now } = deps;

  function newJob(caller: AuthenticatedPrincipal, mapping: MappingDoc, source: string, extra: Partial<JobDoc>): JobDoc {
    const at = new Date(now());
    return {
      _id: randomUUID(),
      tenantId: caller.tenantId,
      mappingId: mapping._id,
      mappingVersion: mapping.version,
      mappingName: mapping.name,
      format: mapping.format,
      source,
      state: "AWAITING_UPLOAD",
      createdBy: caller.userId,
      createdAt: at,
      attempts: 0,
      checkpoint: { records: 0, bytes: 0 },
      totals: emptyTotals(),
      resumedFrom: 0,
      updatedAt: at,
      ...extra,
    };
  }

  /** The mapping a new job runs through, checked for approval (or an admin's override). */
  async function approvedMapping(caller: AuthenticatedPrincipal, principal: Principal, mappingId: string, override: string | undefined) {
    const mapping = await approvals.mappingFor(caller, mappingId);
    const approvalOverride = await approvals.requireApproved(caller, mapping, override, canOverrideApproval(principal));
    return { mapping, extra: approvalOverride ? { approvalOverride } : {} };
  }

  return {
    /** Creates a job that waits for its file; `uploadFor` says where to PUT it. */
    async createJob(principal: Principal, raw: unknown): Promise<JobDoc> {
      const caller = requireUser(principal);
      const input = validateInput(createJobInput, raw);
      // Refused before anything is stored when the month's records (or the budget) are used up.
      await deps.billing?.check(caller.tenantId, "INGEST_RECORDS", { expensive: true });
      const { mapping, extra } = await approvedMapping(caller, principal, input.mappingId, input.approvalOverride);
      const uploadExpiresAt = new Date(now() + deps.uploadTtlMs);
      const job = newJob(caller, mapping, input.fileName, { uploadExpiresAt, ...extra });
      await store.jobs.forTenant(caller.tenantId).insertOne(job);
      return job;
    },

    /** Where to upload a job's file, while it waits for one and the link has not expired. */
    uploadFor(job: JobDoc) {
      if (job.state !== "AWAITING_UPLOAD" || !job.uploadExpiresAt || job.uploadExpiresAt < new Date(now())) return null;
      const token = signUploadToken(deps.uploadKey, { jobId: job._id, tenantId: job.tenantId, exp: job.uploadExpiresAt.getTime() });
      return { method: "PUT", path: `${UPLOAD_PATH_PREFIX}${token}`, expiresAt: job.uploadExpiresAt };
    },

    /** Records sent in the request (connectors): stored like an upload, then run by a worker. */
    async ingestRecords(principal: Principal, raw: unknown): Promise<JobDoc> {
      const caller = requireUser(principal);
      const input = validateInput(ingestRecordsInput, raw);
      await deps.billing?.check(caller.tenantId, "INGEST_RECORDS", { expensive: true });
      const { mapping, extra } = await approvedMapping(caller, principal, input.mappingId, input.approvalOverride);
      const stix = mapping.format === "STIX";
      const body = stix
        ? JSON.stringify({ type: "bundle", objects: input.records })
        : input.records.map((r) => JSON.stringify(r)).join("\n") + "\n";
      const job = newJob(caller, mapping, input.source, {
        format: stix ? "STIX" : mapping.format === "JSON" ? "NDJSON" : mapping.format === "CSV" ? "NDJSON" : mapping.format,
        ...extra,
      });
      await store.jobs.forTenant(caller.tenantId).insertOne(job);
      const upload = store.uploads.openUploadStreamWithId(job._id as never, job.source, { metadata: { tenantId: job.tenantId } });
      await pipeline(Readable.from([Buffer.from(body)]), upload);
      const queued = await store.jobs.forTenant(caller.tenantId).findOneAndUpdate(
        { _id: job._id },
        {
          $set: {
            state: "QUEUED",
            uploadedAt: new Date(now()),
            bytesTotal: Buffer.byteLength(body),
            sha256: createHash("sha256").update(body).digest("hex"),
          },
        },
      );
      deps.kick?.();
      return queued!;
    },
  };
}

export type IngestJobs = ReturnType<typeof createIngestJobs>;
