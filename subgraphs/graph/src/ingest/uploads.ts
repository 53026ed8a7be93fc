/**
 * Signed upload URLs. `createIngestJob` returns `PUT /uploads/<token>`; the
 * gateway serves that path with this handler, which streams the body into
 * GridFS (never the whole file in memory), hashes and counts it on the way,
 * and queues the job once the file is complete. The token is the capability:
 * HMAC-signed, bound to one job and tenant, short-lived, and single-use (the job
 * leaves AWAITING_UPLOAD).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { signToken, systemClock, verifyToken, type Clock, type Logger, type TokenFailure } from "@intelgraph/kit";
import type { IngestStore } from "./ingestStore.ts";

export const UPLOAD_PATH_PREFIX = "/uploads/";

interface UploadClaims {
  jobId: string;
  tenantId: string;
  /** Expiry, epoch ms. */
  exp: number;
}

const PURPOSE = "ingest-upload";
const UPLOAD_FAILURES: Record<TokenFailure, string> = {
  malformed: "This upload link is malformed.",
  invalid: "This upload link is not valid.",
  expired: "This upload link has expired; create a new ingest job.",
};

export const signUploadToken = (key: string, claims: UploadClaims): string => signToken(key, PURPOSE, claims);

export function verifyUploadToken(key: string, token: string, now = Date.now()): UploadClaims | { error: string } {
  const verified = verifyToken<UploadClaims>(key, PURPOSE, token, now);
  return "failure" in verified ? { error: UPLOAD_FAILURES[verified.failure] } : verified;
}

export interface UploadHandlerOptions {
  store: IngestStore;
  /** The key upload tokens are signed with (the principal key, under its own purpose prefix). */
  key: string;
  logger: Logger;
  /**
   * Largest accepted file, bytes.
   * @default 2 * 1024 ** 3 (2 GiB)
   */
  maxBytes?: number;
  /** Told when a job is queued, so a worker in this process can start at once. */
  onQueued?: (jobId: string) => void;
  /**
   * The clock link expiry, the upload lock and timestamps are read from.
   * @default systemClock
   */
  now?: Clock;
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>) {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const failure = (code: string, message: string) => ({ error: { code, message } });

/** Handles `PUT /uploads/<token>`; answers JSON `{ jobId, bytes, sha256 }` or `{ error: { code, message } }`. */
export function createUploadHandler(options: UploadHandlerOptions) {
  const { store, logger, maxBytes = 2 * 1024 ** 3, now: clock = systemClock } = options;

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "PUT" && req.method !== "POST") return reply(res, 405, failure("BAD_USER_INPUT", "Upload the file with PUT."));
    const token = decodeURIComponent((req.url ?? "").split("?")[0]!.split("/").pop() ?? "");
    const claims = verifyUploadToken(options.key, token, clock());
    if ("error" in claims) return reply(res, 401, failure("UNAUTHENTICATED", claims.error));
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes)
      return reply(res, 413, failure("BAD_USER_INPUT", `The file is ${declared} bytes; the limit is ${maxBytes}.`));

    const jobs = store.jobs.forTenant(claims.tenantId);
    const now = new Date(clock());
    // Take the upload: one at a time per job, and only while the job waits for it.
    const job = await jobs.findOneAndUpdate(
      { _id: claims.jobId, state: "AWAITING_UPLOAD", $or: [{ uploadLockUntil: { $exists: false } }, { uploadLockUntil: { $lt: now } }] },
      { $set: { uploadLockUntil: new Date(now.getTime() + 30 * 60_000) } },
    );
    if (!job) {
      const existing = await jobs.findOne({ _id: claims.jobId });
      if (!existing) return reply(res, 404, failure("NOT_FOUND", "No such ingest job."));
      return reply(
        res,
        409,
        failure("CONFLICT", `This job's file is already ${existing.state === "AWAITING_UPLOAD" ? "being uploaded" : "uploaded"}.`),
      );
    }
    // A crash mid-upload can leave chunks behind; they would collide with this upload's.
    await store.uploads.delete(job._id as never).catch(() => undefined);
    await store.raw.jobs.db.collection("ingest_uploads.chunks").deleteMany({ files_id: job._id });

    let bytes = 0;
    const hash = createHash("sha256");
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) return done(new Error(`the file is larger than the limit of ${maxBytes} bytes`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const upload = store.uploads.openUploadStreamWithId(job._id as never, job.source, { metadata: { tenantId: job.tenantId } });
    try {
      await pipeline(req, meter, upload);
    } catch (error) {
      await upload.abort().catch(() => undefined);
      await jobs.updateOne({ _id: job._id }, { $unset: { uploadLockUntil: "" } });
      logger.warn({ err: error, jobId: job._id }, "upload failed");
      const tooLarge = bytes > maxBytes;
      return reply(res, tooLarge ? 413 : 400, failure("BAD_USER_INPUT", `The upload did not complete: ${(error as Error).message}.`));
    }
    const sha256 = hash.digest("hex");
    await jobs.updateOne(
      { _id: job._id },
      {
        $set: { state: "QUEUED", uploadedAt: new Date(clock()), bytesTotal: bytes, sha256, updatedAt: new Date(clock()) },
        $unset: { uploadLockUntil: "" },
      },
    );
    options.onQueued?.(job._id);
    reply(res, 200, { jobId: job._id, bytes, sha256, state: "QUEUED" });
  };
}
