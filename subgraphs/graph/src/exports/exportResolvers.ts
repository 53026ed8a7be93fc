import { DEFAULT_ENTITY_MARKING, requireUser, type RequestContext } from "@intelgraph/kit";
import { DEFAULT_ACCENT, type BrandingStore } from "./branding.ts";
import type { ReportExportDoc } from "./exportModel.ts";
import type { ExportService } from "./exportService.ts";

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const linkView = (l: { url: string; expiresAt: Date }) => ({ url: l.url, expiresAt: iso(l.expiresAt) });

const exportView = (e: ReportExportDoc, download: { url: string; expiresAt: Date } | null = null) => ({
  id: e._id,
  reportId: e.reportId,
  version: e.version,
  format: e.format,
  locale: e.locale,
  residency: e.residency,
  marking: e.marking ?? DEFAULT_ENTITY_MARKING,
  files: e.files.map(({ name, contentType, bytes, sha256 }) => ({ name, contentType, bytes, sha256 })),
  manifestSha256: e.manifestSha256,
  redactions: e.redactions,
  download: download && linkView(download),
  requestedBy: e.requestedBy,
  createdAt: iso(e.createdAt),
});

type Stored = NonNullable<Awaited<ReturnType<BrandingStore["get"]>>>;
const brandingView = (b: Stored | null) =>
  b
    ? {
        name: b.name,
        footer: b.footer,
        accentColor: b.accentColor,
        hasLogo: Boolean(b.logo),
        updatedBy: b.updatedBy,
        updatedAt: iso(b.updatedAt),
      }
    : { name: "", footer: null, accentColor: DEFAULT_ACCENT, hasLogo: false, updatedBy: null, updatedAt: null };

/** Resolvers for report exports and branding: one service call each, the views and the audit hints. */
export function exportResolvers(exports: ExportService, branding: BrandingStore) {
  return {
    Query: {
      reportExports: async (_: unknown, { reportId }: { reportId: string }, ctx: RequestContext) =>
        (await exports.list(ctx.principal, reportId)).map((e) => exportView(e)),
      reportBranding: async (_: unknown, __: unknown, ctx: RequestContext) =>
        brandingView(await branding.get(requireUser(ctx.principal).tenantId)),
    },
    Mutation: {
      exportReport: async (_: unknown, { input }: { input: unknown }, ctx: RequestContext) => {
        const { doc, download } = await exports.export(ctx.principal, input);
        ctx.auditHints.targetType = "ReportExport";
        ctx.auditHints.targetIds = [doc._id, doc.reportId];
        return exportView(doc, download);
      },
      reportExportLink: async (_: unknown, { exportId }: { exportId: string }, ctx: RequestContext) => {
        ctx.auditHints.targetType = "ReportExport";
        ctx.auditHints.targetIds = [exportId];
        return linkView(await exports.newLink(ctx.principal, exportId));
      },
      setReportBranding: async (_: unknown, { input }: { input: unknown }, ctx: RequestContext) => {
        ctx.auditHints.targetType = "ReportBranding";
        return brandingView(await branding.set(ctx.principal, input));
      },
    },
  };
}
