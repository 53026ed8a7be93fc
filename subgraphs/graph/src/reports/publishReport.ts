/**
 * Publishing a draft: the validator runs first; broken links block with
 * REPORT_INVALID (each listed with its fix) unless a tenant admin forces it
 * with a justification, which the version keeps with the links it was
 * published over. The version number is claimed on the report before the
 * version is written, so two publishes of one draft cannot both become N.
 */
import { appError, ErrorCode, requireUser, validateInput, type Clock, type Principal, type TenantRepository } from "@intelgraph/kit";
import type { LookupScope } from "./evidenceLookup.ts";
import { contentOf } from "./reportDrafts.ts";
import { publishInput, versionId, type BrokenLink, type ReportContent, type ReportDoc, type ReportVersionDoc } from "./reportModel.ts";

export interface PublishDeps {
  reports: TenantRepository<ReportDoc>;
  versions: TenantRepository<ReportVersionDoc>;
  load(tenantId: string, id: string): Promise<ReportDoc>;
  /** The broken links for whoever publishes (their tenant and clearance). */
  validateContent(scope: LookupScope, content: ReportContent): Promise<BrokenLink[]>;
  scopeOf(principal: Principal): LookupScope;
  now: Clock;
}

export async function publishDraft(deps: PublishDeps, principal: Principal, raw: unknown): Promise<ReportVersionDoc> {
  const { reports, versions, load, validateContent, scopeOf, now } = deps;
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
  const broken = await validateContent(scopeOf(principal), doc);
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
}
