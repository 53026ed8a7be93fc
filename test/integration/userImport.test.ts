import { createJobSlots } from "@intelgraph/kit";
import { beforeAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { login, randomSecret, useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("userimport");
let tenant: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  tenant = await platform.newTenant("ia", "TEAM");
  other = await platform.newTenant("ib", "TEAM");
});

const RESULT = `dryRun applied created updated deactivated unchanged
  changes { action email externalId userId changes { field from to } keptOverrides { field from to } }
  errors { row email message }`;

const importUsers = (admin: TestTenant, input: Record<string, unknown>) =>
  gql<{ importUsers: Record<string, any> }>(
    platform.url,
    `mutation($input: ImportUsersInput!) { importUsers(input: $input) { ${RESULT} } }`,
    { input },
    { token: admin.token },
  );

const usersOf = async (admin: TestTenant) =>
  (
    await gql<{ users: Array<Record<string, any>> }>(
      platform.url,
      `{ users { id email role displayName active externalId source hasPassword overrides { field value reason } } }`,
      {},
      { token: admin.token },
    )
  ).data!.users;

const csv = (domain: string) =>
  [
    "email,role,displayName,externalId,active",
    `ana@${domain},analyst,Ana Analyst,okta-1,true`,
    `vic@${domain},VIEWER,Vic Viewer,okta-2,`,
    `cam@${domain},compliance,Cam,okta-3,yes`,
  ].join("\n");

describe("SCIM-lite user import", () => {
  it("shows the diff in a dry run and changes nothing", async () => {
    const res = await importUsers(tenant, { format: "CSV", data: csv(`${tenant.slug}.test`), dryRun: true });
    expect(res.errors).toBeUndefined();
    expect(res.data!.importUsers).toMatchObject({ dryRun: true, applied: false, created: 3, updated: 0, unchanged: 0, errors: [] });
    expect(res.data!.importUsers["changes"][0]).toEqual({
      action: "CREATE",
      email: `ana@${tenant.slug}.test`,
      externalId: "okta-1",
      userId: null,
      changes: [
        { field: "ROLE", from: null, to: "ANALYST" },
        { field: "DISPLAY_NAME", from: null, to: "Ana Analyst" },
      ],
      keptOverrides: [],
    });
    expect((await usersOf(tenant)).map((u) => u["email"])).toEqual([tenant.adminEmail]);
  });

  it("imports, is idempotent, and updates from a changed file (JSON, SCIM ListResponse)", async () => {
    const first = await importUsers(tenant, { format: "CSV", data: csv(`${tenant.slug}.test`) });
    expect(first.data!.importUsers).toMatchObject({ applied: true, created: 3 });
    const users = await usersOf(tenant);
    expect(users.find((u) => u["email"] === `ana@${tenant.slug}.test`)).toMatchObject({
      role: "ANALYST",
      active: true,
      externalId: "okta-1",
      source: "IMPORT",
      hasPassword: false,
    });

    const again = await importUsers(tenant, { format: "CSV", data: csv(`${tenant.slug}.test`) });
    expect(again.data!.importUsers).toMatchObject({ applied: true, created: 0, updated: 0, unchanged: 3 });
    expect(await usersOf(tenant)).toHaveLength(4);

    // The IdP renamed Ana's address and promoted Vic: matched by externalId, not e-mail.
    const scim = {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      Resources: [
        {
          userName: `ana.new@${tenant.slug}.test`,
          externalId: "okta-1",
          displayName: "Ana Analyst",
          active: true,
          roles: [{ value: "analyst" }],
        },
        {
          userName: `vic@${tenant.slug}.test`,
          externalId: "okta-2",
          displayName: "Vic Viewer",
          roles: [{ value: "OPERATOR", primary: true }],
        },
        { userName: `cam@${tenant.slug}.test`, externalId: "okta-3", displayName: "Cam", active: false, roles: [{ value: "compliance" }] },
      ],
    };
    const changed = await importUsers(tenant, { format: "JSON", data: JSON.stringify(scim) });
    expect(changed.errors).toBeUndefined();
    const summary = changed.data!.importUsers;
    expect(summary).toMatchObject({ created: 0, updated: 1, deactivated: 1, unchanged: 1 });
    expect(summary["changes"].find((c: any) => c.externalId === "okta-2").changes).toEqual([
      { field: "ROLE", from: "VIEWER", to: "OPERATOR" },
    ]);
    const after = await usersOf(tenant);
    expect(after.find((u) => u["externalId"] === "okta-3")!["active"]).toBe(false);
  });

  it("keeps a manual override through re-imports until it is released", async () => {
    const vic = (await usersOf(tenant)).find((u) => u["externalId"] === "okta-2")!;
    const manual = await gql(
      platform.url,
      `mutation($id: ID!) { updateUser(id: $id, input: { role: ADMIN, reason: "covering the on-call rota" }) { role overrides { field value reason } } }`,
      { id: vic["id"] },
      { token: tenant.token },
    );
    expect(manual.data).toEqual({
      updateUser: { role: "ADMIN", overrides: [{ field: "ROLE", value: "ADMIN", reason: "covering the on-call rota" }] },
    });
    const data = JSON.stringify([{ email: `vic@${tenant.slug}.test`, externalId: "okta-2", role: "OPERATOR", displayName: "Vic Viewer" }]);
    const reimport = await importUsers(tenant, { format: "JSON", data });
    const change = reimport.data!.importUsers["changes"][0];
    expect(change).toMatchObject({ action: "UNCHANGED", changes: [], keptOverrides: [{ field: "ROLE", from: "ADMIN", to: "OPERATOR" }] });
    expect((await usersOf(tenant)).find((u) => u["id"] === vic["id"])!["role"]).toBe("ADMIN");

    await gql(
      platform.url,
      `mutation($id: ID!) { updateUser(id: $id, input: { releaseOverrides: [ROLE], reason: "rota over" }) { id } }`,
      { id: vic["id"] },
      { token: tenant.token },
    );
    const released = await importUsers(tenant, { format: "JSON", data });
    expect(released.data!.importUsers["changes"][0]).toMatchObject({
      action: "UPDATE",
      changes: [{ field: "ROLE", from: "ADMIN", to: "OPERATOR" }],
    });
  });

  it("refuses a file with bad rows as a whole, listing every bad row", async () => {
    const before = await usersOf(tenant);
    const data = [
      "email,role",
      `new1@${tenant.slug}.test,analyst`,
      "not-an-email,viewer",
      `new2@${tenant.slug}.test,wizard`,
      `new1@${tenant.slug}.test,viewer`,
      `${other.adminEmail},viewer`,
    ].join("\n");
    const dry = await importUsers(tenant, { format: "CSV", data, dryRun: true });
    expect(dry.data!.importUsers["errors"]).toEqual([
      { row: 2, email: "not-an-email", message: "email: not a valid e-mail address" },
      { row: 3, email: `new2@${tenant.slug}.test`, message: expect.stringMatching(/^role: role must be one of ADMIN, ANALYST/) },
      { row: 4, email: `new1@${tenant.slug}.test`, message: "this e-mail appears more than once in the file" },
      { row: 5, email: other.adminEmail, message: "this e-mail address is already in use and cannot be imported into this tenant" },
    ]);
    const real = await importUsers(tenant, { format: "CSV", data });
    expect(codes(real)).toEqual(["BAD_USER_INPUT"]);
    expect(real.errors?.[0]?.message).toMatch(/4 row\(s\) are not valid, so nothing was imported/);
    expect((real.errors?.[0]?.extensions?.["rows"] as unknown[]).length).toBe(4);
    expect(await usersOf(tenant)).toEqual(before);

    const broken = await importUsers(tenant, { format: "JSON", data: "{ not json" });
    expect(codes(broken)).toEqual(["BAD_USER_INPUT"]);
    expect(broken.errors?.[0]?.message).toMatch(/The JSON could not be read/);
    // Another tenant's admin is untouched by B's attempt, and B cannot demote itself by import.
    const self = await importUsers(tenant, { format: "CSV", data: `email,role\n${tenant.adminEmail},viewer`, dryRun: true });
    expect(self.data!.importUsers["errors"][0]["message"]).toMatch(/would demote or deactivate you/);
    expect((await usersOf(other)).map((u) => u["email"])).toEqual([other.adminEmail]);
  });

  it("deprovisions imported users missing from the file, and deactivated users cannot sign in", async () => {
    const data = JSON.stringify([{ email: `vic@${tenant.slug}.test`, externalId: "okta-2", role: "OPERATOR", displayName: "Vic Viewer" }]);
    const ana = (await usersOf(tenant)).find((u) => u["externalId"] === "okta-1")!;
    // Imported users have no password until an admin sets one.
    const password = randomSecret();
    const setPw = await gql(
      platform.url,
      `mutation($id: ID!, $p: String!) { setUserPassword(id: $id, password: $p) { hasPassword } }`,
      { id: ana["id"], p: password },
      { token: tenant.token },
    );
    expect(setPw.data).toEqual({ setUserPassword: { hasPassword: true } });
    await login(platform.url, ana["email"], password);

    const res = await importUsers(tenant, { format: "JSON", data, deprovisionMissing: true });
    expect(res.data!.importUsers["changes"].filter((c: any) => c.action === "DEACTIVATE").map((c: any) => c.externalId)).toEqual([
      "okta-1",
    ]);
    const refused = await gql(platform.url, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, {
      e: ana["email"],
      p: password,
    });
    expect(codes(refused)).toEqual(["UNAUTHENTICATED"]);
    // The tenant admin (created by hand) is never deprovisioned.
    expect((await usersOf(tenant)).find((u) => u["email"] === tenant.adminEmail)!["active"]).toBe(true);
    // The import and the manual changes are audited.
    const audit = await gql<{ auditEvents: { nodes: Array<{ action: string }> } }>(
      platform.url,
      `{ auditEvents(first: 50) { nodes { action } } }`,
      {},
      { token: tenant.token },
    );
    const actions = audit.data!.auditEvents.nodes.map((n) => n.action);
    expect(actions).toEqual(expect.arrayContaining(["importUsers", "updateUser", "setUserPassword"]));
  });

  it("holds one of the tenant's concurrent job slots while applying, and says so when none is free", async () => {
    const slots = createJobSlots(platform.stores.mongo.db);
    // TEAM plan: 3 concurrent jobs. Three long jobs are already running.
    const running = await Promise.all([1, 2, 3].map(() => slots.acquire(tenant.id, "ingest", 3)));
    try {
      const res = await importUsers(tenant, { format: "CSV", data: `email,role\nlate@${tenant.slug}.test,viewer` });
      expect(codes(res)).toEqual(["RATE_LIMITED"]);
      expect(res.errors?.[0]?.extensions).toMatchObject({ limit: "concurrentJobs", concurrentJobs: 3, running: 3 });
      // A dry run is not a long job.
      const dry = await importUsers(tenant, { format: "CSV", data: `email,role\nlate@${tenant.slug}.test,viewer`, dryRun: true });
      expect(dry.data!.importUsers["created"]).toBe(1);
    } finally {
      for (const lease of running) await lease.release();
    }
    const res = await importUsers(tenant, { format: "CSV", data: `email,role\nlate@${tenant.slug}.test,viewer` });
    expect(res.data!.importUsers["created"]).toBe(1);
    expect(await slots.running(tenant.id)).toBe(0);
  });

  it("is for tenant admins only", async () => {
    const email = `viewer-${Date.now()}@${tenant.slug}.test`;
    const password = randomSecret();
    await gql(
      platform.url,
      `mutation($e: String!, $p: String!) { createUser(input: { email: $e, password: $p, role: VIEWER }) { id } }`,
      { e: email, p: password },
      { token: tenant.token },
    );
    const viewer = await login(platform.url, email, password);
    const res = await gql(
      platform.url,
      `mutation { importUsers(input: { format: CSV, data: "email,role\\nx@y.test,admin", dryRun: true }) { created } }`,
      {},
      { token: viewer },
    );
    expect(codes(res)).toEqual(["FORBIDDEN"]);
  });
});
