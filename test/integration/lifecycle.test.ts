/**
 * Graph data lifecycle against the real Neo4j: soft delete hides, restore
 * brings back, purge removes for good with a record; legal holds freeze
 * entities against change, deletion and purge; bad input changes nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { ingestFile, sample, sampleMapping } from "../support/ingest.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("lifecycle");
let a: TestTenant;
let b: TestTenant;
let org: string;
let domain: string;
let alice: string;
let bob: string;

const q = (token: string, query: string, variables: Record<string, unknown> = {}) => gql(platform.url, query, variables, { token });
const ok = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
  const res = await q(token, query, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};
const peopleIds = async (token: string) => ((await ok(token, `{ people { id } }`)).people as Array<{ id: string }>).map((p) => p.id).sort();
const holdsOf = async (token: string) => (await ok(token, `{ legalHolds(includeReleased: true) { id name releasedAt } }`)).legalHolds;

beforeAll(async () => {
  a = await platform.newTenant("life", "ENTERPRISE");
  b = await platform.newTenant("other", "TEAM");
  const created = await ok(
    a.token,
    `mutation { createOrganizations(input: [{ name: "Acme", source: "feed-x",
      domains: { create: [{ node: { name: "acme.example" }, edge: { confidence: 0.9, source: "t" } }] },
      members: { create: [{ node: { name: "Alice", email: "alice@acme.example" }, edge: { confidence: 1, source: "t" } },
                          { node: { name: "Bob" }, edge: { confidence: 1, source: "t" } }] } }]) {
      organizations { id domains { id } members { id name } } } }`,
  );
  const o = created.createOrganizations.organizations[0];
  org = o.id;
  domain = o.domains[0].id;
  alice = o.members.find((m: { name: string }) => m.name === "Alice").id;
  bob = o.members.find((m: { name: string }) => m.name === "Bob").id;
}, 120_000);

describe("soft delete, restore, purge", () => {
  it("hides a soft-deleted entity everywhere and restores it with its relationships", async () => {
    const del = await ok(
      a.token,
      `mutation { deleteEntities(input: { selector: { ids: ["${bob}"] }, reason: "duplicate record" }) { deleted byType { type count } } }`,
    );
    expect(del.deleteEntities).toEqual({ deleted: 1, byType: [{ type: "Person", count: 1 }] });
    expect(await peopleIds(a.token)).toEqual([alice]);
    const members = await ok(a.token, `{ organizations(where: { id: { eq: "${org}" } }) { members { id } } }`);
    expect(members.organizations[0].members.map((m: { id: string }) => m.id)).toEqual([alice]);
    const hood = await ok(a.token, `{ neighbourhood(id: "${org}", hops: 1) { nodes { id } } }`);
    expect(hood.neighbourhood.nodes.map((n: { id: string }) => n.id)).not.toContain(bob);
    expect(codes(await q(a.token, `{ neighbourhood(id: "${bob}", hops: 1) { nodes { id } } }`))).toEqual(["NOT_FOUND"]);
    const listed = await ok(a.token, `{ deletedEntities { id type reason purgeAfter } }`);
    expect(listed.deletedEntities).toEqual([expect.objectContaining({ id: bob, type: "Person", reason: "duplicate record" })]);

    const restored = await ok(a.token, `mutation { restoreEntities(ids: ["${bob}"]) { restored byType { type count } } }`);
    expect(restored.restoreEntities).toEqual({ restored: 1, byType: [{ type: "Person", count: 1 }] });
    expect(await peopleIds(a.token)).toEqual([alice, bob].sort());
    const back = await ok(a.token, `{ people(where: { id: { eq: "${bob}" } }) { memberOf { id } } }`);
    expect(back.people[0].memberOf).toEqual([{ id: org }]);
    expect((await ok(a.token, `{ deletedEntities { id } }`)).deletedEntities).toEqual([]);
  });

  it("purges what is past the grace period for good, with a purge record", async () => {
    await ok(a.token, `mutation { deleteEntities(input: { selector: { ids: ["${bob}"] }, reason: "not needed" }) { deleted } }`);
    // Default grace: 30 days, so nothing is due yet.
    const early = await ok(a.token, `mutation { purgeDeletedEntities(dryRun: false) { entities graceDays record { id } } }`);
    expect(early.purgeDeletedEntities).toEqual({ entities: 0, graceDays: 30, record: null });
    await ok(
      a.token,
      `mutation { setGraphRetention(input: { rules: [], graceDays: 0, reason: "purge at once in this test" }) { graceDays } }`,
    );
    const dry = await ok(a.token, `mutation { purgeDeletedEntities(dryRun: true) { dryRun entities relationships record { id } } }`);
    expect(dry.purgeDeletedEntities).toEqual({ dryRun: true, entities: 1, relationships: 1, record: null });
    const done = await ok(
      a.token,
      `mutation { purgeDeletedEntities(dryRun: false) { entities relationships byType { type count } record { id entities by } } }`,
    );
    expect(done.purgeDeletedEntities).toMatchObject({
      entities: 1,
      relationships: 1,
      byType: [{ type: "Person", count: 1 }],
      record: { entities: 1, by: a.adminId },
    });
    expect((await ok(a.token, `{ purgeRecords { id entities } }`)).purgeRecords).toEqual([
      { id: done.purgeDeletedEntities.record.id, entities: 1 },
    ]);
    expect(codes(await q(a.token, `mutation { restoreEntities(ids: ["${bob}"]) { restored } }`))).toEqual(["NOT_FOUND"]);
    const raw = await platform.stores.driver.executeQuery(`MATCH (n {id: $id}) RETURN count(n) AS c`, { id: bob });
    expect(Number(raw.records[0]!.get("c"))).toBe(0);
    const purgeEvents = await ok(
      a.token,
      `{ auditEvents(filter: { action: "purgeDeletedEntities", outcome: SUCCESS }) { nodes { targetIds } } }`,
    );
    expect(purgeEvents.auditEvents.nodes[0].targetIds).toEqual([done.purgeDeletedEntities.record.id]);
  });

  it("applies retention rules to old entities; dry run counts only", async () => {
    const old = await ok(a.token, `mutation { createPeople(input: [{ name: "Old Carol", source: "feed-old" }]) { people { id } } }`);
    const carol = old.createPeople.people[0].id;
    await platform.stores.driver.executeQuery(`MATCH (n:Person {id: $id}) SET n.lastSeen = datetime() - duration({days: 400})`, {
      id: carol,
    });
    await ok(
      a.token,
      `mutation { setGraphRetention(input: { rules: [{ types: ["Person"], olderThanDays: 365 }], graceDays: 0, reason: "RP-9" }) { graceDays } }`,
    );
    const dry = await ok(a.token, `mutation { applyGraphRetention(dryRun: true) { dryRun rules { rule selected deleted heldSkipped } } }`);
    expect(dry.applyGraphRetention).toEqual({ dryRun: true, rules: [{ rule: 0, selected: 1, deleted: 0, heldSkipped: 0 }] });
    expect(await peopleIds(a.token)).toContain(carol);
    const run = await ok(a.token, `mutation { applyGraphRetention(dryRun: false) { rules { selected deleted } } }`);
    expect(run.applyGraphRetention.rules).toEqual([{ selected: 1, deleted: 1 }]);
    expect(await peopleIds(a.token)).not.toContain(carol);
    expect((await ok(a.token, `{ deletedEntities { id rule } }`)).deletedEntities).toEqual([{ id: carol, rule: "retention:0" }]);
  });
});

describe("legal hold", () => {
  let hold: string;

  it("freezes held entities against update, delete, relinking and soft delete, naming the hold", async () => {
    const placed = await ok(
      a.token,
      `mutation { placeLegalHold(input: { name: "Matter 7", reason: "litigation hold for case 7", selector: { ids: ["${alice}"] } }) { id name entities owner } }`,
    );
    hold = placed.placeLegalHold.id;
    expect(placed.placeLegalHold).toMatchObject({ name: "Matter 7", entities: 1, owner: a.adminId });

    const update = await q(
      a.token,
      `mutation { updatePeople(where: { id: { eq: "${alice}" } }, update: { email: { set: "x@y" } }) { people { id } } }`,
    );
    expect(codes(update)).toEqual(["LEGAL_HOLD"]);
    expect(update.errors![0]!.message).toContain('"Matter 7"');
    expect(codes(await q(a.token, `mutation { deletePeople(where: { id: { eq: "${alice}" } }) { nodesDeleted } }`))).toEqual([
      "LEGAL_HOLD",
    ]);
    expect(
      codes(await q(a.token, `mutation { deleteEntities(input: { selector: { ids: ["${alice}"] }, reason: "try" }) { deleted } }`)),
    ).toEqual(["LEGAL_HOLD"]);
    // Unlinking her from the organisation (a nested change from the other side) is refused too.
    const unlink = await q(
      a.token,
      `mutation { updateOrganizations(where: { id: { eq: "${org}" } }, update: { members: [{ disconnect: [{ where: { node: { id: { eq: "${alice}" } } } }] }] }) { organizations { id } } }`,
    );
    expect(codes(unlink)).toEqual(["LEGAL_HOLD"]);
    const after = await ok(a.token, `{ people(where: { id: { eq: "${alice}" } }) { email memberOf { id } legalHolds } }`);
    expect(after.people[0]).toEqual({ email: "alice@acme.example", memberOf: [{ id: org }], legalHolds: [hold] });
    // Unheld entities still change.
    await ok(
      a.token,
      `mutation { updateDomains(where: { id: { eq: "${domain}" } }, update: { source: { set: "checked" } }) { domains { id } } }`,
    );
  });

  it("blocks a purge of held soft-deleted data with LEGAL_HOLD, until released", async () => {
    const dave = (await ok(a.token, `mutation { createPeople(input: [{ name: "Dave" }]) { people { id } } }`)).createPeople.people[0].id;
    await ok(a.token, `mutation { deleteEntities(input: { selector: { ids: ["${dave}"] }, reason: "cleanup" }) { deleted } }`);
    const second = await ok(
      a.token,
      `mutation { placeLegalHold(input: { name: "Matter 8", reason: "preserve deleted records", selector: { ids: ["${dave}"] } }) { id entities } }`,
    );
    expect(second.placeLegalHold.entities).toBe(1);
    const purge = await q(a.token, `mutation { purgeDeletedEntities(dryRun: false) { entities } }`);
    expect(codes(purge)).toEqual(["LEGAL_HOLD"]);
    expect(purge.errors![0]!.message).toContain('"Matter 8"');
    expect((await ok(a.token, `{ deletedEntities { id } }`)).deletedEntities.map((d: { id: string }) => d.id)).toContain(dave);

    const released = await ok(
      a.token,
      `mutation { releaseLegalHold(id: "${second.placeLegalHold.id}", reason: "matter closed") { releasedAt releaseReason } }`,
    );
    expect(released.releaseLegalHold.releaseReason).toBe("matter closed");
    const purged = await ok(a.token, `mutation { purgeDeletedEntities(dryRun: false) { entities } }`);
    expect(purged.purgeDeletedEntities.entities).toBeGreaterThanOrEqual(1);
    const releasedEvents = await ok(a.token, `{ auditEvents(filter: { action: "releaseLegalHold" }) { nodes { targetIds arguments } } }`);
    expect(releasedEvents.auditEvents.nodes[0].targetIds).toEqual([second.placeLegalHold.id]);
  });

  it("keeps ingest from changing held entities: their records are dead-lettered with LEGAL_HOLD", async () => {
    const mapping = await sampleMapping(platform.url, a.token, "people.csv");
    const first = await ingestFile(platform.url, a.token, mapping, sample("people.csv"), "people.csv");
    expect(first.state).toBe("SUCCEEDED");
    const held = await ok(
      a.token,
      `mutation { placeLegalHold(input: { name: "People feed", reason: "freeze the feed's people", selector: { ingestJobId: "${first.id}", types: ["Person"] } }) { id entities } }`,
    );
    expect(held.placeLegalHold.entities).toBe(21);
    const before = await ok(a.token, `{ people(where: { ingestJobIds: { includes: "${first.id}" } }) { id lastSeen ingestJobIds } }`);
    const again = await ingestFile(platform.url, a.token, mapping, sample("people.csv"), "people.csv");
    expect(again.state).toBe("SUCCEEDED");
    expect(again.totals.recordsWritten).toBe(0);
    const letters = await ok(a.token, `{ deadLetters(jobId: "${again.id}", first: 100) { nodes { code reason } } }`);
    const codesSeen = letters.deadLetters.nodes.map((l: { code: string }) => l.code);
    expect(codesSeen.filter((c: string) => c === "LEGAL_HOLD")).toHaveLength(23);
    expect(letters.deadLetters.nodes.find((l: { code: string }) => l.code === "LEGAL_HOLD").reason).toContain(held.placeLegalHold.id);
    const after = await ok(a.token, `{ people(where: { ingestJobIds: { includes: "${first.id}" } }) { id lastSeen ingestJobIds } }`);
    expect(after).toEqual(before);
    await ok(a.token, `mutation { releaseLegalHold(id: "${held.placeLegalHold.id}", reason: "feed review done") { id } }`);
  });

  it("refuses bad selectors, unknown ids and overlapping holds, changing nothing", async () => {
    const before = await holdsOf(a.token);
    const cases: Array<[string, string]> = [
      [`{ }`, "BAD_USER_INPUT"],
      [`{ types: ["Spaceship"] }`, "BAD_USER_INPUT"],
      [`{ ids: ["no-such-entity"] }`, "NOT_FOUND"],
      [`{ ids: ["${alice}"] }`, "CONFLICT"],
      [`{ source: "nothing-from-here" }`, "BAD_USER_INPUT"],
    ];
    for (const [selector, code] of cases) {
      const res = await q(
        a.token,
        `mutation { placeLegalHold(input: { name: "Bad", reason: "bad input test", selector: ${selector} }) { id } }`,
      );
      expect(codes(res), selector).toEqual([code]);
    }
    expect(await holdsOf(a.token)).toEqual(before);
    const overlap = await ok(
      a.token,
      `mutation { placeLegalHold(input: { name: "Matter 9", reason: "second matter", selector: { ids: ["${alice}"] }, allowOverlap: true }) { id } }`,
    );
    const alicesHolds = await ok(a.token, `{ people(where: { id: { eq: "${alice}" } }) { legalHolds } }`);
    expect(alicesHolds.people[0].legalHolds.sort()).toEqual([hold, overlap.placeLegalHold.id].sort());
    // Releasing one keeps her held by the other.
    await ok(a.token, `mutation { releaseLegalHold(id: "${hold}", reason: "matter 7 closed") { id } }`);
    expect(codes(await q(a.token, `mutation { deletePeople(where: { id: { eq: "${alice}" } }) { nodesDeleted } }`))).toEqual([
      "LEGAL_HOLD",
    ]);
    expect(codes(await q(a.token, `mutation { releaseLegalHold(id: "${hold}", reason: "again") { id } }`))).toEqual(["CONFLICT"]);
    expect(codes(await q(a.token, `mutation { releaseLegalHold(id: "nope", reason: "unknown") { id } }`))).toEqual(["NOT_FOUND"]);
  });

  it("refuses retention shorter than one day or a grace period past policy, changing nothing", async () => {
    const before = await ok(a.token, `{ graphRetention { rules { olderThanDays } graceDays } }`);
    for (const input of [
      `{ rules: [{ olderThanDays: 0 }], graceDays: 0, reason: "zero days" }`,
      `{ rules: [], graceDays: 400, reason: "long grace" }`,
      `{ rules: [{ types: ["Spaceship"], olderThanDays: 5 }], graceDays: 0, reason: "unknown type" }`,
    ])
      expect(codes(await q(a.token, `mutation { setGraphRetention(input: ${input}) { graceDays } }`)), input).toEqual(["BAD_USER_INPUT"]);
    expect(await ok(a.token, `{ graphRetention { rules { olderThanDays } graceDays } }`)).toEqual(before);
  });

  it("keeps tenants apart: B can neither hold, delete, restore nor see A's entities", async () => {
    expect(
      codes(
        await q(
          b.token,
          `mutation { placeLegalHold(input: { name: "B's", reason: "cross tenant", selector: { ids: ["${alice}"] } }) { id } }`,
        ),
      ),
    ).toEqual(["NOT_FOUND"]);
    expect(
      codes(await q(b.token, `mutation { deleteEntities(input: { selector: { ids: ["${domain}"] }, reason: "cross" }) { deleted } }`)),
    ).toEqual(["NOT_FOUND"]);
    expect(codes(await q(b.token, `mutation { restoreEntities(ids: ["${domain}"]) { restored } }`))).toEqual(["NOT_FOUND"]);
    const bSource = await q(b.token, `mutation { deleteEntities(input: { selector: { source: "feed-x" }, reason: "cross" }) { deleted } }`);
    expect(bSource.data!.deleteEntities.deleted).toBe(0);
    expect(await ok(b.token, `{ legalHolds(includeReleased: true) { id } deletedEntities { id } purgeRecords { id } }`)).toEqual({
      legalHolds: [],
      deletedEntities: [],
      purgeRecords: [],
    });
    expect(await peopleIds(a.token)).toContain(alice);
  });
});
