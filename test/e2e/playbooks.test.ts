/**
 * Playbooks in the console end to end: an admin creates a playbook through the
 * editor — a required parameter, an ASK step on ingested sample data and a
 * WEBHOOK step to a local receiver that the test holds open, and a schedule
 * whose next runs the editor previews from the API while typing (a bad pattern
 * shows the API's problem first). The run form refuses a missing parameter
 * under its field; the live run view shows the first step's output while the
 * second runs, then SUCCEEDED, without a reload; JSON and CSV download.
 */
import { mkdirSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { ingestFile, sample, sampleMapping } from "../support/ingest.ts";
import { userWithRole, withRunState } from "../support/playbookHelpers.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { launchBrowser, type TestBrowser } from "./support/browser.ts";

const SHOTS = new URL("../../.cache/e2e-screenshots/", import.meta.url);
const CRON = "15 6 * * 1";
const ZONE = "Europe/Berlin";

const platform = useTestPlatform("playbooks_e2e", { consoleDir: inject("consoleDir") });
let tenant: TestTenant;
let chromium: TestBrowser;
let page: Page;
let playbookId: string;
let runId: string;
let revokedToken: string;
/** What the run view test leaves on the page's global object (a reload would wipe it). */
interface BrowserMarks {
  noReload?: boolean;
  seen: string[];
}
const origin = () => new URL(platform.url).origin;
const shot = (name: string) => page.screenshot({ path: new URL(`playbooks-${name}.png`, SHOTS).pathname, fullPage: true });

/** A webhook receiver that holds each request open until the test releases it, so the run stays RUNNING on screen. */
const received: unknown[] = [];
let release: () => void = () => {};
const held = new Promise<void>((resolve) => (release = resolve));
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
    void held.then(() => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
  });
});

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  tenant = await platform.newTenant("playbooks-e2e", "TEAM");
  const mapping = await sampleMapping(platform.url, tenant.token, "people.csv");
  const job = await ingestFile(platform.url, tenant.token, mapping, sample("people.csv"), "people.csv");
  expect(job.state).toBe("SUCCEEDED");
  chromium = await launchBrowser(inject("chromiumPath"));
  page = chromium.page;
});

afterAll(async () => {
  release();
  await chromium?.browser.close();
  await new Promise((resolve) => receiver.close(resolve));
});

describe("playbooks in the console", () => {
  it("signs in and finds no playbooks yet", async () => {
    await page.goto(`${origin()}/`);
    await page.getByLabel("E-mail").fill(tenant.adminEmail);
    await page.getByLabel("Password").fill(tenant.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: /overview$/ }).waitFor();
    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Playbooks" }).click();
    await page.getByRole("heading", { name: "Playbooks" }).waitFor();
    expect(await page.locator(".empty").textContent()).toContain("No playbooks yet.");
  });

  it("creates a playbook with a parameter, two steps and a schedule previewed while typing", async () => {
    await page.getByRole("link", { name: "New playbook" }).click();
    await page.waitForURL(/\/playbooks\/new$/);
    await page.getByLabel("Playbook name").fill("Acme staff check");

    await page.getByRole("button", { name: "Add parameter" }).click();
    const parameter = page.getByRole("group", { name: "Parameter 1" });
    await parameter.getByLabel("Name").fill("org");
    await parameter.getByLabel("Required").check();

    await page.getByRole("button", { name: "Add step" }).click();
    const ask = page.getByRole("group", { name: "Step 1" });
    await ask.getByLabel(/^Step id/).fill("people");
    await ask.getByLabel("Question").fill("Which people work for “{{params.org}}”?");
    await ask.getByLabel("Run even when confidence is low").check();

    await page.getByLabel("New step kind").selectOption("WEBHOOK");
    await page.getByRole("button", { name: "Add step" }).click();
    const hook = page.getByRole("group", { name: "Step 2" });
    expect(await hook.getByLabel("Kind").inputValue()).toBe("WEBHOOK");
    await hook.getByLabel(/^Step id/).fill("notify");
    const port = (receiver.address() as AddressInfo).port;
    await hook.getByLabel("URL (https)").fill(`http://127.0.0.1:${port}/hook`);
    await hook.getByLabel(/^Body \(JSON\)/).fill('{ "org": "{{params.org}}", "people": "{{steps.people.rows}}" }');

    await page.getByLabel("Run on a schedule").check();
    const preview = page.getByTestId("schedule-preview");
    await page.getByLabel(/^Cron pattern/).fill("61 * * * *");
    await preview.locator(".field-problem").waitFor();
    expect((await preview.textContent())!.length).toBeGreaterThan(5);
    await page.getByLabel(/^Cron pattern/).fill(CRON);
    await page.getByLabel(/^Time zone/).fill(ZONE);
    await page.getByLabel("Missed runs").selectOption("RUN_ONCE");
    const nextRuns = preview.getByRole("list", { name: "Next runs" }).getByRole("listitem");
    const api = await gql<{ previewPlaybookSchedule: string[] }>(
      platform.url,
      `query($c: String!, $z: String) { previewPlaybookSchedule(cron: $c, timeZone: $z, count: 5) }`,
      { c: CRON, z: ZONE },
      { token: tenant.token },
    );
    const expected = api.data!.previewPlaybookSchedule.map((at) => at.replace("T", " ").replace(/\.\d+Z$/, "Z"));
    await expect.poll(() => nextRuns.allTextContents()).toEqual(expected);
    // Mondays 06:15 in Berlin: 05:15 UTC in winter, 04:15 in summer.
    for (const at of api.data!.previewPlaybookSchedule) {
      expect(new Date(at).getUTCDay()).toBe(1);
      expect(new Date(at).getUTCMinutes()).toBe(15);
    }
    expect(await preview.locator(".field-problem").count()).toBe(0);
    await shot("editor");

    await page.getByRole("button", { name: "Create playbook" }).click();
    await page.waitForURL(/\/playbooks\/(?!new)[^/]+$/);
    playbookId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]!);
    await page.getByRole("heading", { name: "Acme staff check" }).waitFor();
    await expect
      .poll(() => page.getByTestId("schedule-state").textContent())
      .toMatch(/15 6 \* \* 1 in Europe\/Berlin · missed runs run once · active/);

    const stored = await gql<{ playbook: Record<string, unknown> }>(
      platform.url,
      `query($id: ID!) { playbook(id: $id) { name version parameters { name type required } steps { id kind config timeoutMs retries }
        schedule { cron timeZone missedRunPolicy paused active } } }`,
      { id: playbookId },
      { token: tenant.token },
    );
    expect(stored.data!.playbook).toEqual({
      name: "Acme staff check",
      version: 1,
      parameters: [{ name: "org", type: "STRING", required: true }],
      steps: [
        {
          id: "people",
          kind: "ASK",
          config: { question: "Which people work for “{{params.org}}”?", confirm: true },
          timeoutMs: 30_000,
          retries: 0,
        },
        {
          id: "notify",
          kind: "WEBHOOK",
          config: { url: `http://127.0.0.1:${port}/hook`, body: { org: "{{params.org}}", people: "{{steps.people.rows}}" } },
          timeoutMs: 30_000,
          retries: 0,
        },
      ],
      schedule: { cron: CRON, timeZone: ZONE, missedRunPolicy: "RUN_ONCE", paused: false, active: true },
    });
  });

  it("refuses a run without its required parameter, under the field", async () => {
    const form = page.getByRole("form", { name: "Run playbook" });
    await form.getByRole("button", { name: "Run playbook" }).click();
    const field = form.getByLabel(/^org/);
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    expect(await form.locator(".field-problem").first().textContent()).toBe("is required (string)");
    const runs = await gql<{ playbookRuns: unknown[] }>(
      platform.url,
      `query($id: ID!) { playbookRuns(playbookId: $id) { id } }`,
      { id: playbookId },
      { token: tenant.token },
    );
    expect(runs.data!.playbookRuns).toEqual([]);
  });

  it("runs it and watches the run live: the first step's output while the webhook is held, then SUCCEEDED without a reload", async () => {
    const form = page.getByRole("form", { name: "Run playbook" });
    await form.getByLabel(/^org/).fill("Acme Corp");
    await form.getByRole("button", { name: "Run playbook" }).click();
    await page.waitForURL(/\/playbooks\/runs\/[^/]+$/);
    runId = decodeURIComponent(new URL(page.url()).pathname.split("/")[3]!);
    // A marker that a reload would wipe, and every run status the page shows.
    await page.evaluate(() => {
      // Runs in the page; the root tsconfig has no DOM types, so the few globals used are typed here.
      const w = globalThis as unknown as BrowserMarks & {
        document: { body: unknown; querySelector(selector: string): { textContent: string | null } | null };
        MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, boolean>): void };
      };
      w.noReload = true;
      w.seen = [];
      const record = () => {
        const text = w.document.querySelector('[data-testid="run-status"]')?.textContent ?? "";
        if (text && w.seen[w.seen.length - 1] !== text) w.seen.push(text);
      };
      record();
      new w.MutationObserver(record).observe(w.document.body, { subtree: true, childList: true, characterData: true });
    });

    const steps = page.getByTestId("step-run");
    const [people, notify] = [steps.nth(0), steps.nth(1)];
    // On failure the held webhook is released too (the later tests' runs call the same receiver).
    const toRunning = () => expect.poll(() => notify.getAttribute("data-status"), { timeout: 60_000 }).toBe("RUNNING");
    await withRunState(platform.url, tenant.token, runId, toRunning, release);
    expect(await people.getAttribute("data-status")).toBe("SUCCEEDED");
    expect(await people.getByTestId("step-output").textContent()).toContain("Dana Whitfield");
    expect(await people.getByTestId("step-timing").textContent()).toMatch(/^Attempts 1 · started \d{4}-\d\d-\d\d /);
    expect(await page.getByTestId("run-status").textContent()).toBe("running");
    expect(await page.getByTestId("run-parameters").textContent()).toBe('{"org":"Acme Corp"}');
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toMatchObject({ org: "Acme Corp" });
    expect(JSON.stringify(received[0])).toContain("Dana Whitfield");
    await shot("run-live");

    release();
    const succeeded = () => expect.poll(() => page.getByTestId("run-status").textContent(), { timeout: 60_000 }).toBe("succeeded");
    await withRunState(platform.url, tenant.token, runId, succeeded);
    expect(await notify.getAttribute("data-status")).toBe("SUCCEEDED");
    expect(JSON.parse((await notify.getByTestId("step-output").textContent())!)).toEqual({ status: 200 });
    const marks = await page.evaluate(() => {
      const w = globalThis as unknown as BrowserMarks;
      return { noReload: w.noReload, seen: w.seen };
    });
    expect(marks.noReload).toBe(true);
    expect(marks.seen.slice(-2)).toEqual(["running", "succeeded"]);
    await shot("run-done");
  });

  it("downloads the run's results as JSON and CSV", async () => {
    const [json] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download JSON" }).click()]);
    const exported = JSON.parse(readFileSync((await json.path())!, "utf8")) as unknown;
    expect(JSON.stringify(exported)).toContain(runId);
    expect(JSON.stringify(exported)).toContain("Dana Whitfield");
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    const lines = readFileSync((await csv.path())!, "utf8")
      .trim()
      .split("\n");
    expect(lines[0]).toBe("stepId,name,kind,status,attempts,startedAt,finishedAt,durationMs,error,output");
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 1)[0])).toEqual(["people", "notify"]);
  });

  it("shares it: the ANALYST role may run it; a view-results link's token is shown once, works, and is refused once revoked", async () => {
    await page.getByRole("link", { name: "← The playbook" }).click();
    await page.getByRole("heading", { name: "Acme staff check" }).waitFor();
    expect(await page.getByTestId("run-row").count()).toBe(1);

    const access = page.getByRole("form", { name: "Access list" });
    await access.getByRole("button", { name: "Add role" }).click();
    await access.getByLabel("run for ANALYST").check();
    await access.getByRole("button", { name: "Save access" }).click();
    await expect.poll(() => access.getByRole("status").textContent()).toBe("Access saved.");
    const acl = await gql<{ playbook: { acl: unknown } }>(
      platform.url,
      `query($id: ID!) { playbook(id: $id) { acl { role userId rights } } }`,
      { id: playbookId },
      { token: tenant.token },
    );
    expect(acl.data!.playbook.acl).toEqual([{ role: "ANALYST", userId: null, rights: ["VIEW", "RUN"] }]);

    const share = page.getByRole("form", { name: "New share link" });
    await share.getByLabel("Expires after (days)").fill("2");
    await share.getByRole("button", { name: "Create link" }).click();
    const token = (revokedToken = (await page.getByTestId("share-token").locator("code").textContent())!);
    expect(token.length).toBeGreaterThan(20);
    const SHARED = `query($t: String!) { sharedPlaybook(token: $t) { name link { scope } } }`;
    const opened = await gql(platform.url, SHARED, { t: token }, { token: tenant.token });
    expect(opened.data).toEqual({ sharedPlaybook: { name: "Acme staff check", link: { scope: "VIEW_RESULTS" } } });
    const link = page.getByTestId("share-link-row");
    await expect.poll(() => link.count()).toBe(1);
    expect(await link.textContent()).toMatch(/^view resultsactive/);
    await link.getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => link.textContent()).toMatch(/^view resultsrevoked/);
    const refused = await gql(platform.url, SHARED, { t: token }, { token: tenant.token });
    expect(refused.errors?.map((e) => e.extensions?.["code"])).toEqual(["LINK_EXPIRED"]);
    await shot("sharing");
  });

  it("sets failure alerts: the webhook's signing secret is shown once, not on the next save", async () => {
    const alerts = page.getByRole("form", { name: "Failure alerts" });
    await alerts.getByLabel(/^Webhook URL/).fill("https://hooks.example.com/playbooks");
    await alerts.getByLabel(/^E-mail addresses/).fill("soc@example.com");
    await alerts.getByRole("button", { name: "Save alerts" }).click();
    const secret = page.getByTestId("alert-webhook-secret");
    expect((await secret.locator("code").textContent())!.length).toBeGreaterThan(20);
    await alerts.getByRole("button", { name: "Save alerts" }).click();
    await expect.poll(() => secret.count()).toBe(0);
    await expect.poll(() => alerts.getByRole("button", { name: "Save alerts" }).isEnabled()).toBe(true);
    expect(await page.getByRole("alert").count()).toBe(0);
    const stored = await gql<{ playbook: { alerts: unknown } }>(
      platform.url,
      `query($id: ID!) { playbook(id: $id) { alerts { webhookUrl emails } } }`,
      { id: playbookId },
      { token: tenant.token },
    );
    expect(stored.data!.playbook.alerts).toEqual({ webhookUrl: "https://hooks.example.com/playbooks", emails: ["soc@example.com"] });
  });

  it("a run link runs it with its fixed parameters from the shared screen; the revoked link is refused there", async () => {
    const share = page.getByRole("form", { name: "New share link" });
    await share.getByLabel("Link lets someone").selectOption("RUN");
    await share.getByLabel(/^org/).fill("Acme Corp");
    await share.getByRole("button", { name: "Create link" }).click();
    await expect.poll(async () => (await page.getByTestId("share-token").locator("code").textContent()) !== revokedToken).toBe(true);
    const token = (await page.getByTestId("share-token").locator("code").textContent())!;

    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Playbooks" }).click();
    await page.getByRole("link", { name: "Open a shared link" }).click();
    const open = page.getByRole("form", { name: "Open share link" });
    await open.getByLabel("Share link token").fill(revokedToken);
    await open.getByRole("button", { name: "Open" }).click();
    const refused = page.getByRole("alert").first();
    await expect.poll(() => refused.getAttribute("data-code")).toBe("LINK_EXPIRED");
    expect(await refused.textContent()).toContain("ask whoever sent it for a new one");

    await open.getByLabel("Share link token").fill(token);
    await open.getByRole("button", { name: "Open" }).click();
    await expect.poll(() => page.getByTestId("shared-link").textContent()).toMatch(/^Runs with \{"org":"Acme Corp"\} · expires /);
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await page.getByTestId("shared-run").count()).toBe(0);
    await page.getByRole("button", { name: "Run it" }).click();
    const run = page.getByTestId("shared-run");
    await expect.poll(() => run.count()).toBe(1);
    await expect.poll(() => run.locator("h3 .state-badge").textContent(), { timeout: 60_000 }).toBe("succeeded");
    expect(await run.getByTestId("step-output").first().textContent()).toContain("Dana Whitfield");
    await shot("shared-run");
  });

  it("approves, as a second person, an analyst's playbook whose schedule waits for approval; the API's parameter problem shows under its field", async () => {
    const analyst = await userWithRole(platform.url, tenant, "ANALYST", "author");
    const created = await gql<{ createPlaybook: { id: string } }>(
      platform.url,
      `mutation($input: CreatePlaybookInput!) { createPlaybook(input: $input) { id } }`,
      {
        input: {
          name: "Weekly staff digest",
          requiresApproval: true,
          parameters: [{ name: "company", type: "ENTITY", entityType: "Organization", required: true }],
          steps: [{ kind: "ASK", config: { question: "how many people" } }],
          schedule: { cron: "0 7 * * 1", timeZone: "UTC" },
        },
      },
      { token: analyst.token },
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createPlaybook.id;
    await page.goto(`${origin()}/playbooks/${encodeURIComponent(id)}`);
    await page.getByRole("heading", { name: "Weekly staff digest" }).waitFor();
    expect(await page.getByTestId("schedule-state").textContent()).toMatch(/0 7 \* \* 1 in UTC · missed runs skipped · awaiting approval$/);
    expect(await page.getByTestId("approval-state").textContent()).toContain("Version 1 needs a second person’s approval");
    await page.getByRole("button", { name: "Approve version 1" }).click();
    await expect.poll(() => page.getByTestId("schedule-state").textContent()).toMatch(/· active$/);
    expect(await page.getByTestId("approval-state").textContent()).toMatch(new RegExp(`^Version 1 approved by ${tenant.adminId} at `));
    const stored = await gql<{ playbook: { approval: unknown; schedule: { active: boolean } } }>(
      platform.url,
      `query($id: ID!) { playbook(id: $id) { approval { version approvedBy } schedule { active } } }`,
      { id },
      { token: analyst.token },
    );
    expect(stored.data!.playbook).toEqual({ approval: { version: 1, approvedBy: tenant.adminId }, schedule: { active: true } });

    // The API checks what the console cannot (the entity exists): its problem shows under the field, no panel.
    const form = page.getByRole("form", { name: "Run playbook" });
    await form.getByLabel(/^company/).fill("org-that-does-not-exist");
    await form.getByRole("button", { name: "Run playbook" }).click();
    await expect.poll(() => form.getByLabel(/^company/).getAttribute("aria-invalid")).toBe("true");
    expect(await form.locator(".field-problem").first().textContent()).toBe(
      'no Organization with id "org-that-does-not-exist" exists in your tenant',
    );
    expect(await page.getByRole("alert").filter({ hasText: "The run did not start." }).count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe(`/playbooks/${encodeURIComponent(id)}`);

    await page.getByRole("button", { name: "Pause schedule" }).click();
    await expect.poll(() => page.getByTestId("schedule-state").textContent()).toMatch(/· paused$/);
    await page.getByRole("button", { name: "Resume schedule" }).click();
    await expect.poll(() => page.getByTestId("schedule-state").textContent()).toMatch(/· active$/);
    await shot("approved");
  });

  it("lists the playbook with its version, active schedule and last run", async () => {
    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Playbooks" }).click();
    const row = page.getByTestId("playbook-row").filter({ hasText: "Acme staff check" });
    await expect.poll(() => page.getByTestId("playbook-row").count()).toBe(2);
    await expect.poll(() => row.textContent()).toMatch(/^Acme staff check.+1.*15 6 \* \* 1 active.*succeeded/);
    await shot("list");
  });

  it("logged no errors in the browser console", () => {
    expect(chromium.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
