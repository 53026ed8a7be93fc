/**
 * STIX 2.1 bundle export against the real stores: a selection and a
 * ThreatReport hold what they should with the highest marking of their
 * content; the round trip (import into A → export everything → import into
 * B) gives the same graph; a caller cleared for GREEN never gets AMBER
 * objects or their relationships; bad input and another tenant's ids.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { graphReader } from "../support/ingestGraph.ts";
import { login, useTestPlatform, type TestTenant } from "../support/platform.ts";
import { bundleOf, exportStix, graphSignature, importStix, stixFixture } from "../support/stixGraph.ts";

const platform = useTestPlatform("stixexport");
const { cypher } = graphReader(platform);
const signature = graphSignature(platform);
let a: TestTenant;
let b: TestTenant;
/** A's graph ids by name (title or pattern for the types without one). */
let ids: Record<string, string>;

const TLP2 = {
  CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
  GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
  AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
  AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
  RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
};
const codes = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => res.errors?.map((e) => e.extensions?.["code"]);
const named = (objects: Array<Record<string, any>>) =>
  objects
    .filter((o) => !["relationship", "marking-definition", "sighting"].includes(o["type"]))
    .map((o) => `${o["type"]}:${o["name"] ?? o["value"] ?? o["pattern"]}`)
    .sort();
/** Relationships as `source name -type-> target name`. */
const linksOf = (objects: Array<Record<string, any>>) => {
  const name = new Map(objects.map((o) => [o["id"], o["name"] ?? o["value"] ?? o["pattern"]]));
  return objects
    .filter((o) => o["type"] === "relationship")
    .map((o) => `${name.get(o["source_ref"])} -${o["relationship_type"]}-> ${name.get(o["target_ref"])}`)
    .sort();
};

beforeAll(async () => {
  a = await platform.newTenant("xa", "ENTERPRISE");
  b = await platform.newTenant("xb", "ENTERPRISE");
  const job = await importStix(platform, a.token, stixFixture("intel-bundle.json"), "intel");
  expect(job.state).toBe("SUCCEEDED");
  const rows = await cypher<{ name: string; id: string }>(
    `MATCH (n) WHERE n.tenantId = $t RETURN coalesce(n.name, n.title, n.pattern) AS name, n.id AS id`,
    { t: a.id },
  );
  ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  // Scores now, not when the job-finished event's rescoring gets to them (the exports below must not change between two calls).
  const scored = await gql(platform.url, `mutation { recomputeScores { indicatorsScored } }`, {}, { token: a.token });
  expect(scored.errors).toBeUndefined();
}, 120_000);

describe("stixBundle", () => {
  it("exports a selection: the entities, the relationships among them, TLP 2.0 markings and the highest as the bundle's", async () => {
    const res = await exportStix(platform, a.token, {
      ids: [ids["Copper Fox"], ids["Fox Den"], ids["QuietLoader"], ids["Operation Tin Lantern"]],
    });
    const { bundle, marking, objectCount, contentType, fileName } = bundleOf(res);
    expect(contentType).toBe("application/stix+json");
    expect(fileName).toMatch(/^stix-selection-\d{4}-\d{2}-\d{2}\.stix\.json$/);
    expect(bundle.type).toBe("bundle");
    expect(named(bundle.objects)).toEqual([
      "campaign:Operation Tin Lantern",
      "intrusion-set:Fox Den",
      "malware:QuietLoader",
      "threat-actor:Copper Fox",
    ]);
    expect(linksOf(bundle.objects)).toEqual([
      "Copper Fox -related-to-> Operation Tin Lantern",
      "Copper Fox -uses-> QuietLoader",
      "Fox Den -attributed-to-> Copper Fox",
      "Operation Tin Lantern -attributed-to-> Fox Den",
    ]);
    expect(objectCount).toBe(8);
    // Fox Den and its attribution are AMBER: the bundle is AMBER, and carries the definitions it uses.
    expect(marking).toBe("AMBER");
    const definitions = bundle.objects.filter((o) => o["type"] === "marking-definition").map((o) => o["id"]);
    expect(definitions.sort()).toEqual([TLP2.AMBER, TLP2.CLEAR, TLP2.GREEN].sort());
    for (const o of bundle.objects.filter((x) => x["type"] !== "marking-definition")) {
      expect(o["spec_version"]).toBe("2.1");
      expect(o["created"]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(o["object_marking_refs"]).toHaveLength(1);
    }
    // A scored object carries its score as STIX confidence (QuietLoader is indicated, so scored); an unscored one has none.
    const scores = await cypher<{ s: string; score: number | null }>(
      `MATCH (n) WHERE n.tenantId = $t AND n.stixId IS NOT NULL RETURN n.stixId AS s, toFloat(n.score) AS score`,
      { t: a.id },
    );
    const scoreOf = new Map(scores.map((r) => [r.s, r.score ?? undefined]));
    for (const o of bundle.objects.filter(
      (x) => scoreOf.has(x["id"]) && !String(x["type"]).endsWith("-addr") && x["type"] !== "domain-name",
    ))
      expect(o["confidence"]).toBe(scoreOf.get(o["id"]));
    expect(bundle.objects.find((o) => o["name"] === "QuietLoader")!["confidence"]).toBeGreaterThan(0);
    const actor = bundle.objects.find((o) => o["type"] === "threat-actor")!;
    expect(actor).toMatchObject({ aliases: ["CopperFox", "TA-999"], object_marking_refs: [TLP2.GREEN], sophistication: "advanced" });
    const [stixId] = await cypher<{ s: string }>(`MATCH (n:ThreatActor) WHERE n.tenantId = $t RETURN n.stixId AS s`, { t: a.id });
    expect(actor["id"]).toBe(stixId!.s);
    // Stable: a second export gives the same bundle.
    const again = bundleOf(
      await exportStix(platform, a.token, { ids: [ids["Operation Tin Lantern"], ids["QuietLoader"], ids["Fox Den"], ids["Copper Fox"]] }),
    );
    expect(again.bundle).toEqual(bundle);
  });

  it("exports a ThreatReport: the report, its object_refs and the relationships among them", async () => {
    const { bundle, marking, fileName } = bundleOf(
      await exportStix(platform, a.token, { threatReportId: ids["Copper Fox targets regional banks"] }),
    );
    expect(fileName).toMatch(/^threat-report-/);
    expect(named(bundle.objects)).toEqual([
      "attack-pattern:Spearphishing Attachment",
      "campaign:Operation Tin Lantern",
      "identity:Cobalt Ridge Bank",
      "indicator:[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
      "intrusion-set:Fox Den",
      "malware:QuietLoader",
      "report:Copper Fox targets regional banks",
      "threat-actor:Copper Fox",
    ]);
    const report = bundle.objects.find((o) => o["type"] === "report")!;
    expect(report["object_refs"]).toHaveLength(7);
    expect(report["published"]).toBe("2025-06-02T09:30:00.000Z");
    expect(linksOf(bundle.objects)).toContain("Copper Fox -targets-> Cobalt Ridge Bank");
    expect(linksOf(bundle.objects)).toContain(
      "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'] -indicates-> QuietLoader",
    );
    expect(marking).toBe("AMBER");
    const pattern = bundle.objects.find((o) => o["type"] === "attack-pattern")!;
    expect(pattern["external_references"]).toEqual([
      { source_name: "mitre-attack", external_id: "T1566.001" },
      { source_name: "capec", external_id: "CAPEC-163" },
    ]);
    expect(pattern["kill_chain_phases"]).toEqual([{ kill_chain_name: "mitre-attack", phase_name: "initial-access" }]);
    // The indicator's two imported sightings (3 and 1) as one sighting of 4.
    const indicator = bundle.objects.find((o) => o["type"] === "indicator")!;
    expect(bundle.objects.filter((o) => o["type"] === "sighting")).toMatchObject([{ sighting_of_ref: indicator["id"], count: 4 }]);
  });

  it("round-trips: A's graph exported whole and imported into B is the same graph", async () => {
    const { bundle, marking } = bundleOf(await exportStix(platform, a.token, { ids: Object.values(ids) }));
    expect(marking).toBe("RED");
    const job = await importStix(platform, b.token, Buffer.from(JSON.stringify(bundle)), "roundtrip");
    expect(job.state, JSON.stringify(job)).toBe("SUCCEEDED");
    expect(job.totals["deadLettered"]).toBe(0);
    const [left, right] = [await signature(a.id), await signature(b.id)];
    expect(right.nodes).toEqual(left.nodes);
    expect(right.relationships).toEqual(left.relationships);
    expect(left.nodes).toHaveLength(13);
    expect(left.relationships).toHaveLength(17);
    // And B's export is A's, object for object (ids, markings, properties), but for the times.
    const fromB = bundleOf(
      await exportStix(platform, b.token, {
        ids: (await cypher<{ id: string }>(`MATCH (n) WHERE n.tenantId = $t RETURN n.id AS id`, { t: b.id })).map((r) => r.id),
      }),
    );
    const timeless = (objects: Array<Record<string, any>>) =>
      // Times differ, and so may confidence: each tenant scores on its own grades and clock, after its own import.
      objects.map((o) => Object.fromEntries(Object.entries(o).filter(([k]) => !["created", "modified", "confidence"].includes(k))));
    expect(timeless(fromB.bundle.objects)).toEqual(timeless(bundle.objects));
  }, 60_000);

  it("leaves out for a caller cleared for GREEN every object and relationship marked above it", async () => {
    const email = `green-${Date.now()}@xa.test`;
    const created = await gql(
      platform.url,
      `mutation($e: String!) { createUser(input: { email: $e, password: "green-password-1", role: ANALYST }) { id } }`,
      { e: email },
      { token: a.token },
    );
    expect(created.errors).toBeUndefined();
    await platform.stores.mongo.db.collection("governance_users").updateOne({ email }, { $set: { clearance: "GREEN" } });
    const green = await login(platform.url, email, "green-password-1");

    const selection = bundleOf(await exportStix(platform, green, { ids: Object.values(ids) }));
    const names = named(selection.bundle.objects);
    for (const hidden of ["intrusion-set:Fox Den", "tool:Rclone", "vulnerability:CVE-2024-3400"]) expect(names).not.toContain(hidden);
    expect(names.some((n) => n.startsWith("indicator:[domain-name"))).toBe(false); // RED
    expect(names).toContain("threat-actor:Copper Fox");
    const links = linksOf(selection.bundle.objects);
    expect(links.filter((l) => l.includes("Fox Den") || l.includes("CVE-2024-3400") || l.includes("Rclone"))).toEqual([]);
    expect(links).toContain("Copper Fox -uses-> QuietLoader");
    expect(selection.marking).toBe("GREEN");
    expect(selection.content).not.toContain("Fox Den");
    expect(selection.content).not.toContain(TLP2.AMBER);

    const report = bundleOf(await exportStix(platform, green, { threatReportId: ids["Copper Fox targets regional banks"] }));
    expect(named(report.bundle.objects)).not.toContain("intrusion-set:Fox Den");
    expect(report.bundle.objects.find((o) => o["type"] === "report")!["object_refs"]).toHaveLength(6);
    expect(report.marking).toBe("GREEN");
    // Only AMBER ids: nothing visible, as if they did not exist.
    expect(codes(await exportStix(platform, green, { ids: [ids["Fox Den"]] }))).toEqual(["NOT_FOUND"]);
  }, 60_000);

  it("refuses bad input and another tenant's ids", async () => {
    expect(codes(await exportStix(platform, a.token, {}))).toEqual(["BAD_USER_INPUT"]);
    expect(
      codes(await exportStix(platform, a.token, { ids: [ids["Copper Fox"]], threatReportId: ids["Copper Fox targets regional banks"] })),
    ).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await exportStix(platform, a.token, { ids: [] }))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await exportStix(platform, a.token, { ids: ["no-such-entity"] }))).toEqual(["NOT_FOUND"]);
    expect(codes(await exportStix(platform, a.token, { threatReportId: ids["Copper Fox"] }))).toEqual(["NOT_FOUND"]);
    // Tenant C sees none of A's entities or reports.
    const c = await platform.newTenant("xc", "ENTERPRISE");
    expect(codes(await exportStix(platform, c.token, { ids: Object.values(ids) }))).toEqual(["NOT_FOUND"]);
    expect(codes(await exportStix(platform, c.token, { threatReportId: ids["Copper Fox targets regional banks"] }))).toEqual(["NOT_FOUND"]);
  }, 60_000);

  it("leaves out a suppressed indicator and its relationships", async () => {
    const pattern = "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']";
    await cypher(`MATCH (i:Indicator {id: $id}) SET i.suppressed = true`, { id: ids[pattern] });
    try {
      const { bundle } = bundleOf(await exportStix(platform, a.token, { threatReportId: ids["Copper Fox targets regional banks"] }));
      expect(bundle.objects.filter((o) => ["indicator", "sighting"].includes(o["type"]))).toEqual([]);
      expect(linksOf(bundle.objects).filter((l) => l.includes("SHA-256"))).toEqual([]);
      expect(bundle.objects.find((o) => o["type"] === "report")!["object_refs"]).toHaveLength(6);
      expect(codes(await exportStix(platform, a.token, { ids: [ids[pattern]] }))).toEqual(["NOT_FOUND"]);
    } finally {
      await cypher(`MATCH (i:Indicator {id: $id}) REMOVE i.suppressed`, { id: ids[pattern] });
    }
  });

  it("is audited and metered as an export", async () => {
    await exportStix(platform, a.token, { ids: [ids["Copper Fox"]] });
    const events = await platform.stores.mongo.db.collection("audit_events").find({ tenantId: a.id, action: "exportStixBundle" }).toArray();
    expect(events.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ targetIds: [ids["Copper Fox"]], outcome: "success" });
  });
});
