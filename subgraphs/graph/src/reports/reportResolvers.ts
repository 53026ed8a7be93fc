import DataLoader from "dataloader";
import type { RequestContext } from "@intelgraph/kit";
import type { CitableSearch } from "./citableSearch.ts";
import { isRestricted } from "./evidenceClearance.ts";
import type { Annotation, BrokenLink, QuerySnapshotDoc, ReportContent, ReportDoc, ReportVersionDoc } from "./reportModel.ts";
import type { ReportService } from "./reportService.ts";

const iso = (d: Date | string) => new Date(d).toISOString();

const annotationView = (a: Annotation) => ({ ...a, at: iso(a.at) });

const contentView = (c: ReportContent) => ({
  title: c.title,
  sections: c.sections,
  findings: c.findings.map((f, i) => ({
    ...f,
    number: i + 1,
    evidence: f.evidence.map((e) => ({ ...e, restricted: isRestricted(e) })),
  })),
  annotations: c.annotations.map(annotationView),
});

export const reportView = (r: ReportDoc) => ({
  ...contentView(r),
  id: r._id,
  status: r.latestVersion ? "PUBLISHED" : "DRAFT",
  revision: r.revision,
  latestVersion: r.latestVersion,
  createdBy: r.createdBy,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

export const versionView = (v: ReportVersionDoc) => ({
  ...contentView(v),
  id: v._id,
  reportId: v.reportId,
  version: v.version,
  publishedBy: v.publishedBy,
  publishedAt: iso(v.publishedAt),
  forced: v.forced,
  justification: v.justification,
  brokenAtPublish: v.brokenAtPublish,
});

const snapshotView = (s: QuerySnapshotDoc) => ({ ...s, id: s._id, rowCount: s.rows.length, capturedAt: iso(s.capturedAt) });
const validationView = (v: { valid: boolean; broken: BrokenLink[]; checkedAt: Date }) => ({ ...v, checkedAt: iso(v.checkedAt) });

function hint(ctx: RequestContext, targetType: string, ids: string[]) {
  ctx.auditHints.targetType = targetType;
  ctx.auditHints.targetIds = ids;
}

/** Resolvers for reports: one service call each, the views and the audit hints. */
export function reportResolvers(reports: ReportService, citable: CitableSearch) {
  // One loader per request (keyed by its context): a list of reports reads their versions in one query.
  const loaders = new WeakMap<RequestContext, DataLoader<string, ReportVersionDoc[]>>();
  const versionsLoader = (ctx: RequestContext) => {
    let loader = loaders.get(ctx);
    if (!loader) {
      const principal = ctx.principal;
      loader = new DataLoader((ids: readonly string[]) => reports.versionsOf(principal, ids));
      loaders.set(ctx, loader);
    }
    return loader;
  };
  return {
    Report: {
      versions: async (r: { id: string }, _: unknown, ctx: RequestContext) => (await versionsLoader(ctx).load(r.id)).map(versionView),
    },
    Query: {
      reports: async (_: unknown, args: { status?: "DRAFT" | "PUBLISHED" | null; first?: number | null }, ctx: RequestContext) =>
        (await reports.list(ctx.principal, args)).map(reportView),
      report: async (_: unknown, { id }: { id: string }, ctx: RequestContext) => {
        const r = await reports.get(ctx.principal, id);
        return r && reportView(r);
      },
      reportVersion: async (_: unknown, args: { reportId: string; version: number }, ctx: RequestContext) => {
        const v = await reports.version(ctx.principal, args.reportId, args.version);
        return v && versionView(v);
      },
      validateReport: async (_: unknown, args: { id: string; version?: number | null }, ctx: RequestContext) =>
        validationView(await reports.validate(ctx.principal, args)),
      citableItems: (_: unknown, args: unknown, ctx: RequestContext) => citable.search(ctx.principal, args),
      querySnapshot: async (_: unknown, { id }: { id: string }, ctx: RequestContext) => {
        const s = await reports.snapshot(ctx.principal, id);
        return s && snapshotView(s);
      },
    },
    Mutation: {
      createReport: async (_: unknown, { input }: { input: unknown }, ctx: RequestContext) => {
        const r = await reports.create(ctx.principal, input);
        hint(ctx, "Report", [r._id]);
        return reportView(r);
      },
      updateReportDraft: async (_: unknown, args: { id: string; expectedRevision: number; input: unknown }, ctx: RequestContext) => {
        hint(ctx, "Report", [args.id]);
        return reportView(await reports.updateDraft(ctx.principal, args.id, args.expectedRevision, args.input));
      },
      addReportFinding: async (_: unknown, args: { reportId: string; finding: unknown }, ctx: RequestContext) => {
        hint(ctx, "Report", [args.reportId]);
        return reportView(await reports.addFinding(ctx.principal, args.reportId, args.finding));
      },
      annotateEvidence: async (_: unknown, { input }: { input: { reportId?: string } }, ctx: RequestContext) => {
        hint(ctx, "Report", input.reportId ? [input.reportId] : []);
        return annotationView(await reports.annotate(ctx.principal, input));
      },
      captureQuerySnapshot: async (_: unknown, args: { question: string; confirm?: boolean | null }, ctx: RequestContext) => {
        const s = await reports.captureSnapshot(ctx, args);
        hint(ctx, "QuerySnapshot", [s._id]);
        return snapshotView(s);
      },
      publishReport: async (_: unknown, { input }: { input: { reportId?: string } }, ctx: RequestContext) => {
        hint(ctx, "Report", input.reportId ? [input.reportId] : []);
        return versionView(await reports.publish(ctx.principal, input));
      },
    },
  };
}
