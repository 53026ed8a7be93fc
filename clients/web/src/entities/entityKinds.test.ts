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
    expect(vars.vulnerabilities).toEqual({
      OR: ["name", "cveId"].flatMap((field) => ["acme", "ACME", "Acme"].map((v) => ({ [field]: { contains: v } }))),
    });
  });

  it("flattens results into labelled hits", () => {
    const hits = hitsOf({
      people: [{ id: "p1", name: "Dana", email: "d@x.example", marking: "GREEN", score: null }],
      organizations: [],
      domains: [{ id: "d1", name: "example.org", marking: "CLEAR", score: 40 }],
      ipAddresses: [],
      indicators: [{ id: "n1", pattern: "[domain-name:value = 'example.org']", kind: "domain-name", marking: "AMBER_STRICT", score: 81 }],
      incidents: [{ id: "i1", title: "Phish", severity: null, marking: "RED", score: null }],
      threatActors: [{ id: "t1", name: "APT28", marking: "AMBER", score: 88 }],
      intrusionSets: [],
      campaigns: [],
      malwares: [],
      tools: [],
      attackPatterns: [{ id: "a1", name: "Phishing", attackId: "T1566", marking: "CLEAR", score: null }],
      vulnerabilities: [{ id: "v1", name: "PAN-OS command injection", cveId: "CVE-2024-3400", marking: "GREEN", score: 90 }],
    });
    expect(hits).toEqual([
      { id: "p1", kind: "Person", label: "Dana", detail: "d@x.example", marking: "GREEN", score: null },
      { id: "d1", kind: "Domain", label: "example.org", detail: null, marking: "CLEAR", score: 40 },
      {
        id: "n1",
        kind: "Indicator",
        label: "[domain-name:value = 'example.org']",
        detail: "domain-name",
        marking: "AMBER_STRICT",
        score: 81,
      },
      { id: "i1", kind: "Incident", label: "Phish", detail: null, marking: "RED", score: null },
      { id: "t1", kind: "ThreatActor", label: "APT28", detail: null, marking: "AMBER", score: 88 },
      { id: "a1", kind: "AttackPattern", label: "Phishing", detail: "T1566", marking: "CLEAR", score: null },
      { id: "v1", kind: "Vulnerability", label: "PAN-OS command injection", detail: "CVE-2024-3400", marking: "GREEN", score: 90 },
    ]);
  });
});
