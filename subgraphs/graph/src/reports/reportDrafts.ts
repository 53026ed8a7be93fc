/**
 * Turning editor input into draft content: ids for new sections, findings and
 * evidence (kept for existing ones, so annotations stay attached), and a label
 * for every new citation, read from what it cites. New evidence must resolve
 * inside the tenant now; evidence already in the draft keeps its label even if
 * its target has gone since (the validator reports that).
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { appError, ErrorCode } from "@intelgraph/kit";
import { keyOf, type EvidenceLookup, type LookupScope } from "./evidenceLookup.ts";
import type { Annotation, Evidence, Finding, findingInput, ReportContent, Section } from "./reportModel.ts";

type FindingInput = z.output<typeof findingInput>;
type SectionInput = { id?: string | null | undefined; title: string; body: string };

const newId = () => randomUUID().slice(0, 8);

/**
 * Builds findings from input against the current draft's findings; throws
 * NOT_FOUND naming every new citation that does not resolve (or is above the
 * caller's clearance: `scope`). A new citation keeps the marking it had.
 */
export async function buildFindings(
  lookup: EvidenceLookup,
  scope: LookupScope,
  input: FindingInput[],
  current: Finding[],
): Promise<Finding[]> {
  const known = new Map(current.flatMap((f) => f.evidence).map((e) => [e.id, e]));
  const fresh = input.flatMap((f) => f.evidence.filter((e) => !e.id || !known.has(e.id)));
  const found = fresh.length
    ? await lookup.resolve(
        scope,
        fresh.map((e) => ({ kind: e.kind, ref: e.ref ?? null, relationship: e.relationship ?? null })),
      )
    : new Map();
  const missing: string[] = [];
  const findingIds = new Set<string>();
  const existing = new Set(current.map((f) => f.id));
  const findings = input.map((f): Finding => {
    // Ids are ours: one the client sends is kept only when it names a part of the current draft.
    const id = f.id && existing.has(f.id) && !findingIds.has(f.id) ? f.id : newId();
    findingIds.add(id);
    const evidence = f.evidence.map((e): Evidence => {
      const kept = e.id ? known.get(e.id) : undefined;
      if (kept) return { ...kept, note: e.note ?? kept.note };
      if (!e.ref && !e.relationship) {
        missing.push(`evidence ${e.id} (not in this draft; cite it again with its ref)`);
        return { id: newId(), kind: e.kind, ref: null, relationship: null, label: "", note: null };
      }
      const ref = {
        kind: e.kind,
        ref: e.kind === "RELATIONSHIP" ? null : (e.ref ?? null),
        relationship: e.kind === "RELATIONSHIP" ? (e.relationship ?? null) : null,
      };
      const now = found.get(keyOf(ref));
      if (now?.status !== "live") missing.push(`${e.kind} ${keyOf(ref).split(":").slice(1).join(":")}`);
      if (now?.status !== "live") return { id: newId(), ...ref, label: "", note: e.note ?? null };
      return { id: newId(), ...ref, label: now.label, note: e.note ?? null, ...(now.marking ? { marking: now.marking } : {}) };
    });
    return { id, title: f.title, body: f.body, evidence };
  });
  if (missing.length)
    throw appError(
      ErrorCode.NOT_FOUND,
      `Nothing to cite for ${missing.slice(0, 10).join("; ")}: it is not in your tenant, or it is deleted. Pick evidence with citableItems.`,
      { missing },
    );
  return findings;
}

export function buildSections(input: SectionInput[], current: Section[]): Section[] {
  const seen = new Set<string>();
  const existing = new Set(current.map((s) => s.id));
  return input.map((s) => {
    const id = s.id && existing.has(s.id) && !seen.has(s.id) ? s.id : newId();
    seen.add(id);
    return { id, title: s.title, body: s.body };
  });
}

/** Annotations whose evidence is still in the draft. */
export function keptAnnotations(annotations: Annotation[], findings: Finding[]): Annotation[] {
  const live = new Set(findings.flatMap((f) => f.evidence.map((e) => `${f.id}/${e.id}`)));
  return annotations.filter((a) => live.has(`${a.findingId}/${a.evidenceId}`));
}

/** The parts of a report a version freezes. */
export const contentOf = (r: ReportContent): ReportContent => ({
  title: r.title,
  sections: r.sections,
  findings: r.findings,
  annotations: r.annotations,
});
