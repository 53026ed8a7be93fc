import { describe, expect, it } from "vitest";
import { countTokens } from "./tokenLimit.ts";

describe("countTokens", () => {
  it("counts punctuators, names and values", () => {
    expect(countTokens("{ people(limit: 2) { id } }", 100)).toBe(11);
  });

  it("stops just past the limit", () => {
    expect(countTokens(`{ ${"a ".repeat(10_000)} }`, 50)).toBe(51);
  });

  it("leaves documents that do not lex to the parser", () => {
    expect(countTokens('{ a(s: "unterminated) }', 100)).toBeNull();
  });
});
