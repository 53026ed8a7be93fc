/**
 * Report evidence as a reader may see it. A report is the tenant's, but what
 * its findings cite is marked: evidence citing an entity or relationship
 * above the reader's clearance — as marked now, or as it was marked when cited
 * (so purging or re-marking it never uncovers the label) — and a query
 * snapshot that showed such an entity are shown redacted: no ref, no
 * relationship, no label, no note, and no annotation text on them.
 * The finding itself (title, body) is the analyst's own text and stays.
 */
import { markingRank, requireUser, type Principal, type TlpMarking } from "@intelgraph/kit";
import { markingsParam } from "../visibility.ts";
import { keyOf, type EvidenceLookup, type LookupScope } from "./evidenceLookup.ts";
import type { Evidence, ReportContent } from "./reportModel.ts";

/** Whose clearance a read is redacted for: the caller's tenant and the markings up to their clearance. */
export const readerScope = (principal: Principal): LookupScope => ({
  tenantId: requireUser(principal).tenantId,
  markings: markingsParam(principal),
});

/** What the caller may see of reports: `visible` for several (one lookup), `visibleOne` for one. */
export function createReaderView(lookup: EvidenceLookup) {
  const visible = <T extends ReportContent>(principal: Principal, docs: T[]) => redactForClearance(lookup, readerScope(principal), docs);
  const visibleOne = async <T extends ReportContent>(principal: Principal, doc: T) => (await visible(principal, [doc]))[0]!;
  return { visible, visibleOne };
}

/** What a redacted piece of evidence reads as. */
export const RESTRICTED_LABEL = "Evidence above your clearance";

const cited = (e: Evidence) => e.kind === "ENTITY" || e.kind === "RELATIONSHIP" || e.kind === "QUERY_SNAPSHOT";

/** The reader's view of each of `contents` (same order); untouched when nothing in them is above the clearance. */
export async function redactForClearance<T extends ReportContent>(lookup: EvidenceLookup, scope: LookupScope, contents: T[]): Promise<T[]> {
  const evidence = contents.flatMap((c) => c.findings.flatMap((f) => f.evidence)).filter(cited);
  if (!evidence.length) return contents;
  const found = await lookup.resolve(scope, evidence);
  // A snapshot's rows show what its entities held: one of them above the clearance withholds the snapshot.
  const shown = [...new Set([...found.values()].flatMap((f) => (f.status === "live" ? (f.entityIds ?? []) : [])))];
  const shownFound = shown.length ? await lookup.entities(scope, shown) : new Map();
  const restrictedSnapshot = (e: Evidence) => {
    const f = found.get(keyOf(e));
    return f?.status === "live" && (f.entityIds ?? []).some((id) => shownFound.get(id)?.status === "restricted");
  };
  const highest = scope.markings.reduce((h, m) => Math.max(h, markingRank(m)), -1);
  const aboveAtCiting = (m: TlpMarking | undefined) => m !== undefined && markingRank(m) > highest;
  const hidden = (e: Evidence) =>
    cited(e) &&
    (found.get(keyOf(e))?.status === "restricted" || aboveAtCiting(e.marking) || (e.kind === "QUERY_SNAPSHOT" && restrictedSnapshot(e)));
  return contents.map((content) => {
    const redacted = new Set(content.findings.flatMap((f) => f.evidence.filter(hidden).map((e) => e.id)));
    if (!redacted.size) return content;
    return {
      ...content,
      findings: content.findings.map((f) => ({
        ...f,
        evidence: f.evidence.map((e) => (redacted.has(e.id) ? redactEvidence(e) : e)),
      })),
      annotations: content.annotations.map((a) => (redacted.has(a.evidenceId) ? { ...a, text: RESTRICTED_LABEL, highlight: null } : a)),
    };
  });
}

/** `content` without its redacted evidence (and the annotations on it), for an export: how many were left out. */
export function withoutRestricted<T extends ReportContent>(content: T): { content: T; withheld: number } {
  const restricted = new Set(content.findings.flatMap((f) => f.evidence.filter(isRestricted).map((e) => e.id)));
  return {
    content: {
      ...content,
      findings: content.findings.map((f) => ({ ...f, evidence: f.evidence.filter((e) => !restricted.has(e.id)) })),
      annotations: content.annotations.filter((a) => !restricted.has(a.evidenceId)),
    },
    withheld: restricted.size,
  };
}

export const isRestricted = (e: Evidence): boolean => "restricted" in e && e.restricted === true;

function redactEvidence(e: Evidence): Evidence & { restricted: true } {
  return { id: e.id, kind: e.kind, ref: null, relationship: null, label: RESTRICTED_LABEL, note: null, restricted: true };
}
