/**
 * The report validator: every piece of evidence must resolve inside the
 * tenant (not deleted, not purged, not another tenant's), every entity a cited
 * query snapshot showed must still be there, and every cross-reference
 * (`[[Finding 2]]`, `[[Section 1]]`) must name a part that exists. Each broken
 * link says where it is, why it is broken and how to fix it. Pure: lookups are
 * done by the caller (`evidenceLookup.ts`).
 */
import { keyOf, type EvidenceRef, type Found } from "./evidenceLookup.ts";
import type { BrokenLink, Evidence, ReportContent } from "./reportModel.ts";

/** `[[Finding 3]]`, `[[Section 1]]` (case-insensitive). */
export const CROSS_REFERENCE = /\[\[\s*(finding|section)\s+(\d{1,3})\s*\]\]/gi;

/** Everything the validator will need looked up: the evidence, plus the entities cited snapshots showed (second pass). */
export const evidenceRefs = (content: ReportContent): EvidenceRef[] => content.findings.flatMap((f) => f.evidence);

const what = (e: Evidence) => (e.kind === "RELATIONSHIP" ? "relationship" : e.kind.toLowerCase().replace("_", " "));

function evidenceProblem(e: Evidence, found: Found | undefined): { reason: string; fix: string } | null {
  if (found?.status === "live") return null;
  if (found?.status === "restricted")
    return {
      reason: `The cited ${what(e)} is marked above your clearance.`,
      fix: "Ask someone cleared for it to check this evidence, or remove it.",
    };
  const thing = `${what(e)} ${e.label}`;
  if (found?.status === "deleted") {
    const when = found.deletedAt ? ` on ${found.deletedAt.slice(0, 10)}` : "";
    return {
      reason: `The ${thing} was deleted${when}${found.reason ? ` (${found.reason})` : ""}.`,
      fix:
        e.kind === "RELATIONSHIP"
          ? "Restore the deleted entity at its end (restoreEntities), or remove this evidence."
          : "Restore it (restoreEntities, until it is purged), or remove this evidence or cite something else.",
    };
  }
  return {
    reason: `The ${thing} no longer exists in your tenant (purged, removed, or never yours).`,
    fix:
      e.kind === "QUERY_SNAPSHOT"
        ? "Remove this evidence, or ask the question again and cite the new snapshot."
        : "Remove this evidence, or cite something that exists (the evidence picker lists what can be cited).",
  };
}

/**
 * The broken links of `content`. `found` maps `keyOf(ref)` to what it is now;
 * `entities` maps entity ids (those cited snapshots showed) to what they are now.
 */
export function brokenLinks(content: ReportContent, found: Map<string, Found>, entities: Map<string, Found>): BrokenLink[] {
  const broken: BrokenLink[] = [];
  content.findings.forEach((finding, fi) => {
    finding.evidence.forEach((e, ei) => {
      const location = `Finding ${fi + 1}, evidence ${ei + 1}`;
      const at = {
        location,
        findingId: finding.id,
        sectionId: null,
        evidenceId: e.id,
        kind: e.kind,
        ref: e.ref ?? (e.relationship ? keyOf(e).split(":")[1]! : null),
      };
      const current = found.get(keyOf(e));
      const problem = evidenceProblem(e, current);
      if (problem) return void broken.push({ ...at, ...problem });
      if (current?.status === "live" && current.entityIds?.length) {
        const gone = current.entityIds.filter((id) => entities.get(id)?.status !== "live");
        if (gone.length)
          broken.push({
            ...at,
            reason: `The snapshot shows ${gone.length} entit${gone.length === 1 ? "y" : "ies"} that ${gone.length === 1 ? "is" : "are"} deleted or gone now (${gone.slice(0, 5).join(", ")}${gone.length > 5 ? ", …" : ""}).`,
            fix: "Ask the question again and cite the new snapshot, or restore the entities, or remove this evidence.",
          });
      }
    });
  });
  const parts = { finding: content.findings.length, section: content.sections.length };
  const check = (body: string, location: string, ids: { findingId: string | null; sectionId: string | null }) => {
    for (const m of body.matchAll(CROSS_REFERENCE)) {
      const kind = m[1]!.toLowerCase() as "finding" | "section";
      const n = Number(m[2]);
      if (n >= 1 && n <= parts[kind]) continue;
      const Kind = kind === "finding" ? "Finding" : "Section";
      broken.push({
        location,
        ...ids,
        evidenceId: null,
        kind: "CROSS_REFERENCE",
        ref: m[0],
        reason: `${m[0]} names ${Kind} ${n}, but the report has ${parts[kind] === 0 ? `no ${kind}s` : `${kind}s 1 to ${parts[kind]}`}.`,
        fix: `Point it at an existing ${kind}, or remove the reference.`,
      });
    }
  };
  content.sections.forEach((s, i) => check(s.body, `Section ${i + 1}`, { findingId: null, sectionId: s.id }));
  content.findings.forEach((f, i) => check(f.body, `Finding ${i + 1}`, { findingId: f.id, sectionId: null }));
  return broken;
}
