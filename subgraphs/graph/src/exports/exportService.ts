/**
 * Exporting a published report version: residency first (a destination
 * outside the tenant's region fails closed with RESIDENCY_MISMATCH and
 * nothing is gathered or stored), the validator again (new broken links block
 * with REPORT_INVALID), then the document is built, redacted, rendered (PDF,
 * Markdown or JSON) and stored with a manifest of sha256 checksums, and a
 * signed link that expires is returned. The request is audited by kit's
 * auditMutations; every download by the download handler.
 */
import { createHash, randomUUID } from "node:crypto";
import { Binary, type Db } from "mongodb";
import { z } from "zod";
import {
  appError,
  createTenantRepository,
  ErrorCode,
  requireResidency,
  requireUser,
  systemClock,
  validateInput,
  type BillingGuard,
  type Clock,
  type Principal,
  type UsageRecorder,
} from "@intelgraph/kit";
import { withoutRestricted } from "../reports/evidenceClearance.ts";
import type { EvidenceLookup, EvidenceLookupDeps } from "../reports/evidenceLookup.ts";
import { markingsParam } from "../visibility.ts";
import type { BrokenLink } from "../reports/reportModel.ts";
import type { ReportService } from "../reports/reportService.ts";
import type { BrandingStore } from "./branding.ts";
import { buildExportDocument } from "./buildExportDocument.ts";
import { DEFAULT_LINK_TTL_MS, downloadUrl } from "./downloadLinks.ts";
import {
  FORMATS,
  LOCALES,
  REPORT_EXPORTS_COLLECTION,
  type ExportDocument,
  type ExportFormat,
  type ReportExportDoc,
  type StoredFile,
} from "./exportModel.ts";
import { redact } from "./redaction.ts";
import { renderPdf } from "./renderPdf.ts";
import { renderJson, renderMarkdown } from "./renderText.ts";

const input = z.object({
  reportId: z.string().trim().min(1).max(100),
  version: z.number().int().min(1).nullish(),
  format: z.enum(FORMATS),
  destinationRegion: z.string().trim().max(40),
  locale: z.enum(LOCALES, { message: `one of ${LOCALES.join(", ")}` }).nullish(),
  redaction: z
    .object({
      emails: z.boolean().nullish(),
      names: z.boolean().nullish(),
      properties: z
        .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,59}$/, "a property name"))
        .max(20)
        .nullish(),
    })
    .nullish(),
});

export interface ExportServiceOptions {
  db: Db;
  lookupDeps: EvidenceLookupDeps;
  lookup: EvidenceLookup;
  reports: ReportService;
  branding: BrandingStore;
  /** The key download links are signed with. */
  linkKey: string;
  /** @default 15 minutes */
  linkTtlMs?: number;
  /** @default systemClock */
  now?: Clock;
  /** Metering (EXPORTS, one per export) and the exports quota and budget. */
  usage?: UsageRecorder;
  billing?: BillingGuard;
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const stored = (name: string, contentType: string, content: Buffer): StoredFile => ({
  name,
  contentType,
  bytes: content.length,
  sha256: sha256(content),
  content: new Binary(content),
});

async function render(format: ExportFormat, document: ExportDocument, at: Date): Promise<StoredFile> {
  const base = `report-v${document.version}`;
  if (format === "PDF") return stored(`${base}.pdf`, "application/pdf", await renderPdf(document, at));
  if (format === "MARKDOWN") return stored(`${base}.md`, "text/markdown; charset=utf-8", Buffer.from(renderMarkdown(document)));
  return stored(`${base}.json`, "application/json", Buffer.from(renderJson(document)));
}

/** Broken links not accepted when the version was published (a forced version may still export its accepted ones). */
const newlyBroken = (now: BrokenLink[], accepted: BrokenLink[]) => {
  const known = new Set(accepted.map((b) => `${b.location}|${b.kind}|${b.ref}`));
  return now.filter((b) => !known.has(`${b.location}|${b.kind}|${b.ref}`));
};

export function createExportService(options: ExportServiceOptions) {
  const { now = systemClock, linkTtlMs = DEFAULT_LINK_TTL_MS } = options;
  const exports = createTenantRepository<ReportExportDoc>(options.db, REPORT_EXPORTS_COLLECTION, {
    indexes: [{ key: { reportId: 1, createdAt: -1 } }],
  });
  const link = (doc: ReportExportDoc, caller: { userId: string; kind: "user" | "token" }) => {
    const exp = now() + linkTtlMs;
    const claims = { exportId: doc._id, tenantId: doc.tenantId, userId: caller.userId, kind: caller.kind, exp };
    return { url: downloadUrl(options.linkKey, claims), expiresAt: new Date(exp) };
  };

  return {
    ensureIndexes: () => Promise.all([exports.ensureIndexes(), options.branding.ensureIndexes()]).then(() => undefined),

    async export(principal: Principal, raw: unknown) {
      const caller = requireUser(principal);
      const args = validateInput(input, raw);
      // An export is expensive: refused before any work over the exports quota or a spent budget.
      await options.billing?.check(caller.tenantId, "EXPORTS", { expensive: true });
      // Residency first: nothing is gathered, rendered or stored for a destination the data may not go to.
      const residency = await requireResidency(options.db, caller.tenantId, args.destinationRegion);
      const latest = args.version ?? (await options.reports.get(principal, args.reportId))?.latestVersion;
      if (!latest)
        throw appError(ErrorCode.NOT_FOUND, `Report ${args.reportId} has no published version in your tenant; publish it first.`, {
          reportId: args.reportId,
        });
      // The version as the exporter may see it, without the evidence above their clearance (left out, and counted).
      const { content: version, withheld } = withoutRestricted((await options.reports.version(principal, args.reportId, latest, true))!);
      const broken = newlyBroken(await options.reports.validateContent(principal, version), version.brokenAtPublish);
      if (broken.length)
        throw appError(
          ErrorCode.REPORT_INVALID,
          `Version ${version.version} has ${broken.length} broken link${broken.length === 1 ? "" : "s"} since it was published: ${broken.map((b) => `${b.location}: ${b.reason}`).join(" ")} Fix the draft and publish a new version.`,
          { broken },
        );
      const at = new Date(now());
      const locale = args.locale ?? "en-US";
      const branding = await options.branding.forExport(caller.tenantId, residency.legalEntity);
      const scope = { tenantId: caller.tenantId, markings: markingsParam(principal) };
      const built = await buildExportDocument(options.lookupDeps, options.lookup, scope, {
        version,
        withheld,
        branding,
        residency,
        locale,
        generatedAt: at,
      });
      const { document, log } = redact(built.document, args.redaction ?? {}, built.subjects);
      const main = await render(args.format, document, at);
      const manifest = {
        exportId: randomUUID(),
        tenantId: caller.tenantId,
        reportId: version.reportId,
        version: version.version,
        format: args.format,
        locale,
        residency,
        marking: document.marking,
        withheldEvidence: withheld,
        requestedBy: caller.userId,
        createdAt: at.toISOString(),
        files: [{ name: main.name, contentType: main.contentType, bytes: main.bytes, sha256: main.sha256 }],
        redaction: { rules: args.redaction ?? {}, log },
        provenance: { items: document.provenance.length },
      };
      const manifestFile = stored("manifest.json", "application/json", Buffer.from(JSON.stringify(manifest, null, 2)));
      const doc = await exports.forTenant(caller.tenantId).insertOne({
        _id: manifest.exportId,
        reportId: version.reportId,
        version: version.version,
        format: args.format,
        locale,
        residency,
        marking: document.marking,
        files: [main, manifestFile],
        mainFile: main.name,
        manifestSha256: manifestFile.sha256,
        redactions: log,
        requestedBy: caller.userId,
        createdAt: at,
      });
      options.usage?.record({ tenantId: caller.tenantId, quantities: { EXPORTS: 1 }, key: `export:${doc._id}` });
      return { doc, download: link(doc, caller) };
    },

    async newLink(principal: Principal, exportId: string) {
      const caller = requireUser(principal);
      const doc = await exports.forTenant(caller.tenantId).findOne({ _id: exportId });
      if (!doc) throw appError(ErrorCode.NOT_FOUND, `No report export ${exportId} in your tenant.`, { exportId });
      return link(doc, caller);
    },

    async list(principal: Principal, reportId: string): Promise<ReportExportDoc[]> {
      const caller = requireUser(principal);
      return exports
        .forTenant(caller.tenantId)
        .find({ reportId } as never, { sort: { createdAt: -1 }, limit: 100, projection: { "files.content": 0 } });
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
