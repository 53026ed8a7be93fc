import { describe, expect, it } from "vitest";
import { describeConfidence, formatCell, parametersText, tableOf } from "./askView.ts";

describe("the Ask screen's view of an answer", () => {
  it("calls confidence below the threshold low, at or above it high", () => {
    expect(describeConfidence(0.55)).toEqual({ percent: "55%", level: "low" });
    expect(describeConfidence(0.7)).toEqual({ percent: "70%", level: "high" });
    expect(describeConfidence(1.2)).toEqual({ percent: "100%", level: "high" });
  });

  it("shows cells as text: scalars, nulls, nodes by their name, other objects as JSON", () => {
    expect(formatCell("Acme Corp")).toBe("Acme Corp");
    expect(formatCell(12)).toBe("12");
    expect(formatCell(null)).toBe("—");
    expect(formatCell({ id: "p1", name: "Dana Whitfield", email: "dana@acme.example" })).toBe("Dana Whitfield");
    expect(formatCell({ x: 1 })).toBe('{"x":1}');
    expect(formatCell(["a", 2])).toBe("a, 2");
  });

  it("lays rows out in column order, a missing column as a dash", () => {
    expect(tableOf(["n0_name", "count"], [{ count: 3, n0_name: "Acme Corp" }, { n0_name: "Blue Harbor" }])).toEqual([
      ["Acme Corp", "3"],
      ["Blue Harbor", "—"],
    ]);
  });

  it("prints parameters as indented JSON", () => {
    expect(parametersText({ tenantId: "t1", p0: "Acme" })).toBe('{\n  "tenantId": "t1",\n  "p0": "Acme"\n}');
    expect(parametersText(null)).toBe("{}");
  });
});
