/**
 * The report editor's draft: the saved report as editable data (each part with
 * a stable key for the DOM), back to the whole-draft input of updateReportDraft,
 * and the small list edits the editor makes (move, remove).
 */
import type {
  BrokenLinkFieldsFragment,
  CitableItemsQuery,
  ReportDetailsFragment,
  UpdateReportDraftInput,
} from "../api/generated/graphql.ts";
import type { ErrorSource } from "../api/consoleError.ts";

type Citable = CitableItemsQuery["citableItems"][number];
type Relationship = { fromId: string; type: string; toId: string };

export interface DraftEvidence {
  /** The saved evidence id, or a key made in the editor for new evidence. */
  key: string;
  id: string | null;
  kind: Citable["kind"];
  ref: string | null;
  relationship: Relationship | null;
  /** How it reads (the API's label, or the picker's for new evidence). */
  label: string;
  note: string;
}

export interface DraftFinding {
  key: string;
  id: string | null;
  title: string;
  body: string;
  evidence: DraftEvidence[];
}

export interface DraftSection {
  key: string;
  id: string | null;
  title: string;
  body: string;
}

export interface ReportDraft {
  title: string;
  sections: DraftSection[];
  findings: DraftFinding[];
}

let counter = 0;
/** A key for a part made in the editor (not saved yet). */
export const newKey = (prefix: string) => `new-${prefix}-${++counter}`;

export function draftOf(report: ReportDetailsFragment): ReportDraft {
  return {
    title: report.title,
    sections: report.sections.map((s) => ({ key: s.id, id: s.id, title: s.title, body: s.body })),
    findings: report.findings.map((f) => ({
      key: f.id,
      id: f.id,
      title: f.title,
      body: f.body,
      evidence: f.evidence.map((e) => ({
        key: e.id,
        id: e.id,
        kind: e.kind,
        ref: e.ref,
        relationship: e.relationship ? { fromId: e.relationship.fromId, type: e.relationship.type, toId: e.relationship.toId } : null,
        label: e.label,
        note: e.note ?? "",
      })),
    })),
  };
}

const idOf = (id: string | null) => (id ? { id } : {});

/** The whole draft as updateReportDraft takes it; saved parts keep their ids (and so their annotations). */
export function draftInput(draft: ReportDraft): UpdateReportDraftInput {
  return {
    title: draft.title,
    sections: draft.sections.map((s) => ({ ...idOf(s.id), title: s.title, body: s.body })),
    findings: draft.findings.map((f) => ({
      ...idOf(f.id),
      title: f.title,
      body: f.body,
      evidence: f.evidence.map((e) => ({
        ...idOf(e.id),
        kind: e.kind,
        ...(e.ref ? { ref: e.ref } : {}),
        ...(e.relationship ? { relationship: { ...e.relationship } } : {}),
        ...(e.note.trim() ? { note: e.note } : {}),
      })),
    })),
  };
}

/** Whether the draft differs from the saved report. */
export const isDirty = (draft: ReportDraft, saved: ReportDetailsFragment) =>
  JSON.stringify(draftInput(draft)) !== JSON.stringify(draftInput(draftOf(saved)));

/** New evidence from an item of the evidence picker. */
export function evidenceFromCitable(item: Citable): DraftEvidence {
  return {
    key: newKey("evidence"),
    id: null,
    kind: item.kind,
    ref: item.ref,
    relationship: item.relationship
      ? { fromId: item.relationship.fromId, type: item.relationship.type, toId: item.relationship.toId }
      : null,
    label: item.label,
    note: "",
  };
}

/** Whether the draft already cites this item (the picker marks it instead of adding it twice). */
export function cites(evidence: readonly DraftEvidence[], item: Citable): boolean {
  return evidence.some((e) =>
    item.ref
      ? e.kind === item.kind && e.ref === item.ref
      : Boolean(e.relationship && item.relationship && JSON.stringify(e.relationship) === JSON.stringify(item.relationship)),
  );
}

/** `list` with the item at `index` moved by `delta` places (unchanged at the ends). */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(index, 1);
  next.splice(to, 0, item!);
  return next;
}

export const removeAt = <T>(list: readonly T[], index: number): T[] => list.filter((_, i) => i !== index);

/** The broken links a REPORT_INVALID error carries in `extensions.broken`; empty for any other error. */
export function brokenLinksOf(error: unknown): BrokenLinkFieldsFragment[] {
  const source = (error ?? {}) as ErrorSource;
  const invalid = source.graphQLErrors?.find((e) => e.extensions?.["code"] === "REPORT_INVALID");
  const broken = invalid?.extensions?.["broken"];
  return Array.isArray(broken) ? (broken as BrokenLinkFieldsFragment[]) : [];
}
