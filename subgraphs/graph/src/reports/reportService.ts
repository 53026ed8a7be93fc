/**
 * Reports: drafts with sections and findings that cite evidence, query
 * snapshots, the validator, and publishing immutable versions. Every read and
 * write goes through tenant-scoped repositories and the evidence lookup, so a
 * tenant can only cite, validate and publish its own things. Mutations are
 * audited by kit's auditMutations (a forced publish with its justification).
 */
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import {
  appError,
  createTenantRepository,
  ErrorCode,
  requireUser,
  systemClock,
  validateInput,
  type Clock,
  type Principal,
  type RequestContext,
} from "@intelgraph/kit";
import type { AskService } from "../ask/askService.ts";
import type { EvidenceLookup } from "./evidenceLookup.ts";
import { buildFindings, buildSections, contentOf, keptAnnotations } from "./reportDrafts.ts";
import {
  annotateInput,
  createReportInput,
  draftInput,
  findingInput,
  publishInput,
  versionId,
  type Annotation,
  type BrokenLink,
  type QuerySnapshotDoc,
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
}

/** sha256 of the canonical JSON of a result: columns, then rows with keys in column order. */
export function resultHash(columns: string[], rows: Array<Record<string, unknown>>): string {
  const canonical = JSON.stringify({ columns, rows: rows.map((r) => columns.map((c) => r[c] ?? null)) });
  return createHash("sha256").update(canonical).digest("hex");
}

const questionInput = z.object({ question: z.string().trim().min(3).max(500), confirm: z.boolean().nullish() });

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

  async function validateContent(tenantId: string, content: ReportContent): Promise<BrokenLink[]> {
    const found = await lookup.resolve(tenantId, evidenceRefs(content));
    const shown = [...new Set([...found.values()].flatMap((f) => (f.status === "live" ? (f.entityIds ?? []) : [])))];
    return brokenLinks(content, found, await lookup.entities(tenantId, shown));
  }

  return {
    async ensureIndexes() {
      await Promise.all([reports.ensureIndexes(), versions.ensureIndexes(), lookup.snapshots.ensureIndexes()]);
    },

    async create(principal: Principal, raw: unknown): Promise<ReportDoc> {
      const caller = requireUser(principal);
      const input = validateInput(createReportInput, raw);
      const findings = await buildFindings(lookup, caller.tenantId, input.findings ?? [], []);
      const at = new Date(now());
      return reports.forTenant(caller.tenantId).insertOne({
        _id: randomUUID(),
        title: input.title,
        sections: buildSections(input.sections ?? []),
        findings,
        annotations: [],
        revision: 1,
        latestVersion: null,
        createdBy: caller.userId,
        createdAt: at,
        updatedAt: at,
      });
    },

    async updateDraft(principal: Principal, id: string, expectedRevision: number, raw: unknown): Promise<ReportDoc> {
      const caller = requireUser(principal);
      const input = validateInput(draftInput, raw);
      const doc = await load(caller.tenantId, id);
      const findings = await buildFindings(lookup, caller.tenantId, input.findings, doc.findings);
      const content = {
        title: input.title,
        sections: buildSections(input.sections),
        findings,
        annotations: keptAnnotations(doc.annotations, findings),
      };
      return save(caller.tenantId, doc, expectedRevision, content);
    },

    async addFinding(principal: Principal, reportId: string, raw: unknown): Promise<ReportDoc> {
      const caller = requireUser(principal);
      const input = validateInput(findingInput, raw);
      const doc = await load(caller.tenantId, reportId);
      const [finding] = await buildFindings(lookup, caller.tenantId, [{ ...input, id: null }], doc.findings);
      return save(caller.tenantId, doc, doc.revision, { ...contentOf(doc), findings: [...doc.findings, finding!] });
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

    /** Runs the question (askGraph RUN) and freezes its result. */
    async captureSnapshot(ctx: RequestContext, raw: unknown): Promise<QuerySnapshotDoc> {
      const caller = requireUser(ctx.principal);
      const { question, confirm } = validateInput(questionInput, raw);
      const answer = await options.ask.ask(ctx.principal, { question, mode: "RUN", confirm: confirm ?? false }, ctx.requestId);
      if (!answer.ran || !answer.cypher)
        throw appError(
          ErrorCode.BAD_USER_INPUT,
          answer.needsConfirmation
            ? `The question was understood with confidence ${answer.confidence.toFixed(2)}, under the threshold: check its interpretation (“${answer.interpretation}”) and capture it again with confirm: true.`
            : `The question could not be interpreted, so there is nothing to capture. ${answer.hints.join(" ")}`,
          { field: "question", needsConfirmation: answer.needsConfirmation, hints: answer.hints },
        );
      const touched = (answer as { nodes?: Array<{ id: string }> }).nodes ?? [];
      const { tenantId: _tenant, ...parameters } = answer.parameters ?? {};
      return lookup.snapshots.forTenant(caller.tenantId).insertOne({
        _id: randomUUID(),
        question,
        interpretation: answer.interpretation,
        cypher: answer.cypher,
        parameters,
        columns: answer.columns,
        rows: answer.rows,
        truncated: answer.truncated,
        resultHash: resultHash(answer.columns, answer.rows),
        entityIds: [...new Set(touched.map((n) => n.id))].slice(0, 500),
        capturedBy: caller.userId,
        capturedAt: new Date(now()),
      });
    },

    async snapshot(principal: Principal, id: string): Promise<QuerySnapshotDoc | null> {
      return lookup.snapshots.forTenant(requireUser(principal).tenantId).findOne({ _id: id });
    },

    async validate(principal: Principal, args: { id: string; version?: number | null }) {
      const caller = requireUser(principal);
      const content = args.version ? await this.version(principal, args.id, args.version, true) : await load(caller.tenantId, args.id);
      const broken = await validateContent(caller.tenantId, content!);
      return { valid: broken.length === 0, broken, checkedAt: new Date(now()) };
    },

    /** The broken links of a version, for exports: they validate again before anything leaves. */
    validateContent: (tenantId: string, content: ReportContent) => validateContent(tenantId, content),

    async publish(principal: Principal, raw: unknown): Promise<ReportVersionDoc> {
      const caller = requireUser(principal);
      const input = validateInput(publishInput, raw);
      const doc = await load(caller.tenantId, input.reportId);
      if (input.expectedRevision != null && input.expectedRevision !== doc.revision)
        throw appError(
          ErrorCode.CONFLICT,
          `Report ${doc._id} is at revision ${doc.revision}, not ${input.expectedRevision}; reload it and check before publishing.`,
          {
            id: doc._id,
            expectedRevision: input.expectedRevision,
          },
        );
      const broken = await validateContent(caller.tenantId, doc);
      if (broken.length && input.force) {
        if (!caller.roles.includes("ADMIN"))
          throw appError(ErrorCode.FORBIDDEN, "Only a tenant admin may publish over broken links.", { requiredRoles: ["ADMIN"] });
        if (!input.justification || input.justification.length < 10)
          throw appError(
            ErrorCode.BAD_USER_INPUT,
            "Say why the report is published over broken links (a justification of at least 10 characters).",
            {
              field: "justification",
            },
          );
      } else if (broken.length) {
        throw appError(
          ErrorCode.REPORT_INVALID,
          `The report has ${broken.length} broken link${broken.length === 1 ? "" : "s"}: ${broken.map((b) => `${b.location}: ${b.reason}`).join(" ")} Fix them and publish again.`,
          { broken },
        );
      }
      const version = (doc.latestVersion ?? 0) + 1;
      // Claim the version number first: two publishes of one draft cannot both become version N.
      const claimed = await reports
        .forTenant(caller.tenantId)
        .findOneAndUpdate({ _id: doc._id, latestVersion: doc.latestVersion, revision: doc.revision }, { $set: { latestVersion: version } });
      if (!claimed)
        throw appError(ErrorCode.CONFLICT, `Report ${doc._id} was changed or published meanwhile; reload it and publish again.`, {
          id: doc._id,
        });
      return versions.forTenant(caller.tenantId).insertOne({
        _id: versionId(doc._id, version),
        reportId: doc._id,
        version,
        ...contentOf(doc),
        publishedBy: caller.userId,
        publishedAt: new Date(now()),
        forced: broken.length > 0,
        justification: broken.length ? input.justification! : null,
        brokenAtPublish: broken,
      });
    },

    async list(principal: Principal, args: { status?: "DRAFT" | "PUBLISHED" | null; first?: number | null }): Promise<ReportDoc[]> {
      const caller = requireUser(principal);
      const filter =
        args.status === "DRAFT" ? { latestVersion: null } : args.status === "PUBLISHED" ? { latestVersion: { $ne: null } } : {};
      return reports
        .forTenant(caller.tenantId)
        .find(filter as never, { sort: { updatedAt: -1 }, limit: Math.min(Math.max(args.first ?? 50, 1), 200) });
    },

    async get(principal: Principal, id: string): Promise<ReportDoc | null> {
      return reports.forTenant(requireUser(principal).tenantId).findOne({ _id: id });
    },

    async version(principal: Principal, reportId: string, version: number, required = false): Promise<ReportVersionDoc | null> {
      const doc = await versions.forTenant(requireUser(principal).tenantId).findOne({ _id: versionId(reportId, version) });
      if (!doc && required)
        throw appError(ErrorCode.NOT_FOUND, `Report ${reportId} has no published version ${version} in your tenant.`, {
          reportId,
          version,
        });
      return doc;
    },

    async versions(tenantId: string, reportId: string): Promise<ReportVersionDoc[]> {
      return versions.forTenant(tenantId).find({ reportId } as never, { sort: { version: -1 }, limit: 100 });
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;
