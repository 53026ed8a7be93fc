/**
 * Reports: drafts with sections and findings that cite evidence, query
 * snapshots, the validator, and publishing immutable versions. Every read and
 * write goes through tenant-scoped repositories and the evidence lookup, so a
 * tenant can only cite, validate and publish its own things. Mutations are
 * audited by kit's auditMutations (a forced publish with its justification).
 */
import { randomUUID } from "node:crypto";
import {
  appError,
  createTenantRepository,
  ErrorCode,
  requireUser,
  systemClock,
  validateInput,
  type BillingGuard,
  type Clock,
  type Principal,
  type TenantRepository,
  type UsageRecorder,
} from "@intelgraph/kit";
import type { AskService } from "../ask/askService.ts";
import { createReaderView, readerScope } from "./evidenceClearance.ts";
import type { EvidenceLookup, LookupScope } from "./evidenceLookup.ts";
import { publishDraft } from "./publishReport.ts";
import { createQuerySnapshots } from "./querySnapshots.ts";
import { buildFindings, buildSections, contentOf, keptAnnotations } from "./reportDrafts.ts";
import {
  annotateInput,
  createReportInput,
  draftInput,
  findingInput,
  versionId,
  type Annotation,
  type BrokenLink,
  type ReportContent,
  type ReportDoc,
  type ReportVersionDoc,
} from "./reportModel.ts";
import { brokenLinks, evidenceRefs } from "./validateLinks.ts";

export const REPORTS_COLLECTION = "graph_reports";
export const REPORT_VERSIONS_COLLECTION = "graph_report_versions";

export interface ReportServiceOptions {
  db: import("mongodb").Db;
  lookup: EvidenceLookup;
  ask: AskService;
  /** @default systemClock */
  now?: Clock;
  /** Metering (REPORTS, one per report created) and the REPORTS quota. */
  usage?: UsageRecorder;
  billing?: BillingGuard;
}

/** One REPORTS usage event per report created. */
const meterReport = (usage: UsageRecorder | undefined, tenantId: string) => (doc: ReportDoc) => {
  usage?.record({ tenantId, quantities: { REPORTS: 1 }, key: `report:${doc._id}` });
  return doc;
};

async function validateWith(lookup: EvidenceLookup, scope: LookupScope, content: ReportContent): Promise<BrokenLink[]> {
  const found = await lookup.resolve(scope, evidenceRefs(content));
  const shown = [...new Set([...found.values()].flatMap((f) => (f.status === "live" ? (f.entityIds ?? []) : [])))];
  return brokenLinks(content, found, await lookup.entities(scope, shown));
}

/** A stored published version, as stored (NOT_FOUND when `required` and missing). */
async function findVersion(
  versions: TenantRepository<ReportVersionDoc>,
  principal: Principal,
  reportId: string,
  version: number,
  required: boolean,
) {
  const doc = await versions.forTenant(requireUser(principal).tenantId).findOne({ _id: versionId(reportId, version) });
  if (!doc && required)
    throw appError(ErrorCode.NOT_FOUND, `Report ${reportId} has no published version ${version} in your tenant.`, { reportId, version });
  return doc;
}

export function createReportService(options: ReportServiceOptions) {
  const { lookup, now = systemClock } = options;
  const reports = createTenantRepository<ReportDoc>(options.db, REPORTS_COLLECTION);
  const versions = createTenantRepository<ReportVersionDoc>(options.db, REPORT_VERSIONS_COLLECTION, {
    indexes: [{ key: { reportId: 1, version: -1 } }],
  });

  async function load(tenantId: string, id: string): Promise<ReportDoc> {
    const doc = await reports.forTenant(tenantId).findOne({ _id: id });
    if (!doc) throw appError(ErrorCode.NOT_FOUND, `No report ${id} in your tenant.`, { id });
    return doc;
  }

  /** Replaces the draft if it is still at `expected`; CONFLICT otherwise. */
  async function save(tenantId: string, doc: ReportDoc, expected: number, content: ReportContent): Promise<ReportDoc> {
    const updated = await reports
      .forTenant(tenantId)
      .findOneAndUpdate({ _id: doc._id, revision: expected }, { $set: { ...content, revision: expected + 1, updatedAt: new Date(now()) } });
    if (!updated)
      throw appError(
        ErrorCode.CONFLICT,
        `Report ${doc._id} changed since revision ${expected} (it is at ${(await load(tenantId, doc._id)).revision}); reload it and apply your edit again.`,
        { id: doc._id, expectedRevision: expected },
      );
    return updated;
  }

  const validateContent = (scope: LookupScope, content: ReportContent) => validateWith(lookup, scope, content);
  const { visible, visibleOne } = createReaderView(lookup);

  return {
    ...createQuerySnapshots({ lookup, ask: options.ask, now }),

    async ensureIndexes() {
      await Promise.all([reports.ensureIndexes(), versions.ensureIndexes(), lookup.snapshots.ensureIndexes()]);
    },

    async create(principal: Principal, raw: unknown): Promise<ReportDoc> {
      const caller = requireUser(principal);
      const input = validateInput(createReportInput, raw);
      await options.billing?.check(caller.tenantId, "REPORTS");
      const findings = await buildFindings(lookup, readerScope(principal), input.findings ?? [], []);
      const at = new Date(now());
      const created = reports.forTenant(caller.tenantId).insertOne({
        _id: randomUUID(),
        title: input.title,
        sections: buildSections(input.sections ?? [], []),
        findings,
        annotations: [],
        revision: 1,
        latestVersion: null,
        createdBy: caller.userId,
        createdAt: at,
        updatedAt: at,
      });
      return visibleOne(principal, await created.then(meterReport(options.usage, caller.tenantId)));
    },

    async updateDraft(principal: Principal, id: string, expectedRevision: number, raw: unknown): Promise<ReportDoc> {
      const caller = requireUser(principal);
      const input = validateInput(draftInput, raw);
      const doc = await load(caller.tenantId, id);
      const findings = await buildFindings(lookup, readerScope(principal), input.findings, doc.findings);
      const content = {
        title: input.title,
        sections: buildSections(input.sections, doc.sections),
        findings,
        annotations: keptAnnotations(doc.annotations, findings),
      };
      return visibleOne(principal, await save(caller.tenantId, doc, expectedRevision, content));
    },

    async addFinding(principal: Principal, reportId: string, raw: unknown): Promise<ReportDoc> {
      const caller = requireUser(principal);
      const input = validateInput(findingInput, raw);
      const doc = await load(caller.tenantId, reportId);
      const [finding] = await buildFindings(lookup, readerScope(principal), [{ ...input, id: null }], doc.findings);
      return visibleOne(
        principal,
        await save(caller.tenantId, doc, doc.revision, { ...contentOf(doc), findings: [...doc.findings, finding!] }),
      );
    },

    async annotate(principal: Principal, raw: unknown): Promise<Annotation> {
      const caller = requireUser(principal);
      const input = validateInput(annotateInput, raw);
      const doc = await load(caller.tenantId, input.reportId);
      const finding = doc.findings.find((f) => f.id === input.findingId);
      if (!finding?.evidence.some((e) => e.id === input.evidenceId))
        throw appError(ErrorCode.NOT_FOUND, `Report ${doc._id} has no evidence ${input.evidenceId} in finding ${input.findingId}.`, {
          findingId: input.findingId,
          evidenceId: input.evidenceId,
        });
      const annotation: Annotation = {
        id: randomUUID().slice(0, 8),
        findingId: input.findingId,
        evidenceId: input.evidenceId,
        text: input.text,
        highlight: input.highlight ?? null,
        author: caller.userId,
        at: new Date(now()),
      };
      await save(caller.tenantId, doc, doc.revision, { ...contentOf(doc), annotations: [...doc.annotations, annotation] });
      return annotation;
    },

    async validate(principal: Principal, args: { id: string; version?: number | null }) {
      const caller = requireUser(principal);
      const stored = args.version && (await findVersion(versions, principal, args.id, args.version, true));
      const broken = await validateContent(readerScope(principal), stored || (await load(caller.tenantId, args.id)));
      return { valid: broken.length === 0, broken, checkedAt: new Date(now()) };
    },

    /** The broken links of a version for the caller, for exports: they validate again before anything leaves. */
    validateContent: (principal: Principal, content: ReportContent) => validateContent(readerScope(principal), content),

    publish: async (principal: Principal, raw: unknown) =>
      visibleOne(principal, await publishDraft({ reports, versions, load, validateContent, scopeOf: readerScope, now }, principal, raw)),

    async list(principal: Principal, args: { status?: "DRAFT" | "PUBLISHED" | null; first?: number | null }): Promise<ReportDoc[]> {
      const caller = requireUser(principal);
      const filter =
        args.status === "DRAFT" ? { latestVersion: null } : args.status === "PUBLISHED" ? { latestVersion: { $ne: null } } : {};
      const docs = await reports
        .forTenant(caller.tenantId)
        .find(filter as never, { sort: { updatedAt: -1 }, limit: Math.min(Math.max(args.first ?? 50, 1), 200) });
      return visible(principal, docs);
    },

    async get(principal: Principal, id: string): Promise<ReportDoc | null> {
      const doc = await reports.forTenant(requireUser(principal).tenantId).findOne({ _id: id });
      return doc && visibleOne(principal, doc);
    },

    /** A published version as the caller may see it (evidence above their clearance redacted). */
    async version(principal: Principal, reportId: string, version: number, required = false): Promise<ReportVersionDoc | null> {
      const doc = await findVersion(versions, principal, reportId, version, required);
      return doc && visibleOne(principal, doc);
    },

    /** Every version of each report, newest first, in one read (the Report.versions loader batches by request). */
    async versionsOf(principal: Principal, reportIds: readonly string[]): Promise<ReportVersionDoc[][]> {
      const found = await versions
        .forTenant(requireUser(principal).tenantId)
        .find({ reportId: { $in: [...reportIds] } } as never, { sort: { version: -1 }, limit: 100 * reportIds.length });
      const docs = await visible(principal, found);
      return reportIds.map((id) => docs.filter((d) => d.reportId === id));
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;
