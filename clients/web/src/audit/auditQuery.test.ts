import { describe, expect, it } from "vitest";
import {
  auditFilterOf,
  auditQueryFromSaved,
  auditQueryFromSearch,
  auditQueryToSearch,
  describeAuditQuery,
  EMPTY_AUDIT_QUERY,
  isEmptyAuditQuery,
  sameAuditQuery,
  toLocalInput,
} from "./auditQuery.ts";

describe("audit queries", () => {
  it("round-trips through the URL and drops empty fields", () => {
    const query = { ...EMPTY_AUDIT_QUERY, action: "login", outcome: "FAILURE" as const, since: "2025-01-01T00:00" };
    const search = auditQueryToSearch(query);
    expect(search).toBe("action=login&outcome=FAILURE&since=2025-01-01T00%3A00");
    expect(auditQueryFromSearch(search)).toEqual(query);
    expect(auditQueryFromSearch("outcome=MAYBE&junk=1")).toEqual(EMPTY_AUDIT_QUERY);
    expect(isEmptyAuditQuery(EMPTY_AUDIT_QUERY)).toBe(true);
  });

  it("builds the API filter with UTC bounds", () => {
    expect(
      auditFilterOf({
        ...EMPTY_AUDIT_QUERY,
        action: " createIngestJob ",
        targetId: "j1",
        since: "2025-01-01T10:00",
        until: "2025-01-02T00:00",
      }),
    ).toEqual({
      filter: { action: "createIngestJob", targetId: "j1", since: "2025-01-01T10:00:00.000Z", until: "2025-01-02T00:00:00.000Z" },
      problem: null,
    });
    expect(auditFilterOf(EMPTY_AUDIT_QUERY)).toEqual({ filter: {}, problem: null });
  });

  it("names a bad or reversed time range", () => {
    expect(auditFilterOf({ ...EMPTY_AUDIT_QUERY, since: "yesterday" }).problem).toMatch(/“From” is not a date/);
    expect(auditFilterOf({ ...EMPTY_AUDIT_QUERY, since: "2025-01-02T00:00", until: "2025-01-01T00:00" }).problem).toMatch(/must be before/);
  });

  it("carries target type and free text to the URL and the filter, text only from 2 characters", () => {
    const query = { ...EMPTY_AUDIT_QUERY, targetType: "IngestMapping", text: " golden " };
    expect(auditQueryToSearch(query)).toBe("targetType=IngestMapping&text=golden");
    expect(auditQueryFromSearch("targetType=IngestMapping&text=golden")).toEqual({ ...query, text: "golden" });
    expect(auditFilterOf(query)).toEqual({ filter: { targetType: "IngestMapping", text: "golden" }, problem: null });
    expect(auditFilterOf({ ...EMPTY_AUDIT_QUERY, text: " x " }).problem).toMatch(/“Text” needs at least 2 characters/);
  });

  it("turns a saved filter back into the form's search, times in UTC datetime-local form", () => {
    expect(toLocalInput("2025-01-01T10:00:00.000Z")).toBe("2025-01-01T10:00");
    expect(toLocalInput("2025-01-01T12:00:00+02:00")).toBe("2025-01-01T10:00");
    expect(toLocalInput("2025-01-01T10:00:30Z")).toBe("2025-01-01T10:00:30");
    expect(toLocalInput("2025-01-01T10:00:30.250Z")).toBe("2025-01-01T10:00:30.250");
    expect(toLocalInput("soon")).toBe("");
    expect(toLocalInput(null)).toBe("");
    const saved = auditQueryFromSaved({
      action: "approveIngestMapping",
      actorId: null,
      targetType: null,
      targetId: null,
      outcome: "SUCCESS",
      since: "2025-01-01T10:00:00.000Z",
      until: null,
      text: "golden",
    });
    expect(saved).toEqual({
      ...EMPTY_AUDIT_QUERY,
      action: "approveIngestMapping",
      outcome: "SUCCESS",
      since: "2025-01-01T10:00",
      text: "golden",
    });
    // Saving what the form built and loading it back gives the same search (and the same filter).
    const built = auditFilterOf(saved).filter!;
    expect(built.since).toBe("2025-01-01T10:00:00.000Z");
    expect(sameAuditQuery(saved, auditQueryFromSearch(auditQueryToSearch(saved)))).toBe(true);
    expect(sameAuditQuery(saved, { ...saved, text: "other" })).toBe(false);
  });

  it("summarises a search in one line", () => {
    expect(describeAuditQuery(EMPTY_AUDIT_QUERY)).toBe("all events");
    expect(
      describeAuditQuery({ ...EMPTY_AUDIT_QUERY, action: "login", outcome: "FAILURE", since: "2025-01-01T00:00", text: "override" }),
    ).toBe("action login · outcome FAILURE · from 2025-01-01 00:00 · text “override”");
  });
});
