import { describe, expect, it } from "vitest";
import { bandOf, computeScore, describeParts, indicatorTypeOf, type AdmiraltyGrade, type ScoreInputs } from "./scoreModel.ts";

const NOW = Date.parse("2026-06-01T00:00:00Z");
const DAY = 86_400_000;
const grades =
  (table: Record<string, AdmiraltyGrade>) =>
  (source: string): AdmiraltyGrade =>
    table[source] ?? "F";

const score = (inputs: Partial<ScoreInputs>) =>
  computeScore(
    { pattern: "[ipv4-addr:value = '203.0.113.7']", sources: ["feed-b"], gradeOf: grades({ "feed-b": "B" }), seenAt: NOW, ...inputs },
    NOW,
  );

describe("confidence model (hand-computed cases)", () => {
  it("scores one B source seen now as its weight: 75", () => {
    const result = score({});
    expect(result.score).toBe(75);
    expect(result.parts).toEqual({ reliability: 0.75, corroboration: 0, sightings: 0, decay: 1, feedback: "NONE" });
  });

  it("corroboration: two independent B sources give 1 − 0.25² = 0.9375 → 94; a repeated source counts once", () => {
    const two = score({ sources: ["feed-b", "feed-b2"], gradeOf: grades({ "feed-b": "B", "feed-b2": "B" }) });
    expect(two.score).toBe(94);
    expect(two.parts.corroboration).toBe(0.1875);
    expect(score({ sources: ["feed-b", "feed-b", " feed-b "] }).score).toBe(75);
  });

  it("decay: one half-life halves the score, by indicator type (IP 30 d, domain 90 d, file hash 365 d)", () => {
    const a = grades({ feed: "A" });
    expect(score({ sources: ["feed"], gradeOf: a, seenAt: NOW - 30 * DAY }).score).toBe(45);
    expect(score({ sources: ["feed"], gradeOf: a, seenAt: NOW - 60 * DAY }).score).toBe(23); // 90 × 0.25 = 22.5 → 23
    const domain = { pattern: "[domain-name:value = 'evil.example']", sources: ["feed"], gradeOf: a };
    expect(score({ ...domain, seenAt: NOW - 30 * DAY }).score).toBe(71); // 90 × 0.5^(1/3) = 71.43
    expect(score({ ...domain, seenAt: NOW - 90 * DAY }).score).toBe(45);
    const hash = { pattern: "[file:hashes.'SHA-256' = 'ab12']", sources: ["feed"], gradeOf: a };
    expect(score({ ...hash, seenAt: NOW - 90 * DAY }).score).toBe(76); // 90 × 0.5^(90/365) = 75.6
    expect(score({ ...hash, seenAt: NOW - 365 * DAY }).score).toBe(45);
    expect(score({ seenAt: NOW - 30 * DAY }).parts.decay).toBe(0.5);
  });

  it("sightings add 0.05 · log₂(1 + n), capped at 0.15", () => {
    expect(score({ sightings: 1 }).score).toBe(80);
    expect(score({ sightings: 3 }).score).toBe(85);
    expect(score({ sightings: 3 }).parts.sightings).toBe(0.1);
    expect(score({ sightings: 7 }).score).toBe(90);
    expect(score({ sightings: 10_000 }).score).toBe(90);
  });

  it("feedback: FALSE_POSITIVE is 0, CONFIRMED at least 90 (and keeps a higher modelled score)", () => {
    expect(score({ feedback: "FALSE_POSITIVE", sightings: 7 }).score).toBe(0);
    expect(score({ feedback: "CONFIRMED", sources: ["unknown"], seenAt: NOW - 300 * DAY }).score).toBe(90);
    const high = score({ feedback: "CONFIRMED", sources: ["x", "y"], gradeOf: grades({ x: "A", y: "A" }) });
    expect(high.score).toBe(99);
    expect(high.parts.feedback).toBe("CONFIRMED");
    expect(score({ feedback: "SOMETHING" }).parts.feedback).toBe("NONE");
  });

  it("a source nobody graded, or none at all, counts as F (0.3)", () => {
    expect(score({ sources: ["who-knows"] }).score).toBe(30);
    expect(score({ sources: [] }).score).toBe(30);
    expect(score({ sources: ["who-knows"] }).sources).toEqual([{ source: "who-knows", grade: "F" }]);
  });

  it("stays within 0–100: many A sources and sightings reach 100, never more; a future lastSeen does not raise it", () => {
    const many = score({ sources: ["a", "b", "c", "d"], gradeOf: () => "A", sightings: 1e6 });
    expect(many.score).toBe(100);
    expect(score({ seenAt: NOW + 10 * DAY }).score).toBe(75);
    expect(score({ sources: ["e"], gradeOf: () => "E", seenAt: NOW - 3650 * DAY }).score).toBe(0);
  });

  it("derives the indicator type from the STIX pattern, else from the kind", () => {
    expect(indicatorTypeOf("[ipv6-addr:value = '2001:db8::1']")).toBe("ip");
    expect(indicatorTypeOf("[url:value = 'http://x.example/a']")).toBe("url");
    expect(indicatorTypeOf("[email-addr:value = 'a@b.example']")).toBe("email");
    expect(indicatorTypeOf("198.51.100.4", "ipv4")).toBe("ip");
    expect(indicatorTypeOf("evil.example", "domain")).toBe("domain");
    expect(indicatorTypeOf("ab12", "sha256")).toBe("file-hash");
    expect(indicatorTypeOf("something", "yara")).toBe("other");
    expect(score({ pattern: "x", kind: "yara", seenAt: NOW - 60 * DAY }).score).toBe(38); // 75 × 0.5 = 37.5 → 38
  });

  it("bands by the tenant's thresholds: HIGH ≥ high, LOW < low", () => {
    const t = { high: 75, low: 30 };
    expect([bandOf(75, t), bandOf(74, t), bandOf(30, t), bandOf(29, t)]).toEqual(["HIGH", "MEDIUM", "MEDIUM", "LOW"]);
  });

  it("explains each part in a sentence", () => {
    const parts = describeParts(score({ sources: ["feed-b", "other"], sightings: 1, seenAt: NOW - 30 * DAY }));
    expect(parts.map((p) => p.name)).toEqual(["reliability", "corroboration", "sightings", "decay", "feedback"]);
    expect(parts[0]!.sentence).toBe("Best source feed-b is graded B (usually reliable): 75 %.");
    expect(parts[1]!.sentence).toBe("1 more independent source adds 8 %.");
    expect(parts[3]!.sentence).toBe("Last seen 30.0 days ago; ip indicators lose half their confidence in 30 days: × 0.50.");
  });
});
