import { describe, expect, it } from "vitest";
import { aclEntries, aclRowsOf, newAclRow, toggledRights } from "./aclDraft.ts";

describe("ACL rows", () => {
  it("reads role and user entries and writes them back", () => {
    const rows = aclRowsOf([
      { role: "ANALYST", userId: null, rights: ["RUN", "VIEW"] },
      { role: null, userId: "u1", rights: ["EDIT", "VIEW", "SHARE"] },
    ]);
    expect(rows.map((r) => [r.kind, r.who, r.rights])).toEqual([
      ["role", "ANALYST", ["VIEW", "RUN"]],
      ["user", "u1", ["VIEW", "EDIT", "SHARE"]],
    ]);
    expect(aclEntries(rows)).toEqual({
      entries: [
        { role: "ANALYST", rights: ["VIEW", "RUN"] },
        { userId: "u1", rights: ["VIEW", "EDIT", "SHARE"] },
      ],
      problems: [],
    });
  });

  it("keeps VIEW while another right is held and adds it with any right", () => {
    expect(toggledRights(["VIEW", "RUN"], "VIEW")).toEqual(["VIEW", "RUN"]);
    expect(toggledRights([], "SHARE")).toEqual(["VIEW", "SHARE"]);
    expect(toggledRights(["VIEW", "RUN"], "RUN")).toEqual(["VIEW"]);
    expect(toggledRights(["VIEW"], "VIEW")).toEqual([]);
  });

  it("asks for a user id and at least one right", () => {
    const row = { ...newAclRow("user"), rights: [] };
    expect(aclEntries([row]).problems).toEqual([
      { path: "entries.0", message: "Give a user id." },
      { path: "entries.0.rights", message: "Tick at least one right, or remove the row." },
    ]);
  });
});
