import { describe, expect, it } from "vitest";
import { caseVariants, hitsOf, searchVariables } from "./entityKinds.ts";

describe("entity search", () => {
  it("tries the spellings a case-sensitive CONTAINS needs", () => {
    expect(caseVariants("  dana whit ")).toEqual(["dana whit", "DANA WHIT", "Dana Whit"]);
    expect(caseVariants("ACME")).toEqual(["ACME", "acme", "Acme"]);
    expect(caseVariants("  ")).toEqual([]);
  });

  it("searches every type on its label fields", () => {
    const vars = searchVariables("acme", 5);
    expect(vars.limit).toBe(5);
    expect(vars.organizations).toEqual({
      OR: [{ name: { contains: "acme" } }, { name: { contains: "ACME" } }, { name: { contains: "Acme" } }],
    });
    expect(vars.people.OR).toHaveLength(6);
  });

  it("flattens results into labelled hits", () => {
    const hits = hitsOf({
      people: [{ id: "p1", name: "Dana", email: "d@x.example" }],
      organizations: [],
      domains: [{ id: "d1", name: "example.org" }],
      ipAddresses: [],
      indicators: [],
      incidents: [{ id: "i1", title: "Phish", severity: null }],
    });
    expect(hits).toEqual([
      { id: "p1", kind: "Person", label: "Dana", detail: "d@x.example" },
      { id: "d1", kind: "Domain", label: "example.org", detail: null },
      { id: "i1", kind: "Incident", label: "Phish", detail: null },
    ]);
  });
});
