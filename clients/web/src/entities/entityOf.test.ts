import { describe, expect, it } from "vitest";
import type { EntityByIdQuery } from "../api/generated/graphql.ts";
import { entityOf } from "./entityOf.ts";

const provenance = {
  id: "e1",
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: null,
  source: "people.csv",
  firstSeen: null,
  lastSeen: null,
  sources: null,
  ingestJobIds: null,
  recordHash: null,
  marking: "GREEN",
  score: null,
  scoreBreakdown: null,
  scoredAt: null,
};
const none = {
  people: [],
  organizations: [],
  domains: [],
  ipAddresses: [],
  indicators: [],
  incidents: [],
  threatActors: [],
  intrusionSets: [],
  campaigns: [],
  malwares: [],
  tools: [],
  attackPatterns: [],
  vulnerabilities: [],
  mergeDecisions: [],
};
const data = (extra: Partial<Record<keyof typeof none, unknown[]>>) => ({ ...none, ...extra }) as unknown as EntityByIdQuery;

describe("entityOf", () => {
  it("shows the entity the query found, with a dash for empty properties", () => {
    const person = { ...provenance, name: "Dana Whitfield", email: null };
    expect(entityOf(data({ people: [person] }))).toEqual({
      kind: "Person",
      label: "Dana Whitfield",
      properties: [["E-mail", "—"]],
      provenance: person,
      intel: { marking: "GREEN", score: null, scoreBreakdown: null, scoredAt: null },
    });
    const incident = { ...provenance, title: "Breach", severity: "HIGH", status: "" };
    expect(entityOf(data({ incidents: [incident] }))).toMatchObject({
      kind: "Incident",
      label: "Breach",
      properties: [
        ["Severity", "HIGH"],
        ["Status", "—"],
      ],
    });
  });

  it("carries an indicator's marking, score, verdict and suppression", () => {
    const indicator = {
      ...provenance,
      marking: "AMBER",
      score: 64,
      scoreBreakdown: "{}",
      scoredAt: "2026-01-02T00:00:00Z",
      pattern: "[ipv4-addr:value = '203.0.113.7']",
      kind: "ipv4-addr",
      description: null,
      indicatorTypes: ["malicious-activity"],
      validFrom: null,
      validUntil: null,
      sightings: 3,
      feedback: "CONFIRMED",
      feedbackBy: "u1",
      feedbackAt: "2026-01-02T00:00:00Z",
      suppressed: false,
      suppressedBy: null,
      suppressedAt: null,
    };
    const entity = entityOf(data({ indicators: [indicator] }))!;
    expect(entity.intel).toEqual({ marking: "AMBER", score: 64, scoreBreakdown: "{}", scoredAt: "2026-01-02T00:00:00Z" });
    expect(entity.indicator).toEqual({
      feedback: "CONFIRMED",
      feedbackBy: "u1",
      feedbackAt: "2026-01-02T00:00:00Z",
      suppressed: false,
      suppressedBy: null,
      suppressedAt: null,
    });
    expect(entity.properties).toContainEqual(["Indicator types", "malicious-activity"]);
    expect(entity.properties).toContainEqual(["Sightings", "3"]);
  });

  it("shows a STIX domain object by its type, with its ATT&CK or CVE id first", () => {
    const stix = { ...provenance, stixId: "attack-pattern--1", name: "Phishing", description: null, aliases: [], externalReferences: null };
    expect(entityOf(data({ attackPatterns: [{ __typename: "AttackPattern", ...stix, attackId: "T1566" }] }))).toMatchObject({
      kind: "AttackPattern",
      label: "Phishing",
      properties: [
        ["ATT&CK id", "T1566"],
        ["Description", "—"],
        ["Aliases", "—"],
        ["External references", "—"],
        ["STIX id", "attack-pattern--1"],
      ],
    });
    expect(entityOf(data({ vulnerabilities: [{ __typename: "Vulnerability", ...stix, cveId: "CVE-2024-3400" }] }))?.properties[0]).toEqual([
      "CVE id",
      "CVE-2024-3400",
    ]);
  });

  it("finds nothing when every list is empty", () => {
    expect(entityOf(data({}))).toBeNull();
  });
});
