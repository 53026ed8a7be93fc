/**
 * Signed, expiring download links for report exports. `exportReport` and
 * `reportExportLink` return `GET /exports/<token>`; the gateway serves that
 * path with this handler, which needs no other credentials: the token is the
 * capability — HMAC-signed under its own purpose, bound to one export, tenant
 * and requester, and short-lived (15 minutes by default). Every download is
 * audited; an expired link answers 410 with LINK_EXPIRED, and nothing else of
 * the export is revealed.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Db } from "mongodb";
import {
  createTenantRepository,
  signToken,
  systemClock,
  verifyToken,
  type AuditRecorder,
  type Clock,
  type Logger,
  type TokenFailure,
} from "@intelgraph/kit";
import { REPORT_EXPORTS_COLLECTION, type ReportExportDoc } from "./exportModel.ts";

export const EXPORT_PATH_PREFIX = "/exports/";
export const DEFAULT_LINK_TTL_MS = 15 * 60_000;

export interface DownloadClaims {
  exportId: string;
  tenantId: string;
  /** Who asked for the link (a person or an API token's owner): downloads are audited as theirs. */
  userId: string;
  kind?: "user" | "token";
  /** Expiry, epoch ms. */
  exp: number;
}

const PURPOSE = "report-export";
const DOWNLOAD_FAILURES: Record<TokenFailure, string> = {
  malformed: "This download link is malformed.",
  invalid: "This download link is not valid.",
  expired: "This download link has expired; ask for a new one (reportExportLink).",
};

export const signDownloadToken = (key: string, claims: DownloadClaims): string => signToken(key, PURPOSE, claims);

export function verifyDownloadToken(key: string, token: string, now: number): DownloadClaims | { error: string; expired?: true } {
  const verified = verifyToken<DownloadClaims>(key, PURPOSE, token, now);
  if (!("failure" in verified)) return verified;
  return { error: DOWNLOAD_FAILURES[verified.failure], ...(verified.failure === "expired" ? { expired: true as const } : {}) };
}

/** A link for `claims`, relative to the gateway. */
export const downloadUrl = (key: string, claims: DownloadClaims) => `${EXPORT_PATH_PREFIX}${signDownloadToken(key, claims)}`;

export interface DownloadHandlerOptions {
  db: Db;
  /** The key links are signed with (the principal key, under its own purpose prefix). */
  key: string;
  audit: AuditRecorder;
  logger: Logger;
  /** @default systemClock */
  now?: Clock;
}

function fail(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ error: { code, message } }));
}

/** Handles `GET /exports/<token>[?file=manifest.json]`: the export's report file, or another of its files by name. */
export function createDownloadHandler(options: DownloadHandlerOptions) {
  const { now = systemClock } = options;
  const exports = createTenantRepository<ReportExportDoc>(options.db, REPORT_EXPORTS_COLLECTION);

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "GET" && req.method !== "HEAD") return fail(res, 405, "BAD_USER_INPUT", "Download the file with GET.");
    const url = new URL(req.url ?? "/", "http://localhost");
    const token = decodeURIComponent(url.pathname.split("/").pop() ?? "");
    const claims = verifyDownloadToken(options.key, token, now());
    if ("error" in claims) return fail(res, claims.expired ? 410 : 401, claims.expired ? "LINK_EXPIRED" : "UNAUTHENTICATED", claims.error);
    const doc = await exports.forTenant(claims.tenantId).findOne({ _id: claims.exportId });
    if (!doc) return fail(res, 404, "NOT_FOUND", "This export no longer exists.");
    const name = url.searchParams.get("file") ?? doc.mainFile;
    const file = doc.files.find((f) => f.name === name);
    if (!file) return fail(res, 404, "NOT_FOUND", `This export has no file ${name}; it has ${doc.files.map((f) => f.name).join(", ")}.`);
    await options.audit.record({
      tenantId: claims.tenantId,
      actor: { userId: claims.userId, kind: claims.kind ?? "user" },
      action: "downloadReportExport",
      service: "graph",
      targetType: "ReportExport",
      targetIds: [doc._id, doc.reportId],
      outcome: "success",
      errorCode: null,
      requestId: String(req.headers["x-request-id"] ?? ""),
      arguments: { file: file.name, sha256: file.sha256, version: doc.version },
    });
    res.writeHead(200, {
      "content-type": file.contentType,
      "content-length": String(file.bytes),
      "content-disposition": `attachment; filename="${file.name}"`,
      "cache-control": "no-store",
      "x-content-sha256": file.sha256,
    });
    res.end(req.method === "HEAD" ? undefined : Buffer.from(file.content.buffer));
  };
}
