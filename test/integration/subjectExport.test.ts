/**
 * Subject access export: exactly the subject's data (their entities, their
 * neighbourhood, audit events naming them, provenance) with a manifest of
 * checksums and the residency label; nothing of another tenant; fails closed
 * outside the region; request and download audited.
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("subjectexport");
let a: TestTenant;
let b: TestTenant;
let eve: string;
let org: string;
let bEve: string;

const ok = async (token: string, query: string) => {
  const res = await gql(platform.url, query, {}, { token });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};
const EXPORT = `id identifier policyId residency { label region } counts { subjects entities relationships auditEvents truncated } files { name bytes sha256 content } requestedBy`;
const fileOf = (exp: { files: Array<{ name: string; content: string }> }, name: string) => exp.files.find((f) => f.name === name)!.content;

beforeAll(async () => {
  a = await platform.newTenant("sar", "ENTERPRISE");
  b = await platform.newTenant("other", "TEAM");
  const created = await ok(
    a.token,
    `mutation { createOrganizations(input: [{ name: "Globex", source: "crm",
      members: { create: [{ node: { name: "Eve Example", email: "eve@example.test", source: "crm" }, edge: { confidence: 0.8, source: "crm" } },
                          { node: { name: "Frank Other" }, edge: { confidence: 0.5, source: "crm" } }] } }]) {
      organizations { id members { id name } } } }`,
  );
  org = created.createOrganizations.organizations[0].id;
  eve = created.createOrganizations.organizations[0].members.find((m: { name: string }) => m.name === "Eve Example").id;
  await ok(a.token, `mutation { updatePeople(where: { id: { eq: "${eve}" } }, update: { source: { set: "crm-2" } }) { people { id } } }`);
  // Someone unrelated in A, and the same e-mail address in tenant B.
  await ok(a.token, `mutation { createPeople(input: [{ name: "Unrelated Uma", email: "uma@example.test" }]) { people { id } } }`);
  bEve = (await ok(b.token, `mutation { createPeople(input: [{ name: "Eve in B", email: "eve@example.test" }]) { people { id } } }`))
    .createPeople.people[0].id;
}, 120_000);

describe("subject access export", () => {
  let exportId: string;

  it("packages exactly the subject's data with a manifest of checksums and the residency label", async () => {
    const res = await ok(
      a.token,
      `mutation { exportSubjectData(input: { identifier: "EVE@example.test", destinationRegion: "eu-west-1" }) { ${EXPORT} } }`,
    );
    const exp = res.exportSubjectData;
    exportId = exp.id;
    expect(exp).toMatchObject({
      identifier: "EVE@example.test",
      policyId: "residency/same-region/v1",
      residency: { region: "eu-west-1" },
      requestedBy: a.adminId,
    });
    // One hop: Eve and her organisation (Frank is two hops away).
    expect(exp.counts).toEqual({ subjects: 1, entities: 2, relationships: 1, auditEvents: 1, truncated: false });
    expect(exp.files.map((f: { name: string }) => f.name)).toEqual([
      "subject.json",
      "neighbourhood.json",
      "entities.csv",
      "relationships.csv",
      "audit.json",
      "provenance.json",
      "manifest.json",
    ]);
    // Checksums: every file's sha256 and size, and the manifest lists them.
    const manifest = JSON.parse(fileOf(exp, "manifest.json"));
    expect(manifest).toMatchObject({
      kind: "subject-access-export/v1",
      tenantId: a.id,
      residency: { label: exp.residency.label },
      policyId: "residency/same-region/v1",
    });
    for (const f of exp.files) {
      expect(createHash("sha256").update(f.content).digest("hex"), f.name).toBe(f.sha256);
      expect(Buffer.byteLength(f.content)).toBe(f.bytes);
    }
    expect(manifest.files.map((f: { name: string; sha256: string }) => [f.name, f.sha256])).toEqual(
      exp.files
        .filter((f: { name: string }) => f.name !== "manifest.json")
        .map((f: { name: string; sha256: string }) => [f.name, f.sha256]),
    );

    const subject = JSON.parse(fileOf(exp, "subject.json"));
    expect(subject.entities.map((e: { id: string }) => e.id)).toEqual([eve]);
    expect(subject.entities[0].properties).toMatchObject({
      name: "Eve Example",
      email: "eve@example.test",
      source: "crm-2",
      tenantId: a.id,
    });
    const hood = JSON.parse(fileOf(exp, "neighbourhood.json"));
    expect(hood.entities.map((e: { id: string }) => e.id).sort()).toEqual([eve, org].sort());
    const csv = fileOf(exp, "entities.csv").trim().split("\n");
    expect(csv[0]).toBe("id,type,subject,name,email,source,sources,ingestJobIds,firstSeen,lastSeen,recordHash,createdAt");
    expect(csv).toHaveLength(3);
    expect(fileOf(exp, "relationships.csv")).toContain(`${eve},MEMBER_OF,${org}`);
    const audit = JSON.parse(fileOf(exp, "audit.json"));
    expect(audit.map((e: { action: string }) => e.action)).toEqual(["updatePeople"]);
    const provenance = JSON.parse(fileOf(exp, "provenance.json"));
    expect(provenance.entities[0]).toMatchObject({ id: eve, source: "crm-2" });

    // Nothing of the unrelated person or of tenant B.
    const everything = exp.files.map((f: { content: string }) => f.content).join("\n");
    for (const foreign of [b.id, bEve, "Eve in B", "uma@example.test", "Frank Other"]) expect(everything, foreign).not.toContain(foreign);
  });

  it("audits the request and every download, and lists exports without their files", async () => {
    const downloaded = await ok(a.token, `{ subjectExport(id: "${exportId}") { id files { name sha256 } } }`);
    expect(downloaded.subjectExport.files).toHaveLength(7);
    const events = await ok(
      a.token,
      `{ requested: auditEvents(filter: { action: "exportSubjectData" }) { nodes { targetIds outcome } }
         downloaded: auditEvents(filter: { action: "downloadSubjectExport" }) { nodes { targetIds actor { userId } } } }`,
    );
    expect(events.requested.nodes).toEqual([{ targetIds: [exportId], outcome: "SUCCESS" }]);
    expect(events.downloaded.nodes).toEqual([{ targetIds: [exportId], actor: { userId: a.adminId } }]);
    const list = await ok(a.token, `{ subjectExports { id files { name } counts { subjects } } }`);
    expect(list.subjectExports).toEqual([{ id: exportId, files: null, counts: { subjects: 1 } }]);
  });

  it("fails closed for a destination outside the tenant's region, storing nothing", async () => {
    const res = await gql(
      platform.url,
      `mutation { exportSubjectData(input: { identifier: "eve@example.test", destinationRegion: "us-east-1" }) { id } }`,
      {},
      { token: a.token },
    );
    expect(codes(res)).toEqual(["RESIDENCY_MISMATCH"]);
    expect((await ok(a.token, `{ subjectExports { id } }`)).subjectExports).toHaveLength(1);
  });

  it("refuses unknown subjects and ids, bad input, and another tenant's export", async () => {
    const q = (query: string, token = a.token) => gql(platform.url, query, {}, { token });
    expect(
      codes(await q(`mutation { exportSubjectData(input: { identifier: "nobody@example.test", destinationRegion: "eu-west-1" }) { id } }`)),
    ).toEqual(["NOT_FOUND"]);
    expect(
      codes(
        await q(
          `mutation { exportSubjectData(input: { identifier: "eve@example.test", hops: 5, destinationRegion: "eu-west-1" }) { id } }`,
        ),
      ),
    ).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await q(`{ subjectExport(id: "no-such-export") { id } }`))).toEqual(["NOT_FOUND"]);
    expect(codes(await q(`{ subjectExport(id: "${exportId}") { id } }`, b.token))).toEqual(["NOT_FOUND"]);
    // B's own export of the same address holds only B's person.
    const bExport = await ok(
      b.token,
      `mutation { exportSubjectData(input: { identifier: "eve@example.test", hops: 0, destinationRegion: "eu-west-1" }) { ${EXPORT} } }`,
    );
    const subject = JSON.parse(fileOf(bExport.exportSubjectData, "subject.json"));
    expect(subject.entities.map((e: { id: string }) => e.id)).toEqual([bEve]);
    expect(bExport.exportSubjectData.files.map((f: { content: string }) => f.content).join("")).not.toContain(eve);
  });
});
