import { describe, expect, it } from "vitest";
import { auditFilterOf, auditQueryFromSearch, auditQueryToSearch, EMPTY_AUDIT_QUERY, isEmptyAuditQuery } from "./auditQuery.ts";

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
});
