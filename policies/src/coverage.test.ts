import { readFileSync } from "node:fs";
import { buildSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { policyCoverage } from "./coverage.ts";

describe("policy coverage of schema/api.graphql", () => {
  it("covers every operation, with no stale entries", () => {
    const api = buildSchema(readFileSync(new URL("../../schema/api.graphql", import.meta.url), "utf8"));
    const report = policyCoverage(api);
    expect(report.uncovered).toEqual([]);
    expect(report.stale).toEqual([]);
    expect(report.covered.length).toBeGreaterThan(40);
  });

  it("reports an operation without a policy as uncovered", () => {
    const report = policyCoverage(buildSchema(`type Query { me: Int secretThing: Int }`));
    expect(report.uncovered).toEqual(["Query.secretThing"]);
  });
});
