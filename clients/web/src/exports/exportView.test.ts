import { describe, expect, it } from "vitest";
import { describeExpiry, describeRedactions, exportInput, propertyList } from "./exportView.ts";

const choices = {
  format: "PDF" as const,
  destinationRegion: " eu-west-1 ",
  locale: "de-DE",
  redactEmails: false,
  redactNames: false,
  redactProperties: "",
};

describe("the export form", () => {
  it("sends no redaction when nothing is redacted", () => {
    expect(exportInput("r1", 2, choices)).toEqual({
      reportId: "r1",
      version: 2,
      format: "PDF",
      destinationRegion: "eu-west-1",
      locale: "de-DE",
    });
  });

  it("sends e-mails, names and the listed properties when asked", () => {
    expect(exportInput("r1", 1, { ...choices, redactEmails: true, redactProperties: "address, pattern address" }).redaction).toEqual({
      emails: true,
      names: false,
      properties: ["address", "pattern"],
    });
    expect(propertyList(" , ")).toEqual([]);
  });

  it("says when a link expires", () => {
    const now = Date.parse("2026-12-01T10:00:00Z");
    expect(describeExpiry("2026-12-01T10:15:00Z", now)).toBe("expires in 15 min");
    expect(describeExpiry("2026-12-01T10:00:30Z", now)).toBe("expires in 30 s");
    expect(describeExpiry("2026-12-01T09:59:00Z", now)).toBe("expired");
  });

  it("sums the redaction log by rule", () => {
    expect(
      describeRedactions([
        { rule: "email", count: 2 },
        { rule: "name", count: 1 },
        { rule: "email", count: 1 },
      ]),
    ).toBe("email ×3, name ×1");
    expect(describeRedactions([])).toBe("nothing redacted");
  });
});
