import { describe, expect, it } from "vitest";
import { createAskTerms } from "./askTerms.ts";
import { checkCypher } from "./checkCypher.ts";
import { compileCypher } from "./compileCypher.ts";
import { createGraphVocabulary } from "./graphVocabulary.ts";
import { interpretQuestion } from "./interpretQuestion.ts";
import { extendVocabulary } from "./tenantVocabulary.ts";

const base = createGraphVocabulary();
const approved = {
  entities: new Map([
    ["Vessel", new Set(["name", "flag"])],
    ["Person", new Set(["shoeSize"])],
  ]),
  relationships: [
    { from: "Vessel", type: "OPERATED_BY", to: "Organization" },
    { from: "Vessel", type: "DOCKED_AT", to: "Harbour" },
  ],
};

describe("a tenant's vocabulary", () => {
  const tenant = extendVocabulary(base, approved);

  it("adds approved entity types with their mapped properties, and relationships between labels it knows", () => {
    expect(tenant.labels.get("Vessel")).toEqual(new Set(["name", "flag"]));
    expect(tenant.relationships).toContainEqual({ from: "Vessel", type: "OPERATED_BY", to: "Organization" });
    // Harbour is no label of this tenant; a built-in label keeps exactly its schema's properties.
    expect(tenant.relationships.some((r) => r.to === "Harbour")).toBe(false);
    expect(tenant.labels.get("Person")).toEqual(base.labels.get("Person"));
    expect(base.labels.has("Vessel")).toBe(false);
  });

  it("lets questions name the approved types, and only where they are approved", () => {
    const read = interpretQuestion("how many vessels flagged “Panama”", tenant, createAskTerms(tenant));
    expect(read.ok).toBe(true);
    const ir = (read as Extract<typeof read, { ok: true }>).interpretation.ir;
    expect(ir.nodes).toEqual([{ var: "n0", label: "Vessel" }]);
    const compiled = compileCypher(ir, tenant, "t1");
    expect(compiled.cypher).toContain("(n0:Vessel)");
    expect(checkCypher(compiled.cypher, tenant)).toEqual([]);
    // The schema alone does not know the label: the compiler and the parse-tree check refuse it.
    expect(() => compileCypher(ir, base, "t1")).toThrow();
    expect(checkCypher(compiled.cypher, base)).not.toEqual([]);
    expect(interpretQuestion("how many vessels", base, createAskTerms(base)).ok).toBe(false);
  });
});
