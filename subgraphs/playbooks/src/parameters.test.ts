import { describe, expect, it } from "vitest";
import type { Parameter } from "./model.ts";
import { defaultProblems, resolveParameters } from "./parameters.ts";

const p = (over: Partial<Parameter> & Pick<Parameter, "name" | "type">): Parameter => ({
  required: false,
  default: null,
  options: null,
  entityType: null,
  description: null,
  ...over,
});
const DEFS = [
  p({ name: "label", type: "STRING", required: true }),
  p({ name: "n", type: "NUMBER", default: 5 }),
  p({ name: "day", type: "DATE" }),
  p({ name: "level", type: "ENUM", options: ["LOW", "HIGH"] }),
  p({ name: "who", type: "ENTITY", entityType: "Person" }),
];
const exists = async (_: string, id: string) => id === "known";

async function problemsOf(given: unknown) {
  try {
    await resolveParameters(DEFS, given, exists);
    return [];
  } catch (error) {
    return ((error as { extensions: { problems: Array<{ path: string }> } }).extensions.problems ?? []).map((x) => x.path);
  }
}

describe("resolveParameters", () => {
  it("fills defaults and keeps valid values", async () => {
    expect(await resolveParameters(DEFS, { label: "x", day: "2028-02-29", level: "HIGH", who: "known" }, exists)).toEqual({
      label: "x",
      n: 5,
      day: "2028-02-29",
      level: "HIGH",
      who: "known",
    });
  });

  it("names each bad parameter: missing, wrong type, bad date, outside the options, unknown, an entity that does not exist", async () => {
    expect(await problemsOf({})).toEqual(["parameters.label"]);
    expect(await problemsOf({ label: 1 })).toEqual(["parameters.label"]);
    expect(await problemsOf({ label: "x", n: "5" })).toEqual(["parameters.n"]);
    expect(await problemsOf({ label: "x", day: "2027-02-29" })).toEqual(["parameters.day"]);
    expect(await problemsOf({ label: "x", day: "yesterday" })).toEqual(["parameters.day"]);
    expect(await problemsOf({ label: "x", level: "MEDIUM" })).toEqual(["parameters.level"]);
    expect(await problemsOf({ label: "x", other: 1 })).toEqual(["parameters.other"]);
    expect(await problemsOf({ label: "x", who: "someone-else" })).toEqual(["parameters.who"]);
    expect(await problemsOf([1])).toEqual(["parameters"]);
  });

  it("checks defaults against their type when a playbook is saved", () => {
    expect(
      defaultProblems([p({ name: "n", type: "NUMBER", default: "five" }), p({ name: "e", type: "ENUM", options: ["A"], default: "A" })]),
    ).toEqual([{ path: "parameters.0.default", message: 'the default of "n" must be a number, got "five"' }]);
  });
});
