import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Subjects } from "./buildExportDocument.ts";
import type { ExportDocument } from "./exportModel.ts";
import { redact } from "./redaction.ts";

const sha = (v: string) => createHash("sha256").update(v).digest("hex");

const doc = (): ExportDocument => ({
  title: "Ada Lovelace at Acme",
  reportId: "r1",
  version: 1,
  publishedAt: "1 December 2026",
  publishedBy: "u1",
  forced: false,
  justification: null,
  generatedAt: "1 December 2026",
  locale: "en-GB",
  residency: { region: "eu-west-1", legalEntity: "Acme Ltd", label: "eu-west-1/Acme Ltd", policyId: "residency/same-region/v1" },
  marking: "GREEN",
  withheld: 0,
  branding: { name: "Acme", footer: null, accentColor: "#000000", logo: null },
  sections: [{ number: 1, title: "Summary", body: "Write to ada@acme.example or ADA@ACME.EXAMPLE; Ada Lovelace and Ada lead 192.0.2.7." }],
  findings: [
    {
      number: 1,
      title: "f",
      body: "",
      evidence: [
        {
          key: "E1.1",
          kind: "QUERY_SNAPSHOT",
          label: "Question",
          note: null,
          score: null,
          annotations: ["ada lovelace again"],
          snapshot: {
            question: "q",
            cypher: "MATCH (n0:Person)",
            columns: ["n0_name"],
            rows: [["Ada Lovelace"]],
            truncated: false,
            resultHash: "h",
            capturedAt: "",
          },
        },
      ],
    },
  ],
  provenance: [
    {
      key: "E1.1",
      kind: "QUERY_SNAPSHOT",
      label: "Question",
      source: null,
      ingestJobs: [],
      recordHash: "h",
      firstSeen: null,
      lastSeen: null,
    },
  ],
});

const subjects: Subjects = { personNames: ["Ada Lovelace", "Ada", "A"], values: (p) => (p === "address" ? ["192.0.2.7"] : []) };

describe("redact", () => {
  it("replaces e-mails, people's names (longest first, any case) and chosen properties everywhere, logging hashes not values", () => {
    const { document, log } = redact(doc(), { emails: true, names: true, properties: ["address"] }, subjects);
    expect(document.sections[0]!.body).toBe(
      "Write to [redacted e-mail] or [redacted e-mail]; [redacted name] and [redacted name] lead [redacted address].",
    );
    expect(document.title).toBe("[redacted name] at Acme");
    expect(document.findings[0]!.evidence[0]!.snapshot!.rows).toEqual([["[redacted name]"]]);
    expect(document.findings[0]!.evidence[0]!.annotations).toEqual(["[redacted name] again"]);
    // Structure stays: the residency label, hashes and Cypher are not content.
    expect(document.residency.label).toBe("eu-west-1/Acme Ltd");
    expect(document.findings[0]!.evidence[0]!.snapshot!.cypher).toBe("MATCH (n0:Person)");
    expect(log).toContainEqual({ rule: "email", count: 2, valueSha256: sha("ada@acme.example") });
    expect(log).toContainEqual({ rule: "property:address", count: 1, valueSha256: sha("192.0.2.7") });
    expect(log.filter((e) => e.rule === "name").reduce((n, e) => n + e.count, 0)).toBe(5);
    expect(JSON.stringify(log)).not.toMatch(/Ada|acme\.example/);
  });

  it("changes nothing without rules", () => {
    const original = doc();
    expect(redact(original, {}, subjects)).toEqual({ document: original, log: [] });
  });
});
