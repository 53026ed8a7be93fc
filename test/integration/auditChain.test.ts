/**
 * The tamper-evident audit log against the real Mongo-wire store: edits and
 * deletions made directly in the store are found at their position, several
 * writers (separate recorders, as separate processes would be) still build
 * one verifiable chain, and retention trims behind a signed anchor.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { AUDIT_COLLECTION, createAuditRecorder, createInMemoryPubSub, type AuditEvent } from "@intelgraph/kit";
import { auditAnchorKeysOf } from "@intelgraph/gateway";
import { createChainService } from "@intelgraph/subgraph-audit";
import { codes, gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { createTestLogger } from "../support/testLogger.ts";

const platform = useTestPlatform("auditchain");
let a: TestTenant;
const silent = createTestLogger("audit-chain-test");

const REPORT = `ok fromSeq toSeq eventsChecked anchorsChecked startedFrom firstBreak { kind seq eventId detail }`;
const verify = async (token: string, range = "") => {
  const res = await gql(platform.url, `{ verifyAuditChain${range} { ${REPORT} } }`, {}, { token });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.verifyAuditChain;
};
const events = () => platform.stores.mongo.db.collection<AuditEvent>(AUDIT_COLLECTION);
const playbook = (token: string, name: string) =>
  gql(
    platform.url,
    `mutation($n: String!) { createPlaybook(input: { name: $n, steps: [{ kind: ASK, config: { question: "x" } }] }) { id } }`,
    { n: name },
    { token },
  );

/** The auditor's CLI, reading the store directly. */
function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const env = {
    ...process.env,
    MONGODB_URI: platform.config.MONGODB_URI,
    MONGODB_DB: platform.config.MONGODB_DB,
    PRINCIPAL_SIGNING_KEY: platform.config.PRINCIPAL_SIGNING_KEY,
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "gateway/src/cli/auditVerify.ts", ...args],
      { cwd: root, env },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

beforeAll(async () => {
  a = await platform.newTenant("chain", "ENTERPRISE");
  for (let i = 0; i < 8; i++) await playbook(a.token, `pb-${i}`);
}, 120_000);

describe("audit hash chain", () => {
  it("verifies an untouched chain from its genesis", async () => {
    const report = await verify(a.token);
    expect(report).toMatchObject({ ok: true, fromSeq: 1, startedFrom: "GENESIS", firstBreak: null });
    expect(report.eventsChecked).toBeGreaterThanOrEqual(9);
    expect(report.toSeq).toBe(report.eventsChecked);
  });

  it("finds an event edited in the store at its position, and passes again once it is put back", async () => {
    const target = await events().findOne({ tenantId: a.id, action: "createPlaybook", "arguments.input.name": "pb-3" });
    expect(target?.seq).toBeGreaterThan(0);
    await events().updateOne({ _id: target!._id }, { $set: { "arguments.input.name": "innocent" } });
    try {
      expect((await verify(a.token)).firstBreak).toMatchObject({ kind: "MODIFIED", seq: target!.seq, eventId: target!._id });
      const broken = await cli("--tenant", a.slug);
      expect(broken.code, broken.out).toBe(1);
      expect(broken.out).toContain(`BROKEN  ${a.id}: MODIFIED at position ${target!.seq} (event ${target!._id})`);
    } finally {
      await events().updateOne({ _id: target!._id }, { $set: { "arguments.input.name": "pb-3" } });
    }
    expect((await verify(a.token)).ok).toBe(true);
    const fine = await cli("--all");
    expect(fine.code, fine.out).toBe(0);
    expect(fine.out).toMatch(new RegExp(`ok      ${a.id}: \\d+ events`));
    expect((await cli()).code).toBe(2);
  });

  it("finds an event deleted from the store, and events swapped", async () => {
    const target = await events().findOne({ tenantId: a.id, action: "createPlaybook", "arguments.input.name": "pb-5" });
    await events().deleteOne({ _id: target!._id });
    try {
      expect((await verify(a.token)).firstBreak).toMatchObject({ kind: "MISSING", seq: target!.seq });
    } finally {
      await events().insertOne(target!);
    }
    expect((await verify(a.token)).ok).toBe(true);

    const [x, y] = await events()
      .find({ tenantId: a.id, seq: { $in: [target!.seq! + 1, target!.seq! + 2] } })
      .sort({ seq: 1 })
      .toArray();
    await events().updateOne({ _id: x!._id }, { $set: { seq: -1, chainKey: "swap" } });
    await events().updateOne({ _id: y!._id }, { $set: { seq: x!.seq!, chainKey: x!.chainKey! } });
    await events().updateOne({ _id: x!._id }, { $set: { seq: y!.seq!, chainKey: y!.chainKey! } });
    expect((await verify(a.token)).firstBreak).toMatchObject({ kind: "LINK_BROKEN", seq: x!.seq });
    await events().updateOne({ _id: y!._id }, { $set: { seq: -1, chainKey: "swap" } });
    await events().updateOne({ _id: x!._id }, { $set: { seq: x!.seq!, chainKey: x!.chainKey! } });
    await events().updateOne({ _id: y!._id }, { $set: { seq: y!.seq!, chainKey: y!.chainKey! } });
    expect((await verify(a.token)).ok).toBe(true);
  });

  it("catches events cut off the end once an anchor vouches for them", async () => {
    const anchored = await gql(platform.url, `mutation { anchorAuditChain { seq hash keyId reason } }`, {}, { token: a.token });
    expect(anchored.errors).toBeUndefined();
    const anchor = anchored.data!.anchorAuditChain;
    expect(anchor.reason).toBe("manual");
    const anchoredEvent = await events().findOne({ tenantId: a.id, seq: anchor.seq });
    expect(anchoredEvent?.hash).toBe(anchor.hash);
    // Cut the end of the chain from the anchored event on (the anchoring itself was audited after it).
    const tail = await events()
      .find({ tenantId: a.id, seq: { $gte: anchor.seq } })
      .toArray();
    await events().deleteMany({ tenantId: a.id, seq: { $gte: anchor.seq } });
    try {
      expect((await verify(a.token)).firstBreak).toMatchObject({ kind: "TRUNCATED", seq: anchor.seq });
    } finally {
      await events().insertMany(tail);
    }
    expect((await verify(a.token)).ok).toBe(true);
  });

  it("finds an event inserted around the chain (no position, dated after it began)", async () => {
    const stray = {
      _id: "forged-event",
      tenantId: a.id,
      actor: { userId: null, kind: "system" },
      action: "nothingHappened",
      service: "x",
      targetType: null,
      targetIds: [],
      outcome: "success" as const,
      errorCode: null,
      requestId: "forged",
      arguments: {},
      at: new Date(),
    };
    await events().insertOne(stray);
    try {
      expect((await verify(a.token)).firstBreak).toMatchObject({ kind: "UNCHAINED", eventId: "forged-event" });
    } finally {
      await events().deleteOne({ _id: "forged-event" });
    }
    expect((await verify(a.token)).ok).toBe(true);
  });

  it("stays one verifiable chain with several writers appending at once", async () => {
    const db = platform.stores.mongo.db;
    // Three recorders: separate heads and queues, like three processes; plus requests through the gateway.
    const writers = [0, 1, 2].map(() => createAuditRecorder({ db, pubsub: createInMemoryPubSub(), logger: silent }));
    const before = (await verify(a.token)).toSeq as number;
    const writes: Array<Promise<unknown>> = [];
    for (let i = 0; i < 60; i++)
      for (const [w, writer] of writers.entries())
        writes.push(
          writer.record({
            tenantId: a.id,
            actor: { userId: null, kind: "system" },
            action: `concurrentWrite${w}`,
            service: "test",
            targetType: null,
            targetIds: [`${w}-${i}`],
            outcome: "success",
            errorCode: null,
            requestId: `w${w}-${i}`,
            arguments: { i },
          }),
        );
    for (let i = 0; i < 10; i++) writes.push(playbook(a.token, `concurrent-${i}`));
    await Promise.all(writes);
    const report = await verify(a.token);
    expect(report.firstBreak).toBeNull();
    const written = await events().countDocuments({
      tenantId: a.id,
      action: { $in: ["concurrentWrite0", "concurrentWrite1", "concurrentWrite2"] },
    });
    expect(written).toBe(180);
    // Every position taken exactly once: as many positions as events.
    expect(await events().countDocuments({ tenantId: a.id, seq: { $exists: true } })).toBe(report.toSeq);
    expect(report.toSeq).toBeGreaterThanOrEqual(before + 190);
  });

  it("verifies a range, and refuses a malformed one", async () => {
    expect(await verify(a.token, "(fromSeq: 3, toSeq: 6)")).toMatchObject({
      ok: true,
      fromSeq: 3,
      toSeq: 6,
      startedFrom: "EVENT",
      eventsChecked: 4,
    });
    const bad = await gql(platform.url, `{ verifyAuditChain(fromSeq: 9, toSeq: 2) { ok } }`, {}, { token: a.token });
    expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
  });

  it("keeps another tenant's chain apart", async () => {
    const b = await platform.newTenant("other", "TEAM");
    await playbook(b.token, "b-1");
    const report = await verify(b.token);
    expect(report).toMatchObject({ ok: true, fromSeq: 1, startedFrom: "GENESIS" });
    const mine = await events().countDocuments({ tenantId: b.id, seq: { $exists: true } });
    expect(report.toSeq).toBe(mine);
    const anchors = await gql(platform.url, `{ auditAnchors { seq } }`, {}, { token: b.token });
    expect(anchors.data!.auditAnchors).toEqual([]);

    // B trimming its whole log (as it could 400 days from now) leaves every event of A's in place, and A's chain whole.
    const aEvents = await events().countDocuments({ tenantId: a.id });
    const aReport = await verify(a.token);
    const retention = await gql(
      platform.url,
      `mutation { setAuditRetention(input: { days: 365, reason: "B's policy" }) { days } }`,
      {},
      { token: b.token },
    );
    expect(retention.errors).toBeUndefined();
    const later = createChainService({
      db: platform.stores.mongo.db,
      logger: silent,
      anchorKeys: auditAnchorKeysOf(platform.config),
      now: () => Date.now() + 400 * 86_400_000,
    });
    const principalB = { kind: "user" as const, tenantId: b.id, userId: b.adminId, roles: ["ADMIN"], scopes: [] };
    const trimmed = await later.trim(principalB, { dryRun: false });
    expect(trimmed.events).toBeGreaterThan(0);
    expect(await events().countDocuments({ tenantId: b.id, seq: { $lte: trimmed.upToSeq } })).toBe(0);
    expect(await events().countDocuments({ tenantId: a.id })).toBe(aEvents);
    expect(await verify(a.token)).toMatchObject({ ok: true, toSeq: aReport.toSeq, firstBreak: null });
  });
});

describe("audit retention", () => {
  it("refuses a retention shorter than the policy minimum, and a trim without a retention, changing nothing", async () => {
    const short = await gql(
      platform.url,
      `mutation { setAuditRetention(input: { days: 30, reason: "too short" }) { days } }`,
      {},
      { token: a.token },
    );
    expect(codes(short)).toEqual(["BAD_USER_INPUT"]);
    expect(short.errors![0]!.message).toMatch(/365/);
    const none = await gql(platform.url, `mutation { trimAuditLog(dryRun: false) { events } }`, {}, { token: a.token });
    expect(codes(none)).toEqual(["CONFLICT"]);
    const setting = await gql(platform.url, `{ auditRetention { days } }`, {}, { token: a.token });
    expect(setting.data!.auditRetention).toBeNull();
  });

  it("trims what is older than the retention behind a signed anchor, and the rest still verifies", async () => {
    const set = await gql(
      platform.url,
      `mutation { setAuditRetention(input: { days: 365, reason: "records policy RP-7" }) { days minimumDays policyId } }`,
      {},
      { token: a.token },
    );
    expect(set.data!.setAuditRetention).toEqual({ days: 365, minimumDays: 365, policyId: "audit-retention/min-365d/v1" });
    // Today nothing is a year old.
    const dry = await gql(
      platform.url,
      `mutation { trimAuditLog(dryRun: true) { dryRun upToSeq events trim { id } } }`,
      {},
      { token: a.token },
    );
    expect(dry.data!.trimAuditLog).toEqual({ dryRun: true, upToSeq: 0, events: 0, trim: null });
    const head = (await verify(a.token)).toSeq as number;

    // 400 days from now everything recorded so far is past a 365-day retention: trim as the service would then.
    const later = Date.now() + 400 * 86_400_000;
    const chain = createChainService({
      db: platform.stores.mongo.db,
      logger: silent,
      anchorKeys: auditAnchorKeysOf(platform.config),
      now: () => later,
    });
    const principal = { kind: "user" as const, tenantId: a.id, userId: a.adminId, roles: ["ADMIN"], scopes: [] };
    const plan = await chain.trim(principal, { dryRun: true });
    expect(plan).toMatchObject({ upToSeq: head, events: head, trim: null });
    expect(await events().countDocuments({ tenantId: a.id, seq: { $lte: head } })).toBe(head);

    const done = await chain.trim(principal, { dryRun: false });
    expect(done.trim).toMatchObject({ upToSeq: head, events: head, anchorId: `${a.id}/${head}` });
    expect(await events().countDocuments({ tenantId: a.id, seq: { $lte: head } })).toBe(0);

    await playbook(a.token, "after-trim");
    const report = await verify(a.token);
    expect(report).toMatchObject({ ok: true, startedFrom: "ANCHOR", fromSeq: head + 1, firstBreak: null });
    const anchors = await gql(
      platform.url,
      `{ auditAnchors { seq reason } auditTrims { upToSeq events policyId } }`,
      {},
      { token: a.token },
    );
    expect(anchors.data!.auditAnchors).toContainEqual({ seq: head, reason: "retention" });
    expect(anchors.data!.auditTrims[0]).toEqual({ upToSeq: head, events: head, policyId: "audit-retention/min-365d/v1" });

    // Tampering after the trim is still found.
    const kept = await events().findOne({ tenantId: a.id, seq: head + 1 });
    await events().updateOne({ _id: kept!._id }, { $set: { action: "nothingHappened" } });
    expect((await verify(a.token)).firstBreak).toMatchObject({ kind: "MODIFIED", seq: head + 1 });
    // …and a broken chain is never trimmed away.
    const evenLater = createChainService({
      db: platform.stores.mongo.db,
      logger: silent,
      anchorKeys: auditAnchorKeysOf(platform.config),
      now: () => Date.now() + 800 * 86_400_000,
    });
    await expect(evenLater.trim(principal, { dryRun: false })).rejects.toMatchObject({ extensions: { code: "CONFLICT" } });
    expect(await events().countDocuments({ tenantId: a.id, seq: head + 1 })).toBe(1);
  });

  it("keeps trimming and anchoring to those allowed: an analyst is refused", async () => {
    const created = await gql(
      platform.url,
      `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
      { input: { email: `analyst@${a.slug}.test`, password: "analyst-password-1", role: "ANALYST" } },
      { token: a.token },
    );
    expect(created.errors).toBeUndefined();
    const login = await gql(platform.url, `mutation { login(email: "analyst@${a.slug}.test", password: "analyst-password-1") { token } }`);
    const analyst = login.data!.login.token as string;
    for (const op of [
      `mutation { trimAuditLog(dryRun: true) { events } }`,
      `mutation { anchorAuditChain { seq } }`,
      `{ verifyAuditChain { ok } }`,
    ])
      expect(codes(await gql(platform.url, op, {}, { token: analyst })), op).toEqual(["FORBIDDEN"]);
  });
});
