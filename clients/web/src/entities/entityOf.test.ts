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
};
const none = { people: [], organizations: [], domains: [], ipAddresses: [], indicators: [], incidents: [], mergeDecisions: [] };
const data = (extra: Partial<Record<keyof typeof none, unknown[]>>) => ({ ...none, ...extra }) as unknown as EntityByIdQuery;

describe("entityOf", () => {
  it("shows the entity the query found, with a dash for empty properties", () => {
    const person = { ...provenance, name: "Dana Whitfield", email: null };
    expect(entityOf(data({ people: [person] }))).toEqual({
      kind: "Person",
      label: "Dana Whitfield",
      properties: [["E-mail", "—"]],
      provenance: person,
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

  it("finds nothing when every list is empty", () => {
    expect(entityOf(data({}))).toBeNull();
  });
});
