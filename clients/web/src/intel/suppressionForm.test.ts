import { describe, expect, it } from "vitest";
import { describeMatch, emptyRuleForm, formProblems, matchInput, ruleFormOf, ruleInput, typeOptions } from "./suppressionForm.ts";

describe("the suppression rule form", () => {
  it("sends only the conditions given, sources split and deduplicated", () => {
    const form = {
      ...emptyRuleForm(),
      name: " Private ",
      types: ["ipv4-addr"],
      sources: "feed-a, ,feed-b, feed-a",
      allowLists: ["PRIVATE_RANGES" as const],
    };
    expect(ruleInput(form)).toEqual({
      input: {
        name: "Private",
        enabled: false,
        match: {
          types: ["ipv4-addr"],
          sources: ["feed-a", "feed-b"],
          scoreBelow: null,
          patternRegex: null,
          allowLists: ["PRIVATE_RANGES"],
        },
      },
      problems: [],
    });
  });

  it("refuses an empty rule, a missing name and a score outside 1–101 before sending", () => {
    expect(ruleInput(emptyRuleForm()).problems.map((p) => p.path)).toEqual(["name", "match"]);
    expect(matchInput({ ...emptyRuleForm(), scoreBelow: "0" }).problems).toEqual([
      { path: "scoreBelow", message: "A whole number from 1 to 101." },
    ]);
    expect(matchInput({ ...emptyRuleForm(), scoreBelow: "12.5" }).match).toBeUndefined();
    expect(matchInput({ ...emptyRuleForm(), scoreBelow: "101" }).match?.scoreBelow).toBe(101);
    expect(matchInput({ ...emptyRuleForm(), patternRegex: "a".repeat(201) }).problems[0]?.path).toBe("patternRegex");
  });

  it("puts the API's problems under the fields, whether from a save or a dry run", () => {
    expect(
      formProblems([
        { path: "match.patternRegex", message: "the pattern expression has a backreference" },
        { path: "patternRegex", message: "too long" },
        { path: "name", message: "must not be blank" },
        { path: "match", message: "give at least one condition" },
        { path: "input", message: "at most 100 rules" },
        { path: "match.types.0", message: "must not be blank" },
      ]),
    ).toEqual([
      { path: "patternRegex", message: "the pattern expression has a backreference" },
      { path: "patternRegex", message: "too long" },
      { path: "name", message: "must not be blank" },
      { path: "match", message: "give at least one condition" },
      { path: "match", message: "at most 100 rules" },
      { path: "types", message: "must not be blank" },
    ]);
  });

  it("edits a stored rule, keeping types it does not offer", () => {
    const rule = {
      id: "r1",
      name: "Junk",
      enabled: true,
      match: { types: ["stix", "url"], sources: ["feed-x"], scoreBelow: 20, patternRegex: "^\\[url", allowLists: null },
      suppressedCount: 3,
      createdBy: "u",
      createdAt: "",
      updatedBy: "u",
      updatedAt: "",
    };
    const form = ruleFormOf(rule);
    expect(form).toEqual({
      name: "Junk",
      enabled: true,
      types: ["stix", "url"],
      sources: "feed-x",
      scoreBelow: "20",
      patternRegex: "^\\[url",
      allowLists: [],
    });
    expect(typeOptions(form)).toEqual(["ipv4-addr", "ipv6-addr", "domain-name", "url", "file", "email-addr", "stix"]);
    expect(describeMatch(rule.match)).toBe("types stix, url; sources feed-x; score below 20; pattern /^\\[url/i");
  });
});
