/**
 * STIX 2.1 import of the threat-intelligence types through the ingest API
 * against the real stores: every domain object type, each relationship type,
 * reports' object_refs, markings from object_marking_refs (TLP 2.0 and 1.0,
 * the highest of several), a second import that doubles nothing, a re-import
 * that cannot lower a marking, and a CSV mapping's markings.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { approveMapping, createMapping, ingestFile } from "../support/ingest.ts";
import { graphReader } from "../support/ingestGraph.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { importStix, readStixFixture, stixFixture } from "../support/stixGraph.ts";

const platform = useTestPlatform("stiximport");
const { cypher, graphCounts } = graphReader(platform);
let a: TestTenant;

const EXPECTED_COUNTS = {
  entities: {
    ThreatActor: 1,
    IntrusionSet: 1,
    Campaign: 1,
    Malware: 2,
    Tool: 1,
    AttackPattern: 1,
    Vulnerability: 2,
    Organization: 1,
    Indicator: 2,
    ThreatReport: 1,
  },
  relationships: { ATTRIBUTED_TO: 2, USES: 3, TARGETS: 1, EXPLOITS: 1, VARIANT_OF: 1, INDICATES: 1, RELATED_TO: 1, REFERS_TO: 7 },
};

const node = async (tenantId: string, label: string, name: string) =>
  (
    await cypher<{ n: { properties: Record<string, any> } }>(`MATCH (n:\`${label}\` {name: $name}) WHERE n.tenantId = $tenantId RETURN n`, {
      tenantId,
      name,
    })
  )[0]?.n.properties;

beforeAll(async () => {
  a = await platform.newTenant("sa", "ENTERPRISE");
}, 60_000);

describe("STIX import of the threat-intel types", () => {
  it("lands every type and relationship of the bundle, with markings from object_marking_refs", async () => {
    const job = await importStix(platform, a.token, stixFixture("intel-bundle.json"), "intel");
    expect(job.state, JSON.stringify(job)).toBe("SUCCEEDED");
    // 28 objects: the marking definition skipped, `malware delivers malware` and a sighting of malware dead-lettered, the rest written.
    expect(job.totals).toMatchObject({ recordsRead: 28, recordsWritten: 25, deadLettered: 2, skipped: 1 });
    expect(await graphCounts(a.id)).toEqual(EXPECTED_COUNTS);

    const actor = await node(a.id, "ThreatActor", "Copper Fox");
    expect(actor).toMatchObject({
      aliases: ["CopperFox", "TA-999"],
      threatActorTypes: ["crime-syndicate"],
      sophistication: "advanced",
      resourceLevel: "organization",
      primaryMotivation: "financial-gain",
      description: "A financially motivated crew.",
      marking: "GREEN",
    });
    const bundle = readStixFixture("intel-bundle.json");
    expect(actor!["stixId"]).toBe(bundle.objects.find((o) => o["type"] === "threat-actor")!["id"]);
    expect(await node(a.id, "IntrusionSet", "Fox Den")).toMatchObject({ goals: ["steal card data"], marking: "AMBER" });
    expect(await node(a.id, "Campaign", "Operation Tin Lantern")).toMatchObject({
      objective: "Credential theft at regional banks",
      marking: "CLEAR",
    });
    expect(await node(a.id, "Malware", "QuietLoader")).toMatchObject({ malwareTypes: ["downloader"], isFamily: true, marking: "GREEN" });
    // GREEN and AMBER on one object: the highest.
    expect(await node(a.id, "Tool", "Rclone")).toMatchObject({ toolTypes: ["exfiltration"], marking: "AMBER" });
    expect(await node(a.id, "AttackPattern", "Spearphishing Attachment")).toMatchObject({
      attackId: "T1566.001",
      killChainPhases: ["mitre-attack:initial-access"],
      externalReferences: ["mitre-attack:T1566.001", "capec:CAPEC-163"],
    });
    expect(await node(a.id, "Vulnerability", "CVE-2024-3400")).toMatchObject({ cveId: "CVE-2024-3400", marking: "AMBER_STRICT" });
    // No marking in the source: the default.
    expect(await node(a.id, "Vulnerability", "Router backdoor account")).toMatchObject({ marking: "GREEN" });
    expect((await node(a.id, "Vulnerability", "Router backdoor account"))!["cveId"]).toBeUndefined();
    const report = await node(a.id, "ThreatReport", "Copper Fox targets regional banks");
    expect(report).toMatchObject({ reportTypes: ["threat-actor", "campaign"], marking: "GREEN" });
    expect(String(report!["published"])).toMatch(/^2025-06-02T09:30:00/);

    const indicators = await cypher<{ pattern: string; marking: string; types: string[] | null; from: string; sightings: unknown }>(
      `MATCH (i:Indicator) WHERE i.tenantId = $t
       RETURN i.pattern AS pattern, i.marking AS marking, i.indicatorTypes AS types, toString(i.validFrom) AS from, i.sightings AS sightings ORDER BY pattern`,
      { t: a.id },
    );
    // The TLP 1.0 red definition reads as RED; two sightings (count 3, and one without a count) make 4.
    expect(indicators.map((i) => [i.marking, i.types, i.from.slice(0, 10), i.sightings === null ? null : Number(i.sightings)])).toEqual([
      ["RED", null, "2025-06-01", null],
      ["GREEN", ["malicious-activity"], "2025-06-01", 4],
    ]);
    const letters = await platform.stores.mongo.db
      .collection("ingest_dead_letters")
      .find({ jobId: job.id })
      .project({ code: 1, reason: 1 })
      .toArray();
    expect(letters.map((l) => l["code"]).sort()).toEqual(["UNSUPPORTED", "UNSUPPORTED"]);
    expect(letters.map((l) => l["reason"]).join(" ")).toMatch(/sightings of malware objects are not counted/);

    const links = await cypher<{ link: string; marking: string; confidence: number }>(
      `MATCH (x)-[r]->(y) WHERE x.tenantId = $t AND type(r) <> 'REFERS_TO'
       RETURN labels(x)[0] + '-' + type(r) + '->' + labels(y)[0] AS link, r.marking AS marking, r.confidence AS confidence ORDER BY link`,
      { t: a.id },
    );
    expect(links).toEqual([
      { link: "Campaign-ATTRIBUTED_TO->IntrusionSet", marking: "GREEN", confidence: 1 },
      { link: "Campaign-USES->Tool", marking: "GREEN", confidence: 1 },
      { link: "Indicator-INDICATES->Malware", marking: "GREEN", confidence: 0.7 },
      { link: "IntrusionSet-ATTRIBUTED_TO->ThreatActor", marking: "AMBER", confidence: 0.8 },
      { link: "Malware-EXPLOITS->Vulnerability", marking: "AMBER_STRICT", confidence: 1 },
      { link: "Malware-VARIANT_OF->Malware", marking: "GREEN", confidence: 1 },
      { link: "ThreatActor-RELATED_TO->Campaign", marking: "GREEN", confidence: 1 },
      { link: "ThreatActor-TARGETS->Organization", marking: "GREEN", confidence: 1 },
      { link: "ThreatActor-USES->AttackPattern", marking: "GREEN", confidence: 1 },
      { link: "ThreatActor-USES->Malware", marking: "GREEN", confidence: 0.9 },
    ]);
    // The report's object_refs: the seven objects of the bundle we import (a relationship and a note are not entities).
    const refs = await cypher<{ to: string; marking: string }>(
      `MATCH (r:ThreatReport)-[l:REFERS_TO]->(x) WHERE r.tenantId = $t RETURN labels(x)[0] AS to, l.marking AS marking ORDER BY to`,
      { t: a.id },
    );
    expect(refs.map((r) => r.to)).toEqual([
      "AttackPattern",
      "Campaign",
      "Indicator",
      "IntrusionSet",
      "Malware",
      "Organization",
      "ThreatActor",
    ]);
    expect(new Set(refs.map((r) => r.marking))).toEqual(new Set(["GREEN"]));
  }, 60_000);

  it("imports the same bundle twice without doubling anything", async () => {
    const tenant = await platform.newTenant("stwice", "ENTERPRISE");
    await importStix(platform, tenant.token, stixFixture("intel-bundle.json"), "first");
    const ids = await cypher<{ id: string }>(`MATCH (n) WHERE n.tenantId = $t RETURN n.id AS id ORDER BY id`, { t: tenant.id });
    const again = await importStix(platform, tenant.token, stixFixture("intel-bundle.json"), "second");
    expect(again.state).toBe("SUCCEEDED");
    expect(await graphCounts(tenant.id)).toEqual(EXPECTED_COUNTS);
    expect(await cypher<{ id: string }>(`MATCH (n) WHERE n.tenantId = $t RETURN n.id AS id ORDER BY id`, { t: tenant.id })).toEqual(ids);
    // Each sighting counted once, however often it is imported.
    const [sightings] = await cypher<{ n: unknown }>(
      `MATCH (i:Indicator) WHERE i.tenantId = $t AND i.sightings IS NOT NULL RETURN i.sightings AS n`,
      {
        t: tenant.id,
      },
    );
    expect(Number(sightings!.n)).toBe(4);
  }, 60_000);

  it("never lowers a marking on re-import: the AMBER intrusion set re-sent as GREEN stays AMBER, a CLEAR campaign sent as RED rises", async () => {
    const tenant = await platform.newTenant("slower", "ENTERPRISE");
    await importStix(platform, tenant.token, stixFixture("intel-bundle.json"), "first");
    const bundle = readStixFixture("intel-bundle.json");
    const green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    const red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
    const resent = bundle.objects
      .filter((o) => o["type"] === "intrusion-set" || o["type"] === "campaign" || o["type"] === "relationship")
      .map((o) => ({ ...o, object_marking_refs: [o["type"] === "campaign" ? red : green] }));
    const job = await importStix(platform, tenant.token, Buffer.from(JSON.stringify({ ...bundle, objects: resent })), "resent");
    expect(job.state).toBe("SUCCEEDED");
    expect((await node(tenant.id, "IntrusionSet", "Fox Den"))!["marking"]).toBe("AMBER");
    expect((await node(tenant.id, "Campaign", "Operation Tin Lantern"))!["marking"]).toBe("RED");
    const link = await cypher<{ marking: string }>(
      `MATCH (:IntrusionSet)-[r:ATTRIBUTED_TO]->(:ThreatActor {tenantId: $t}) RETURN r.marking AS marking`,
      { t: tenant.id },
    );
    expect(link).toEqual([{ marking: "AMBER" }]);
  }, 60_000);
});

describe("markings of a CSV mapping", () => {
  it("marks what a mapping creates with its marking, an entity with its own constant or column, and dead-letters a bad marking", async () => {
    const tenant = await platform.newTenant("scsv", "ENTERPRISE");
    const spec = {
      marking: "AMBER",
      entities: [
        { as: "actor", type: "ThreatActor", key: ["name"], properties: { name: "actor" }, marking: { from: "tlp" } },
        { as: "malware", type: "Malware", key: ["name"], properties: { name: "malware" } },
        { as: "tool", type: "Tool", key: ["name"], properties: { name: "tool" }, marking: "CLEAR", optional: true },
      ],
      relationships: [
        { type: "USES", from: "actor", to: "malware" },
        { type: "USES", from: "actor", to: "tool" },
      ],
    };
    const mappingId = await createMapping(platform.url, tenant.token, "actors.csv", "CSV", spec);
    await approveMapping(platform.url, tenant.token, mappingId);
    const csv = [
      "actor,malware,tool,tlp",
      "Red Heron,HeronRAT,Mimikatz,TLP:RED",
      "Grey Owl,OwlLoader,,",
      "Blue Finch,FinchBot,,purple",
    ].join("\n");
    const job = await ingestFile(platform.url, tenant.token, mappingId, Buffer.from(csv), "actors.csv");
    expect(job.totals).toMatchObject({ recordsRead: 3, recordsWritten: 2, deadLettered: 1 });
    const rows = await cypher<{ row: string }>(
      `MATCH (n) WHERE n.tenantId = $t RETURN labels(n)[0] + ' ' + n.name + ' ' + n.marking AS row ORDER BY row`,
      { t: tenant.id },
    );
    expect(rows.map((r) => r.row)).toEqual([
      "Malware HeronRAT AMBER",
      "Malware OwlLoader AMBER",
      "ThreatActor Grey Owl AMBER",
      "ThreatActor Red Heron RED",
      "Tool Mimikatz CLEAR",
    ]);
    const links = await cypher<{ marking: string }>(
      `MATCH (a:ThreatActor {tenantId: $t})-[r:USES]->() RETURN DISTINCT r.marking AS marking`,
      {
        t: tenant.id,
      },
    );
    expect(links).toEqual([{ marking: "AMBER" }]);
  }, 60_000);
});
