import { describe, expect, it } from "vitest";
import { scopeWhere } from "./guardGraphOperations.ts";

describe("scopeWhere", () => {
  it("adds the tenant to an empty or missing filter", () => {
    expect(scopeWhere(undefined, "t1")).toEqual({ tenantId: { eq: "t1" } });
    expect(scopeWhere({}, "t1")).toEqual({ tenantId: { eq: "t1" } });
  });

  it("ANDs the tenant with the client's filter, so a client tenantId cannot widen it", () => {
    expect(scopeWhere({ tenantId: { eq: "t2" } }, "t1")).toEqual({ AND: [{ tenantId: { eq: "t2" } }, { tenantId: { eq: "t1" } }] });
  });
});
