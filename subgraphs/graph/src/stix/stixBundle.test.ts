import { describe, expect, it } from "vitest";
import { buildStixBundle, stixIdOf, uuidv5, type ExportNode } from "./stixBundle.ts";

const node = (key: string, label: string, props: Record<string, unknown>): ExportNode => ({
  key,
  label,
  props: { id: `id-${key}`, createdAt: "2026-01-02T03:04:05.000Z", ...props },
});

describe("STIX bundle", () => {
  it("derives ids as STIX does for observables and from the key otherwise, and reuses an imported id", () => {
    // STIX 2.1's own example (section 2.9): uuidv5 of {"value":"example.com"} in its namespace.
    expect(uuidv5('{"value":"example.com"}', "00abedb4-aa42-466c-9c01-fed23315a9b7")).toBe("bedb4899-d24b-5401-bc86-8f6b4cc18ec7");
    expect(stixIdOf(node("1", "Domain", { name: "example.com" }), "domain-name")).toBe("domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7");
    const actor = node("2", "ThreatActor", { name: "Copper Fox", erKey: "name=copper fox" });
    expect(stixIdOf(actor, "threat-actor")).toBe(stixIdOf({ ...actor, key: "other", props: { ...actor.props, id: "x" } }, "threat-actor"));
    expect(stixIdOf(node("3", "Malware", { stixId: "malware--29396464-c3d4-4710-9dce-1c556daddbb0" }), "malware")).toBe(
      "malware--29396464-c3d4-4710-9dce-1c556daddbb0",
    );
  });

  it("marks every object, includes the definitions used, carries the highest marking and drops edges leaving the selection", () => {
    const nodes = [
      node("a", "ThreatActor", { name: "Copper Fox", marking: "GREEN" }),
      node("m", "Malware", { name: "QuietLoader", marking: "AMBER", isFamily: true }),
      node("v", "Vulnerability", { name: "CVE-2024-3400", cveId: "CVE-2024-3400" }),
    ];
    const edges = [
      { from: "a", to: "m", type: "USES", props: { marking: "CLEAR", confidence: 0.8 } },
      { from: "a", to: "gone", type: "USES", props: {} },
    ];
    const { bundle, marking, objectCount } = buildStixBundle(nodes, edges);
    const objects = bundle["objects"] as Array<Record<string, any>>;
    expect(marking).toBe("AMBER");
    expect(objectCount).toBe(4);
    expect(objects.filter((o) => o["type"] === "marking-definition").map((o) => o["name"])).toEqual([
      "TLP:AMBER",
      "TLP:CLEAR",
      "TLP:GREEN",
    ]);
    const vulnerability = objects.find((o) => o["type"] === "vulnerability")!;
    // No marking stored: the default, GREEN; the CVE id as an external reference.
    expect(vulnerability["object_marking_refs"]).toEqual(["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]);
    expect(vulnerability["external_references"]).toEqual([{ source_name: "cve", external_id: "CVE-2024-3400" }]);
    const uses = objects.find((o) => o["type"] === "relationship")!;
    expect(uses).toMatchObject({ relationship_type: "uses", confidence: 80, created: "2026-01-02T03:04:05.000Z" });
    expect(buildStixBundle(nodes, edges)).toEqual({ bundle, marking, objectCount });
  });
});
