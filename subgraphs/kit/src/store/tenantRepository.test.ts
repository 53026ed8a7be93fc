import { describe, expect, it } from "vitest";
import { touchesTenant } from "./tenantRepository.ts";

describe("touchesTenant", () => {
  it("spots every way an update could move a document to another tenant", () => {
    expect(touchesTenant({ $set: { tenantId: "b" } })).toBe(true);
    expect(touchesTenant({ $set: { "tenantId.x": 1 } })).toBe(true);
    expect(touchesTenant({ $unset: { tenantId: "" } })).toBe(true);
    expect(touchesTenant({ $rename: { other: "tenantId" } })).toBe(true);
    expect(touchesTenant({ $rename: { tenantId: "old" } })).toBe(true);
  });

  it("lets ordinary updates through", () => {
    expect(touchesTenant({ $set: { name: "x", tenantIdx: 1 }, $inc: { n: 1 } })).toBe(false);
  });
});
