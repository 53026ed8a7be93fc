/**
 * Audit search, saved queries, exports with residency, and audited reads,
 * through the gateway against the real store.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("auditsearch");
let a: TestTenant;
let b: TestTenant;

const EVENTS = `nodes { id action targetType targetIds outcome errorCode arguments actor { userId } seq hash } pageInfo { hasNextPage endCursor }`;
const search = (token: string, args: string) => gql(platform.url, `{ auditEvents${args} { ${EVENTS} } }`, {}, { token });
const SAVED = `id name description filter { action targetType text outcome since until } createdBy deletedAt`;

beforeAll(async () => {
  a = await platform.newTenant("search", "ENTERPRISE");
  b = await platform.newTenant("other", "TEAM");
  for (const name of ["alpha", "beta"])
    await gql(
      platform.url,
      `mutation { createPlaybook(input: { name: "${name}", steps: [{ kind: ASK, config: { question: "x" } }] }) { id } }`,
      {},
      { token: a.token },
    );
  // Reasons to search for: an audit retention with a memorable reason, and a refused one.
  await gql(
    platform.url,
    `mutation { setAuditRetention(input: { days: 400, reason: "Records schedule RS-42 for the Fenwick case" }) { days } }`,
    {},
    { token: a.token },
  );
  await gql(
    platform.url,
    `mutation { setAuditRetention(input: { days: 5, reason: "shorter than allowed" }) { days } }`,
    {},
    { token: a.token },
  );
}, 120_000);

describe("audit search", () => {
  it("filters by action, target type, outcome and free text over reasons", async () => {
    const byAction = await search(a.token, `(filter: { action: "createPlaybook" })`);
    expect(byAction.errors).toBeUndefined();
    expect(byAction.data!.auditEvents.nodes).toHaveLength(2);

    const byType = await search(a.token, `(filter: { targetType: "Playbook" })`);
    expect(byType.data!.auditEvents.nodes.every((e: { targetType: string }) => e.targetType === "Playbook")).toBe(true);
    expect(byType.data!.auditEvents.nodes.length).toBeGreaterThanOrEqual(2);

    const text = await search(a.token, `(filter: { text: "fenwick" })`);
    expect(text.data!.auditEvents.nodes.map((e: { action: string }) => e.action)).toEqual(["setAuditRetention"]);
    expect(JSON.parse(text.data!.auditEvents.nodes[0].arguments).input.reason).toContain("Fenwick");

    const failed = await search(a.token, `(filter: { outcome: FAILURE, action: "setAuditRetention" })`);
    expect(failed.data!.auditEvents.nodes).toHaveLength(1);
    expect(failed.data!.auditEvents.nodes[0].errorCode).toBe("BAD_USER_INPUT");

    // Regex characters are text, not a pattern.
    const literal = await search(a.token, `(filter: { text: ".*" })`);
    expect(literal.data!.auditEvents.nodes).toEqual([]);
  });

  it("pages with a cursor and every event has a chain position", async () => {
    const first = await search(a.token, `(first: 2)`);
    expect(first.data!.auditEvents.pageInfo.hasNextPage).toBe(true);
    const next = await search(a.token, `(first: 2, after: "${first.data!.auditEvents.pageInfo.endCursor}")`);
    const ids = [...first.data!.auditEvents.nodes, ...next.data!.auditEvents.nodes].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(4);
    for (const e of first.data!.auditEvents.nodes) expect(e.seq).toBeGreaterThan(0);
  });

  it("refuses malformed filters with a clear error", async () => {
    for (const [filter, field] of [
      [`{ since: "yesterday" }`, "since"],
      [`{ since: "2026-02-01T00:00:00Z", until: "2026-01-01T00:00:00Z" }`, "since"],
      [`{ text: "x" }`, "text"],
    ] as const) {
      const res = await search(a.token, `(filter: ${filter})`);
      expect(codes(res), filter).toEqual(["BAD_USER_INPUT"]);
      expect(JSON.stringify(res.errors), filter).toContain(field);
    }
  });

  it("audits every read of the audit log: who read, with what filter", async () => {
    await search(a.token, `(filter: { action: "createPlaybook" })`);
    const reads = await search(a.token, `(filter: { action: "readAuditLog" }, first: 100)`);
    const mine = reads.data!.auditEvents.nodes.filter(
      (e: { arguments: string }) => JSON.parse(e.arguments).filter?.action === "createPlaybook",
    );
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine[0]).toMatchObject({ targetType: "AuditLog", outcome: "SUCCESS", actor: { userId: a.adminId } });
  });
});

describe("saved audit queries", () => {
  let savedId: string;

  it("saves, lists, runs, deletes softly and restores a query", async () => {
    const saved = await gql(
      platform.url,
      `mutation { saveAuditQuery(input: { name: "Playbook changes", description: "weekly review", filter: { action: "createPlaybook" } }) { ${SAVED} } }`,
      {},
      { token: a.token },
    );
    expect(saved.errors).toBeUndefined();
    savedId = saved.data!.saveAuditQuery.id;
    expect(saved.data!.saveAuditQuery).toMatchObject({
      name: "Playbook changes",
      filter: { action: "createPlaybook" },
      createdBy: a.adminId,
    });

    const run = await search(a.token, `(savedQueryId: "${savedId}")`);
    expect(run.data!.auditEvents.nodes.map((e: { action: string }) => e.action)).toEqual(["createPlaybook", "createPlaybook"]);

    const dup = await gql(
      platform.url,
      `mutation { saveAuditQuery(input: { name: "Playbook changes", filter: {} }) { id } }`,
      {},
      { token: a.token },
    );
    expect(codes(dup)).toEqual(["CONFLICT"]);

    const deleted = await gql(platform.url, `mutation { deleteAuditSavedQuery(id: "${savedId}") { deletedAt } }`, {}, { token: a.token });
    expect(deleted.data!.deleteAuditSavedQuery.deletedAt).toBeTruthy();
    const list = await gql(
      platform.url,
      `{ auditSavedQueries { id } all: auditSavedQueries(includeDeleted: true) { id } }`,
      {},
      { token: a.token },
    );
    expect(list.data!.auditSavedQueries).toEqual([]);
    expect(list.data!.all).toEqual([{ id: savedId }]);
    expect(codes(await search(a.token, `(savedQueryId: "${savedId}")`))).toEqual(["NOT_FOUND"]);

    const restored = await gql(platform.url, `mutation { restoreAuditSavedQuery(id: "${savedId}") { deletedAt } }`, {}, { token: a.token });
    expect(restored.data!.restoreAuditSavedQuery.deletedAt).toBeNull();
    expect(codes(await gql(platform.url, `mutation { restoreAuditSavedQuery(id: "${savedId}") { id } }`, {}, { token: a.token }))).toEqual([
      "CONFLICT",
    ]);
  });

  it("refuses bad input and unknown ids, and keeps tenants apart", async () => {
    const bad = await gql(
      platform.url,
      `mutation { saveAuditQuery(input: { name: "x", filter: { since: "soon" } }) { id } }`,
      {},
      { token: a.token },
    );
    expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
    expect(
      codes(await gql(platform.url, `mutation { deleteAuditSavedQuery(id: "no-such-query") { id } }`, {}, { token: a.token })),
    ).toEqual(["NOT_FOUND"]);
    // Tenant B can neither run, see, delete nor restore A's query.
    expect(codes(await search(b.token, `(savedQueryId: "${savedId}")`))).toEqual(["NOT_FOUND"]);
    expect(codes(await gql(platform.url, `mutation { deleteAuditSavedQuery(id: "${savedId}") { id } }`, {}, { token: b.token }))).toEqual([
      "NOT_FOUND",
    ]);
    const list = await gql(platform.url, `{ auditSavedQueries(includeDeleted: true) { id } }`, {}, { token: b.token });
    expect(list.data!.auditSavedQueries).toEqual([]);
    const both = await search(a.token, `(filter: { action: "createPlaybook" }, savedQueryId: "${savedId}")`);
    expect(codes(both)).toEqual(["BAD_USER_INPUT"]);
  });

  it("survives a restart of the platform", async () => {
    const url = platform.url;
    await platform.restart();
    expect(platform.url).toBe(url);
    const list = await gql(platform.url, `{ auditSavedQueries { id name } }`, {}, { token: a.token });
    expect(list.data!.auditSavedQueries).toEqual([{ id: savedId, name: "Playbook changes" }]);
    const run = await search(a.token, `(savedQueryId: "${savedId}")`);
    expect(run.data!.auditEvents.nodes).toHaveLength(2);
  });
});

describe("audit export and residency", () => {
  it("exports CSV and JSON labelled with the tenant's residency and policy", async () => {
    const tenant = await gql(
      platform.url,
      `{ myTenant { region legalEntity residency { region legalEntity label policyId } } }`,
      {},
      { token: a.token },
    );
    const residency = tenant.data!.myTenant.residency;
    expect(residency).toEqual({
      region: "eu-west-1",
      legalEntity: tenant.data!.myTenant.legalEntity,
      label: `eu-west-1/${tenant.data!.myTenant.legalEntity}`,
      policyId: "residency/same-region/v1",
    });

    const csv = await gql(
      platform.url,
      `mutation { exportAuditEvents(input: { filter: { action: "createPlaybook" }, format: CSV, destinationRegion: "eu-west-1" }) { id format rows truncated sha256 content policyId residency { label } } }`,
      {},
      { token: a.token },
    );
    expect(csv.errors).toBeUndefined();
    const out = csv.data!.exportAuditEvents;
    expect(out).toMatchObject({
      format: "CSV",
      rows: 2,
      truncated: false,
      policyId: "residency/same-region/v1",
      residency: { label: residency.label },
    });
    const lines = out.content.trim().split("\n");
    expect(lines[0]).toMatch(/^id,seq,at,action,/);
    expect(lines).toHaveLength(3);
    const { createHash } = await import("node:crypto");
    expect(createHash("sha256").update(out.content).digest("hex")).toBe(out.sha256);

    const json = await gql(
      platform.url,
      `mutation { exportAuditEvents(input: { filter: { action: "createPlaybook" }, format: JSON, destinationRegion: "eu-west-1", limit: 1 }) { rows truncated content } }`,
      {},
      { token: a.token },
    );
    const body = JSON.parse(json.data!.exportAuditEvents.content);
    expect(json.data!.exportAuditEvents).toMatchObject({ rows: 1, truncated: true });
    expect(body).toMatchObject({
      residency: { label: residency.label, policyId: "residency/same-region/v1" },
      tenantId: a.id,
      truncated: true,
    });
    expect(body.events).toHaveLength(1);
  });

  it("fails closed for a destination outside the tenant's region, and records the refusal", async () => {
    const res = await gql(
      platform.url,
      `mutation { exportAuditEvents(input: { format: JSON, destinationRegion: "us-east-1" }) { content } }`,
      {},
      { token: a.token },
    );
    expect(codes(res)).toEqual(["RESIDENCY_MISMATCH"]);
    expect(res.data).toBeNull();
    expect(res.errors![0]!.message).toMatch(/must stay in eu-west-1/);
    const refused = await search(a.token, `(filter: { action: "exportAuditEvents", outcome: FAILURE })`);
    expect(refused.data!.auditEvents.nodes[0].errorCode).toBe("RESIDENCY_MISMATCH");
    expect(
      codes(
        await gql(
          platform.url,
          `mutation { exportAuditEvents(input: { format: CSV, destinationRegion: "mars" }) { id } }`,
          {},
          { token: a.token },
        ),
      ),
    ).toEqual(["BAD_USER_INPUT"]);
  });

  it("exports only the caller's tenant", async () => {
    const res = await gql(
      platform.url,
      `mutation { exportAuditEvents(input: { format: JSON, destinationRegion: "eu-west-1" }) { content } }`,
      {},
      { token: b.token },
    );
    const body = JSON.parse(res.data!.exportAuditEvents.content);
    expect(body.tenantId).toBe(b.id);
    expect(res.data!.exportAuditEvents.content).not.toContain(a.id);
    expect(res.data!.exportAuditEvents.content).not.toContain("Fenwick");
  });
});
