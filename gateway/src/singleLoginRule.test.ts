import { buildSchema, parse, specifiedRules, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { singleLoginRule } from "./singleLoginRule.ts";

const schema = buildSchema(`type Query { me: Int } type Mutation { login(p: String): Int other: Int }`);
const check = (doc: string) => validate(schema, parse(doc), [...specifiedRules, singleLoginRule]).map((e) => e.message);

describe("singleLoginRule", () => {
  it("allows one login, refuses aliased repeats", () => {
    expect(check(`mutation { login(p: "a") other }`)).toEqual([]);
    expect(check(`mutation { a: login(p: "a") b: login(p: "b") c: login(p: "c") }`)).toEqual([
      "Sign in once per request: `login` may appear only once in an operation.",
    ]);
  });
});
