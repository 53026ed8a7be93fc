import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashEvent, signAnchor, type AuditAnchor } from "./auditChain.ts";
import { verifyChain, type ChainEvent, type ChainSource } from "./verifyChain.ts";

const KEY = "k".repeat(40);
const T = "tenant-1";

function chainOf(n: number): ChainEvent[] {
  const events: ChainEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e: ChainEvent = {
      _id: `e${seq}`,
      tenantId: T,
      seq,
      actor: { userId: "u1", kind: "user" },
      action: "createPeople",
      service: "graph",
      targetType: "Person",
      targetIds: [`p${seq}`],
      outcome: "success",
      errorCode: null,
      requestId: `r${seq}`,
      arguments: { input: [{ name: `n${seq}` }] },
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
      prevHash: prev,
      hash: "",
    };
    e.hash = hashEvent(prev, e);
    prev = e.hash;
    events.push(e);
  }
  return events;
}

function sourceOf(events: ChainEvent[], anchors: AuditAnchor[] = []): ChainSource {
  const sorted = () => [...events].sort((a, b) => a.seq - b.seq);
  return {
    async *events(_t, from, to) {
      yield* sorted().filter((e) => e.seq >= from && e.seq <= to);
    },
    event: async (_t, seq) => events.find((e) => e.seq === seq) ?? null,
    firstSeq: async () => sorted()[0]?.seq ?? null,
    lastSeq: async () => sorted().at(-1)?.seq ?? null,
    anchors: async () => anchors,
  };
}

const anchorFor = (e: ChainEvent, reason = "periodic") =>
  signAnchor(KEY, { tenantId: T, seq: e.seq, hash: e.hash, at: new Date(), reason });

describe("verifyChain", () => {
  it("accepts an intact chain and an empty one", async () => {
    const report = await verifyChain(sourceOf(chainOf(10)), T, [KEY]);
    expect(report).toMatchObject({ ok: true, eventsChecked: 10, fromSeq: 1, toSeq: 10, startedFrom: "GENESIS", firstBreak: null });
    expect(await verifyChain(sourceOf([]), T, [KEY])).toMatchObject({ ok: true, eventsChecked: 0, startedFrom: "EMPTY" });
  });

  it("finds an edited event at its position", async () => {
    const events = chainOf(10);
    events[6]!.arguments = { input: [{ name: "rewritten" }] };
    expect((await verifyChain(sourceOf(events), T, [KEY])).firstBreak).toMatchObject({ kind: "MODIFIED", seq: 7, eventId: "e7" });
  });

  it("finds a deleted event, first or middle", async () => {
    const events = chainOf(10);
    expect((await verifyChain(sourceOf(events.filter((e) => e.seq !== 4)), T, [KEY])).firstBreak).toMatchObject({
      kind: "MISSING",
      seq: 4,
    });
    expect((await verifyChain(sourceOf(events.filter((e) => e.seq !== 1)), T, [KEY])).firstBreak).toMatchObject({
      kind: "MISSING",
      seq: 1,
    });
  });

  it("finds two events swapped (their positions exchanged)", async () => {
    const events = chainOf(10);
    [events[2]!.seq, events[3]!.seq] = [events[3]!.seq, events[2]!.seq];
    expect((await verifyChain(sourceOf(events), T, [KEY])).firstBreak).toMatchObject({ kind: "LINK_BROKEN", seq: 3, eventId: "e4" });
  });

  it("finds an event re-hashed to hide an edit: its successor no longer links", async () => {
    const events = chainOf(10);
    events[4]!.action = "deletePeople";
    events[4]!.hash = hashEvent(events[4]!.prevHash, events[4]!);
    expect((await verifyChain(sourceOf(events), T, [KEY])).firstBreak).toMatchObject({ kind: "LINK_BROKEN", seq: 6 });
  });

  it("detects events cut off the end back to the last anchor, and a forged anchor", async () => {
    const events = chainOf(10);
    const anchors = [anchorFor(events[7]!)];
    expect((await verifyChain(sourceOf(events, anchors), T, [KEY])).ok).toBe(true);
    expect((await verifyChain(sourceOf(events.slice(0, 6), anchors), T, [KEY])).firstBreak).toMatchObject({ kind: "TRUNCATED", seq: 7 });
    const forged = { ...anchors[0]!, hash: "f".repeat(64) };
    expect((await verifyChain(sourceOf(events, [forged]), T, [KEY])).firstBreak).toMatchObject({ kind: "ANCHOR_MISMATCH", seq: 8 });
    expect((await verifyChain(sourceOf(events, anchors), T, ["another-key".repeat(4)])).firstBreak).toMatchObject({
      kind: "ANCHOR_MISMATCH",
    });
  });

  it("starts after a trim from the anchor at the cut, and fails without one", async () => {
    const events = chainOf(10);
    const kept = events.slice(5); // positions 6..10
    const trimmed = await verifyChain(sourceOf(kept, [anchorFor(events[4]!, "retention")]), T, [KEY]);
    expect(trimmed).toMatchObject({ ok: true, startedFrom: "ANCHOR", eventsChecked: 5, fromSeq: 6 });
    expect((await verifyChain(sourceOf(kept), T, [KEY])).firstBreak).toMatchObject({ kind: "MISSING", seq: 5 });
  });

  it("verifies a range from the event before it", async () => {
    const events = chainOf(10);
    events[1]!.requestId = "edited"; // outside the range
    const report = await verifyChain(sourceOf(events), T, [KEY], { fromSeq: 5, toSeq: 8 });
    expect(report).toMatchObject({ ok: true, startedFrom: "EVENT", eventsChecked: 4, fromSeq: 5, toSeq: 8 });
  });

  it("hashes the same content the same way whatever the key order or Date form", () => {
    const [e] = chainOf(1);
    const reversed = Object.fromEntries(Object.entries(e!).reverse()) as unknown as ChainEvent;
    expect(hashEvent(GENESIS_HASH, reversed)).toBe(e!.hash);
    expect(hashEvent(GENESIS_HASH, { ...e!, at: (e!.at as Date).toISOString() })).toBe(e!.hash);
    expect(hashEvent(GENESIS_HASH, { ...e!, targetIds: ["other"] })).not.toBe(e!.hash);
  });
});
