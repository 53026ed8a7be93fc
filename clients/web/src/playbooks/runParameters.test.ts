import { describe, expect, it } from "vitest";
import { initialValues, problemsFor, runParameters, type RunParameter } from "./runParameters.ts";

const PARAMS: RunParameter[] = [
  { name: "org", type: "STRING", required: true, default: null, options: null },
  { name: "limit", type: "NUMBER", required: false, default: 10, options: null },
  { name: "since", type: "DATE", required: false, default: null, options: null },
  { name: "level", type: "ENUM", required: true, default: "LOW", options: ["LOW", "HIGH"] },
];

describe("run parameters", () => {
  it("starts from the defaults as text", () => {
    expect(initialValues(PARAMS)).toEqual({ org: "", limit: "10", since: "", level: "LOW" });
  });

  it("coerces numbers and leaves empty values to the API's defaults", () => {
    expect(runParameters(PARAMS, { org: " Acme ", limit: "25", since: "", level: "" })).toEqual({
      parameters: { org: "Acme", limit: 25 },
      problems: [],
    });
  });

  it("names each bad value by the API's path", () => {
    const { problems } = runParameters(PARAMS, { org: "", limit: "ten", since: "31/03/2026", level: "MEDIUM" });
    expect(problems).toEqual([
      { path: "parameters.org", message: "is required (string)" },
      { path: "parameters.limit", message: 'must be a number, got "ten"' },
      { path: "parameters.since", message: "must be a date such as 2026-03-31 or 2026-03-31T09:00:00Z" },
      { path: "parameters.level", message: "must be one of LOW, HIGH" },
    ]);
    expect(problemsFor(problems, "limit")).toEqual(['must be a number, got "ten"']);
    expect(problemsFor(problems, "nope")).toEqual([]);
  });
});
