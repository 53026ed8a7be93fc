/**
 * Who may do what with a playbook: ACLs refuse view (NOT_FOUND), run, edit and
 * share (FORBIDDEN naming the right) to those without them; approval needs a
 * second person and is reset by a change; share links run as their creator
 * and are refused once expired or revoked, or from another tenant; and a
 * failing step retries, fails the run and raises the alerts (signed webhook,
 * playbookRunUpdated over graphql-ws through the gateway).
 */
import { afterAll, describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { RUN_FIELDS, userWithRole, waitForRun, webhookReceiver } from "../support/playbookHelpers.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { subscribe } from "../support/wsClient.ts";

const platform = useTestPlatform("playbookaccess");
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

const call = <T = Record<string, any>>(token: string, query: string, variables: Record<string, unknown> = {}) =>
  gql<T>(platform.url, query, variables, { token });

const STEPS = [{ id: "count", kind: "ASK", config: { question: "how many people" } }];
const GET = `query($id: ID!) { playbook(id: $id) { id myRights version approval { version approvedBy } schedule { active paused } } }`;
const RUN = `mutation($id: ID!, $p: JSON) { runPlaybook(id: $id, parameters: $p) { ${RUN_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: UpdatePlaybookInput!) { updatePlaybook(id: $id, expectedVersion: $v, input: $input) { id version approval { version } schedule { active } } }`;
const SHARE = `mutation($input: CreatePlaybookShareLinkInput!) { createPlaybookShareLink(input: $input) { token link { id scope parameters expiresAt createdBy } } }`;
const ACL = `mutation($id: ID!, $e: [PlaybookAclEntryInput!]!) { setPlaybookAcl(id: $id, entries: $e) { acl { role userId rights } } }`;

async function create(tenant: TestTenant, input: Record<string, unknown>): Promise<string> {
  const res = await call(tenant.token, `mutation($input: CreatePlaybookInput!) { createPlaybook(input: $input) { id } }`, { input });
  expect(res.errors).toBeUndefined();
  return res.data!["createPlaybook"].id;
}

const soon = (ms: number) => new Date(Date.now() + ms).toISOString();

describe("playbook ACLs", () => {
  it("hides a playbook from those without VIEW and names the missing right to those with VIEW only", async () => {
    const a = await platform.newTenant("acl");
    const analyst = await userWithRole(platform.url, a, "ANALYST", "analyst");
    const id = await create(a, { name: "Private", steps: STEPS });
    const input = { name: "Private", steps: STEPS };

    expect((await call(analyst.token, GET, { id })).data).toEqual({ playbook: null });
    expect((await call(analyst.token, `{ playbooks { id } }`)).data).toEqual({ playbooks: [] });
    expect(codes(await call(analyst.token, RUN, { id }))).toEqual(["NOT_FOUND"]);
    expect(codes(await call(analyst.token, UPDATE, { id, v: 1, input }))).toEqual(["NOT_FOUND"]);
    expect(codes(await call(analyst.token, SHARE, { input: { playbookId: id, scope: "VIEW_RESULTS", expiresAt: soon(60_000) } }))).toEqual([
      "NOT_FOUND",
    ]);

    expect((await call(a.token, ACL, { id, e: [{ userId: analyst.id, rights: ["VIEW"] }] })).errors).toBeUndefined();
    expect((await call(analyst.token, GET, { id })).data!["playbook"]).toMatchObject({ id, myRights: ["VIEW"] });
    for (const [res, right] of [
      [await call(analyst.token, RUN, { id }), "RUN"],
      [await call(analyst.token, UPDATE, { id, v: 1, input }), "EDIT"],
      [await call(analyst.token, SHARE, { input: { playbookId: id, scope: "VIEW_RESULTS", expiresAt: soon(60_000) } }), "SHARE"],
      [await call(analyst.token, ACL, { id, e: [] }), "SHARE"],
    ] as const) {
      expect(codes(res)).toEqual(["FORBIDDEN"]);
      expect(res.errors![0]!.extensions!["missingRight"]).toBe(right);
    }

    // A role entry grants RUN to every analyst; the run runs as the analyst.
    await call(a.token, ACL, { id, e: [{ role: "ANALYST", rights: ["RUN"] }] });
    expect((await call(analyst.token, GET, { id })).data!["playbook"].myRights).toEqual(["VIEW", "RUN"]);
    const run = await call(analyst.token, RUN, { id });
    expect(run.data!["runPlaybook"]).toMatchObject({ runAs: analyst.id, requestedBy: analyst.id });
    expect((await waitForRun(platform.url, analyst.token, run.data!["runPlaybook"].id))["status"]).toBe("SUCCEEDED");

    // Another tenant's admin (ADMIN holds every right, but only in their own tenant) finds nothing.
    const b = await platform.newTenant("acl-b");
    expect((await call(b.token, GET, { id })).data).toEqual({ playbook: null });
    expect((await call(b.token, `query($id: ID!) { playbookRuns(playbookId: $id) { id } }`, { id })).data).toEqual({ playbookRuns: [] });
    expect(codes(await call(b.token, `query($id: ID!) { playbookRun(id: $id) { id } }`, { id: run.data!["runPlaybook"].id }))).toEqual([]);
    expect((await call(b.token, `query($id: ID!) { playbookRun(id: $id) { id } }`, { id: run.data!["runPlaybook"].id })).data).toEqual({
      playbookRun: null,
    });
    expect(codes(await call(b.token, RUN, { id }))).toEqual(["NOT_FOUND"]);
    expect(codes(await call(b.token, SHARE, { input: { playbookId: id, scope: "RUN", expiresAt: soon(60_000) } }))).toEqual(["NOT_FOUND"]);
    expect(codes(await call(b.token, ACL, { id, e: [{ role: "ADMIN", rights: ["VIEW"] }] }))).toEqual(["NOT_FOUND"]);

    // EDIT in the ACL does not get past the role gate: a VIEWER cannot write playbooks at all.
    const viewer = await userWithRole(platform.url, a, "VIEWER", "viewer");
    await call(a.token, ACL, { id, e: [{ userId: viewer.id, rights: ["EDIT"] }] });
    expect(codes(await call(viewer.token, UPDATE, { id, v: 1, input }))).toEqual(["FORBIDDEN"]);
  });

  it("needs a second person with EDIT to approve a schedule, and a change of steps resets the approval", async () => {
    const a = await platform.newTenant("approve");
    const editor = await userWithRole(platform.url, a, "ANALYST", "editor");
    const schedule = { cron: "0 3 * * *", timeZone: "Europe/Berlin", missedRunPolicy: "SKIP" };
    const id = await create(a, { name: "Nightly", steps: STEPS, schedule, requiresApproval: true });
    const APPROVE = `mutation($id: ID!, $v: Int!) { approvePlaybook(id: $id, version: $v) { version approval { version approvedBy } schedule { active } } }`;

    expect((await call(a.token, GET, { id })).data!["playbook"]).toMatchObject({
      approval: null,
      schedule: { active: false, paused: false },
    });
    const self = await call(a.token, APPROVE, { id, v: 1 });
    expect(codes(self)).toEqual(["FORBIDDEN"]);
    expect(self.errors![0]!.extensions!["reason"]).toBe("self-approval");
    expect(codes(await call(editor.token, APPROVE, { id, v: 1 }))).toEqual(["NOT_FOUND"]);

    await call(a.token, ACL, { id, e: [{ userId: editor.id, rights: ["EDIT"] }] });
    expect(codes(await call(editor.token, APPROVE, { id, v: 2 }))).toEqual(["CONFLICT"]);
    const approved = await call(editor.token, APPROVE, { id, v: 1 });
    expect(approved.data!["approvePlaybook"]).toEqual({
      version: 1,
      approval: { version: 1, approvedBy: editor.id },
      schedule: { active: true },
    });

    // A rename keeps the approval; a change of steps resets it.
    const renamed = await call(a.token, UPDATE, {
      id,
      v: 1,
      input: { name: "Nightly run", steps: STEPS, schedule, requiresApproval: true },
    });
    expect(renamed.data!["updatePlaybook"]).toEqual({ id, version: 2, approval: { version: 2 }, schedule: { active: true } });
    const changed = await call(a.token, UPDATE, {
      id,
      v: 2,
      input: {
        name: "Nightly run",
        steps: [...STEPS, { kind: "ASK", config: { question: "how many organizations" } }],
        schedule,
        requiresApproval: true,
      },
    });
    expect(changed.data!["updatePlaybook"]).toEqual({ id, version: 3, approval: null, schedule: { active: false } });
    expect(codes(await call(a.token, UPDATE, { id, v: 2, input: { name: "x", steps: STEPS } }))).toEqual(["CONFLICT"]);
    const versions = await call(a.token, `query($id: ID!) { playbook(id: $id) { versions { version name changedBy } } }`, { id });
    expect(versions.data!["playbook"].versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    // Paused, so no worker keeps polling this schedule once the test is over.
    expect(
      (await call(a.token, `mutation($id: ID!) { pausePlaybookSchedule(id: $id) { schedule { paused } } }`, { id })).errors,
    ).toBeUndefined();
  });

  it("previews a schedule and refuses a bad pattern or zone with problems", async () => {
    const a = await platform.newTenant("preview");
    const PREVIEW = `query($c: String!, $z: String, $n: Int) { previewPlaybookSchedule(cron: $c, timeZone: $z, count: $n) }`;
    const ok = await call(a.token, PREVIEW, { c: "30 9 * * 1", z: "America/New_York", n: 3 });
    expect(ok.data!["previewPlaybookSchedule"]).toHaveLength(3);
    for (const at of ok.data!["previewPlaybookSchedule"]) {
      const local = new Intl.DateTimeFormat("en-US", {
        timeZone: "America/New_York",
        weekday: "short",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }).format(new Date(at));
      expect(local).toBe("Mon 09:30");
    }
    const badCron = await call(a.token, PREVIEW, { c: "every day", z: "UTC" });
    expect(codes(badCron)).toEqual(["BAD_USER_INPUT"]);
    expect(badCron.errors![0]!.extensions!["problems"]).toMatchObject([{ path: "cron" }]);
    const badZone = await call(a.token, PREVIEW, { c: "0 3 * * *", z: "Europe/Atlantis" });
    expect(badZone.errors![0]!.extensions!["problems"]).toMatchObject([{ path: "timeZone" }]);
  });
});

describe("playbook share links", () => {
  it("runs a RUN link's fixed parameters as its creator for a user of the same tenant, and refuses it once revoked or expired", async () => {
    const a = await platform.newTenant("share");
    const b = await platform.newTenant("share-b");
    const viewer = await userWithRole(platform.url, a, "VIEWER", "viewer");
    const id = await create(a, {
      name: "Shared",
      parameters: [{ name: "q", type: "STRING", required: true }],
      steps: [{ kind: "ASK", config: { question: "{{params.q}}" } }],
    });
    const created = await call(a.token, SHARE, {
      input: { playbookId: id, scope: "RUN", parameters: { q: "how many people" }, expiresAt: soon(3_600_000) },
    });
    expect(created.errors).toBeUndefined();
    const { token, link } = created.data!["createPlaybookShareLink"];
    expect(token).toMatch(/^pbs_/);
    expect(link).toMatchObject({ scope: "RUN", parameters: { q: "how many people" }, createdBy: a.adminId });

    const RUN_SHARED = `mutation($t: String!) { runSharedPlaybook(token: $t) { ${RUN_FIELDS} } }`;
    const ran = await call(viewer.token, RUN_SHARED, { t: token });
    expect(ran.data!["runSharedPlaybook"]).toMatchObject({
      trigger: "SHARE_LINK",
      requestedBy: viewer.id,
      runAs: a.adminId,
      parameters: { q: "how many people" },
    });
    expect((await waitForRun(platform.url, a.token, ran.data!["runSharedPlaybook"].id))["status"]).toBe("SUCCEEDED");
    const shared = await call(
      viewer.token,
      `query($t: String!) { sharedPlaybook(token: $t) { name link { scope lastUsedAt } runs { id } } }`,
      { t: token },
    );
    expect(shared.data!["sharedPlaybook"]).toMatchObject({
      name: "Shared",
      link: { scope: "RUN" },
      runs: [{ id: ran.data!["runSharedPlaybook"].id }],
    });

    // Another tenant's user: the link does not exist for them.
    expect(codes(await call(b.token, RUN_SHARED, { t: token }))).toEqual(["NOT_FOUND"]);
    expect(codes(await call(viewer.token, RUN_SHARED, { t: "pbs_not-a-real-token" }))).toEqual(["NOT_FOUND"]);

    const revoked = await call(a.token, `mutation($id: ID!) { revokePlaybookShareLink(id: $id) { revokedAt } }`, { id: link.id });
    expect(revoked.data!["revokePlaybookShareLink"].revokedAt).toBeTruthy();
    const afterRevoke = await call(viewer.token, RUN_SHARED, { t: token });
    expect(codes(afterRevoke)).toEqual(["LINK_EXPIRED"]);
    expect(afterRevoke.errors![0]!.extensions!["reason"]).toBe("revoked");

    const short = await call(a.token, SHARE, { input: { playbookId: id, scope: "VIEW_RESULTS", expiresAt: soon(1_500) } });
    const shortToken = short.data!["createPlaybookShareLink"].token;
    expect(codes(await call(viewer.token, RUN_SHARED, { t: shortToken }))).toEqual(["FORBIDDEN"]);
    await new Promise((r) => setTimeout(r, 1_700));
    const expired = await call(viewer.token, `query($t: String!) { sharedPlaybook(token: $t) { name } }`, { t: shortToken });
    expect(codes(expired)).toEqual(["LINK_EXPIRED"]);
    expect(expired.errors![0]!.extensions!["reason"]).toBe("expired");

    const uses = await call(
      a.token,
      `{ auditEvents(filter: { targetType: "PlaybookShareLink" }, first: 100) { nodes { action outcome errorCode } } }`,
    );
    expect(uses.errors).toBeUndefined();
    expect(uses.data!["auditEvents"].nodes).toEqual(
      expect.arrayContaining([
        { action: "usePlaybookShareLink", outcome: "SUCCESS", errorCode: null },
        { action: "usePlaybookShareLink", outcome: "FAILURE", errorCode: "LINK_EXPIRED" },
        { action: "openPlaybookShareLink", outcome: "FAILURE", errorCode: "LINK_EXPIRED" },
      ]),
    );
  });
});

describe("playbook failures", () => {
  it("retries a failing step, fails the run and raises the alerts (signed webhook, subscription)", async () => {
    const a = await platform.newTenant("fail");
    const failing = await webhookReceiver([500]);
    const alerts = await webhookReceiver([200]);
    closers.push(failing.close, alerts.close);
    const id = await create(a, {
      name: "Flaky",
      steps: [{ id: "hook", kind: "WEBHOOK", retries: 2, config: { url: `${failing.url}/step`, body: { hello: "{{params.who}}" } } }],
      parameters: [{ name: "who", type: "STRING", default: "world" }],
    });
    const set = await call(
      a.token,
      `mutation($id: ID!, $url: String) { setPlaybookAlerts(id: $id, input: { webhookUrl: $url, emails: [] }) { webhookSecret playbook { alerts { webhookUrl } } } }`,
      {
        id,
        url: `${alerts.url}/alerts`,
      },
    );
    const secret = set.data!["setPlaybookAlerts"].webhookSecret as string;
    expect(secret).toBeTruthy();

    const { client, sub } = await subscribe(
      platform.url,
      `subscription($p: ID) { playbookRunUpdated(playbookId: $p) { id status steps { status attempts } } }`,
      a.token,
      { p: id },
    );
    closers.push(async () => {
      await sub.close();
      await client.dispose();
    });
    await new Promise((r) => setTimeout(r, 300));
    const runId = (await call(a.token, RUN, { id })).data!["runPlaybook"].id;
    const run = await waitForRun(platform.url, a.token, runId);
    expect(run).toMatchObject({ status: "FAILED", errorCode: "UPSTREAM_UNAVAILABLE" });
    expect(run["steps"][0]).toMatchObject({ status: "FAILED", attempts: 3 });
    expect(run["steps"][0].logs.map((l: string) => l.replace(/^\S+ /, "").replace(/:\d+/, ":PORT"))).toEqual([
      "POST http://127.0.0.1:PORT/step",
      "attempt 1 failed: The webhook 127.0.0.1:PORT answered HTTP 500.",
      "POST http://127.0.0.1:PORT/step",
      "attempt 2 failed: The webhook 127.0.0.1:PORT answered HTTP 500.",
      "POST http://127.0.0.1:PORT/step",
      "attempt 3 failed: The webhook 127.0.0.1:PORT answered HTTP 500.",
    ]);
    expect(run["error"]).toMatch(/Step "webhook 1" \(hook\) failed after 3 attempt\(s\): The webhook 127\.0\.0\.1:\d+ answered HTTP 500/);

    expect(failing.received.map((h) => [h.path, JSON.parse(h.body), failing.verify(secret, h)])).toEqual([
      ["/step", { hello: "world" }, true],
      ["/step", { hello: "world" }, true],
      ["/step", { hello: "world" }, true],
    ]);
    await expect.poll(() => alerts.received.length, { timeout: 5_000 }).toBe(1);
    const [alert] = alerts.received;
    expect(alerts.verify(secret, alert!)).toBe(true);
    expect(alerts.verify("wrong-secret", alert!)).toBe(false);
    expect(JSON.parse(alert!.body)).toMatchObject({
      type: "playbook.run.failed",
      runId,
      playbookId: id,
      failedStep: "hook",
      errorCode: "UPSTREAM_UNAVAILABLE",
    });

    const seen: string[] = [];
    for (;;) {
      const event = await sub.next(10_000);
      const update = event.data!["playbookRunUpdated"];
      expect(update.id).toBe(runId);
      seen.push(update.status);
      if (update.status === "FAILED") break;
    }
    expect(seen[0]).toBe("QUEUED");
    expect(seen).toContain("RUNNING");
  });
});
