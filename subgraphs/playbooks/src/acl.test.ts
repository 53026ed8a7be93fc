import { describe, expect, it } from "vitest";
import { requireRight, rightsOf } from "./acl.ts";

const playbook = {
  name: "Triage",
  ownerId: "owner",
  acl: [
    { role: "ANALYST", userId: null, rights: ["RUN" as const] },
    { role: null, userId: "editor", rights: ["EDIT" as const, "SHARE" as const] },
  ],
};

describe("playbook rights", () => {
  it("gives the owner and tenant admins everything, others the union of their entries (any right implies VIEW)", () => {
    expect(rightsOf(playbook, { userId: "owner", roles: ["VIEWER"] })).toEqual(["VIEW", "RUN", "EDIT", "SHARE"]);
    expect(rightsOf(playbook, { userId: "x", roles: ["ADMIN"] })).toEqual(["VIEW", "RUN", "EDIT", "SHARE"]);
    expect(rightsOf(playbook, { userId: "x", roles: ["ANALYST"] })).toEqual(["VIEW", "RUN"]);
    expect(rightsOf(playbook, { userId: "editor", roles: ["ANALYST"] })).toEqual(["VIEW", "RUN", "EDIT", "SHARE"]);
    expect(rightsOf(playbook, { userId: "x", roles: ["VIEWER"] })).toEqual([]);
  });

  it("hides the playbook without VIEW and names the missing right otherwise", () => {
    expect(() => requireRight(playbook, { userId: "x", roles: ["VIEWER"] }, "VIEW")).toThrow(
      expect.objectContaining({ extensions: { code: "NOT_FOUND" } }),
    );
    expect(() => requireRight(playbook, { userId: "x", roles: ["ANALYST"] }, "EDIT")).toThrow(
      expect.objectContaining({ extensions: { code: "FORBIDDEN", missingRight: "EDIT" } }),
    );
  });
});
