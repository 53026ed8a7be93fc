import { describe, expect, it } from "vitest";
import { renderTemplate, TemplateError } from "./template.ts";

const scope = { params: { org: "Acme", limit: 3, tags: ["a", "b"] }, steps: { ask: { rows: [{ name: "Ada" }, { name: "Bob" }] } } };

describe("renderTemplate", () => {
  it("substitutes parameters and earlier outputs in every string, keeping a lone placeholder's value as is", () => {
    expect(
      renderTemplate(
        { q: "Who works for {{params.org}}?", n: "{{ params.limit }}", first: "{{steps.ask.rows.0.name}}", list: ["{{params.tags}}", 7] },
        scope,
      ),
    ).toEqual({ q: "Who works for Acme?", n: 3, first: "Ada", list: [["a", "b"], 7] });
    expect(renderTemplate("tags: {{params.tags}}", scope)).toBe('tags: ["a","b"]');
  });

  it("evaluates nothing: an unknown root, parameter or step is a TemplateError naming it", () => {
    expect(() => renderTemplate("{{process.env.SECRET}}", scope)).toThrow(TemplateError);
    expect(() => renderTemplate("{{params.nope}}", scope)).toThrow('{{params.nope}}: "nope" is not there.');
    expect(() => renderTemplate("{{steps.later.x}}", scope)).toThrow('{{steps.later.x}}: no earlier step "later" has an output.');
    expect(renderTemplate("{{ 1 + 1 }}", scope)).toBe("{{ 1 + 1 }}");
  });
});
