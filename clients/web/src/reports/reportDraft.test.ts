import { describe, expect, it } from "vitest";
import type { ReportDetailsFragment } from "../api/generated/graphql.ts";
import { brokenLinksOf, cites, draftInput, draftOf, evidenceFromCitable, isDirty, moveItem, removeAt } from "./reportDraft.ts";

const saved: ReportDetailsFragment = {
  id: "r1",
  title: "Acme",
  status: "DRAFT",
  revision: 3,
  latestVersion: null,
  createdAt: "2026-12-01T10:00:00Z",
  updatedAt: "2026-12-01T10:00:00Z",
  sections: [{ id: "s1", title: "Summary", body: "See [[Finding 1]]." }],
  findings: [
    {
      id: "f1",
      number: 1,
      title: "Staff",
      body: "",
      evidence: [
        { id: "e1", kind: "QUERY_SNAPSHOT", ref: "q1", relationship: null, label: "Snapshot “who”", note: null },
        {
          id: "e2",
          kind: "RELATIONSHIP",
          ref: null,
          relationship: { fromId: "p1", type: "MEMBER_OF", toId: "o1" },
          label: "rel",
          note: "x",
        },
      ],
    },
  ],
  annotations: [],
  versions: [],
};

describe("the report editor's draft", () => {
  it("round-trips the saved report to the whole-draft input, keeping ids", () => {
    expect(draftInput(draftOf(saved))).toEqual({
      title: "Acme",
      sections: [{ id: "s1", title: "Summary", body: "See [[Finding 1]]." }],
      findings: [
        {
          id: "f1",
          title: "Staff",
          body: "",
          evidence: [
            { id: "e1", kind: "QUERY_SNAPSHOT", ref: "q1" },
            { id: "e2", kind: "RELATIONSHIP", relationship: { fromId: "p1", type: "MEMBER_OF", toId: "o1" }, note: "x" },
          ],
        },
      ],
    });
    expect(isDirty(draftOf(saved), saved)).toBe(false);
  });

  it("sends new evidence from the picker without an id, and is dirty until saved", () => {
    const draft = draftOf(saved);
    const item = { kind: "ENTITY" as const, ref: "p9", relationship: null, label: "Person Priya Raman", detail: null };
    expect(cites(draft.findings[0]!.evidence, item)).toBe(false);
    draft.findings[0]!.evidence.push(evidenceFromCitable(item));
    expect(cites(draft.findings[0]!.evidence, item)).toBe(true);
    expect(draftInput(draft).findings[0]!.evidence[2]).toEqual({ kind: "ENTITY", ref: "p9" });
    expect(isDirty(draft, saved)).toBe(true);
  });

  it("moves and removes parts, leaving the list as it was at the ends", () => {
    expect(moveItem(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(moveItem(["a", "b", "c"], 2, -2)).toEqual(["c", "a", "b"]);
    expect(moveItem(["a", "b"], 0, -1)).toEqual(["a", "b"]);
    expect(removeAt(["a", "b", "c"], 1)).toEqual(["a", "c"]);
  });

  it("reads the broken links of REPORT_INVALID from extensions.broken, and none from other errors", () => {
    const link = { location: "Finding 1, evidence 2", kind: "ENTITY", ref: "p9", reason: "deleted", fix: "remove it" };
    expect(brokenLinksOf({ graphQLErrors: [{ message: "broken", extensions: { code: "REPORT_INVALID", broken: [link] } }] })).toEqual([
      link,
    ]);
    expect(brokenLinksOf({ graphQLErrors: [{ message: "no", extensions: { code: "CONFLICT" } }] })).toEqual([]);
    expect(brokenLinksOf(null)).toEqual([]);
  });
});
