import { describe, expect, it } from "vitest";
import type { Found } from "./evidenceLookup.ts";
import type { Evidence, ReportContent } from "./reportModel.ts";
import { brokenLinks } from "./validateLinks.ts";

const evidence = (id: string, kind: Evidence["kind"], ref: string): Evidence => ({
  id,
  kind,
  ref,
  relationship: null,
  label: `${kind} ${ref}`,
  note: null,
});

const content = (bodies: { section?: string; finding?: string } = {}): ReportContent => ({
  title: "t",
  sections: [{ id: "s1", title: "Summary", body: bodies.section ?? "" }],
  findings: [
    {
      id: "f1",
      title: "one",
      body: bodies.finding ?? "",
      evidence: [evidence("e1", "ENTITY", "p1"), evidence("e2", "QUERY_SNAPSHOT", "q1")],
    },
    { id: "f2", title: "two", body: "", evidence: [evidence("e3", "INGEST_JOB", "j1")] },
  ],
  annotations: [],
});

const live = (extra: Partial<Extract<Found, { status: "live" }>> = {}): Found => ({ status: "live", label: "x", detail: "", ...extra });

describe("brokenLinks", () => {
  it("finds nothing when every link resolves and every cross-reference names a part that exists", () => {
    const found = new Map<string, Found>([
      ["ENTITY:p1", live()],
      ["QUERY_SNAPSHOT:q1", live({ entityIds: ["p1"] })],
      ["INGEST_JOB:j1", live()],
    ]);
    const text = content({ section: "See [[Finding 2]] and [[section 1]].", finding: "[[ Finding 1 ]]" });
    expect(brokenLinks(text, found, new Map([["p1", live()]]))).toEqual([]);
  });

  it("names each broken link with where it is, why and how to fix it", () => {
    const found = new Map<string, Found>([
      ["ENTITY:p1", { status: "deleted", label: "Person Bob", deletedAt: "2026-11-30T10:00:00Z", reason: "erasure" }],
      ["QUERY_SNAPSHOT:q1", live({ entityIds: ["p1", "p2"] })],
    ]);
    const entities = new Map<string, Found>([["p2", live()]]);
    const broken = brokenLinks(content({ section: "See [[Finding 3]]." }), found, entities);
    expect(broken.map((b) => [b.location, b.kind, b.ref])).toEqual([
      ["Finding 1, evidence 1", "ENTITY", "p1"],
      ["Finding 1, evidence 2", "QUERY_SNAPSHOT", "q1"],
      ["Finding 2, evidence 1", "INGEST_JOB", "j1"],
      ["Section 1", "CROSS_REFERENCE", "[[Finding 3]]"],
    ]);
    expect(broken[0]).toMatchObject({
      reason: "The entity ENTITY p1 was deleted on 2026-11-30 (erasure).",
      fix: expect.stringMatching(/^Restore it/),
    });
    expect(broken[1]!.reason).toMatch(/shows 1 entity that is deleted or gone now \(p1\)/);
    expect(broken[2]!.reason).toMatch(/no longer exists in your tenant/);
    expect(broken[3]!.reason).toBe("[[Finding 3]] names Finding 3, but the report has findings 1 to 2.");
  });
});
