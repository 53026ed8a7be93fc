import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { idempotencyKeyOf, quotaExemptFields, rowsOf } from "./useUsage.ts";

describe("gateway metering", () => {
  it("keeps signing in and every billing field open over a quota, and nothing else", () => {
    const exempt = quotaExemptFields(readFileSync(new URL("../../schema/supergraph.graphql", import.meta.url), "utf8"));
    for (const field of ["login", "me", "usage", "plans", "billingAccount", "changePlan", "grantBillingOverride", "createInvoice"]) {
      expect(exempt, field).toContain(field);
    }
    for (const field of ["people", "askGraph", "exportReport", "createPeople", "auditEvents"]) expect(exempt, field).not.toContain(field);
  });

  it("counts rows as root list items, a connection's nodes or edges, or 1 per root object", () => {
    expect(rowsOf({ people: [{}, {}, {}], me: { id: "x" }, peopleConnection: { edges: [{}, {}] }, none: null })).toBe(6);
    expect(rowsOf(null)).toBe(0);
  });

  it("takes a well-formed Idempotency-Key only", () => {
    expect(idempotencyKeyOf("retry-2026-12-01:abc")).toBe("retry-2026-12-01:abc");
    expect(idempotencyKeyOf(["first-key-123", "second"])).toBe("first-key-123");
    for (const bad of [undefined, "short", "has space in it", "x".repeat(129), "semi;colon-key"]) expect(idempotencyKeyOf(bad)).toBeNull();
  });
});
