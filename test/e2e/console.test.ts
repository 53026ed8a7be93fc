/**
 * The analyst console end to end: the built app served by a real all-in-one
 * platform (real Neo4j and FerretDB), driven in headless Chromium. Nothing of
 * our API is mocked; the only stand-in is a TCP proxy that can cut the network.
 * Screenshots of the main screens go to .cache/e2e-screenshots/ (ignored by git).
 */
import { mkdirSync, readFileSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { EXPECTED, sample } from "../support/ingest.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { startFaultyProxy, type FaultyProxy } from "./faultyProxy.ts";

const SHOTS = new URL("../../.cache/e2e-screenshots/", import.meta.url);
const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const platform = useTestPlatform("console", { consoleDir: inject("consoleDir") });
let tenant: TestTenant;
let proxy: FaultyProxy;
let browser: Browser;
let page: Page;
let jobId = "";
const consoleErrors: string[] = [];
/** Every graphql-ws message the browser received, from the first socket on. */
const frames: string[] = [];

const shot = (name: string) => page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage: true });
const liveState = () => page.getByTestId("live-state").textContent();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  tenant = await platform.newTenant("console");
  proxy = await startFaultyProxy(new URL(platform.url));
  browser = await chromium.launch({ executablePath: inject("chromiumPath"), args: LAUNCH_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20_000);
  page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  page.on("websocket", (ws) => ws.on("framereceived", (frame) => frames.push(String(frame.payload))));
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
});

describe("the analyst console", () => {
  it("is served by the gateway with an SPA fallback and cacheable hashed assets", async () => {
    const deep = await fetch(`${platform.url.replace("/graphql", "")}/entities/anything`, { headers: { accept: "text/html" } });
    expect(deep.status).toBe(200);
    expect(deep.headers.get("content-type")).toMatch(/^text\/html/);
    expect(deep.headers.get("cache-control")).toBe("no-cache");
    const html = await deep.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${platform.url.replace("/graphql", "")}${asset}`);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    // The API keeps its own answers: an unknown upload token is the upload handler's JSON, not the console.
    const upload = await fetch(`${platform.url.replace("/graphql", "")}/uploads/nope`, { method: "PUT", body: "x" });
    expect(upload.headers.get("content-type")).toMatch(/application\/json/);
  });

  it("refuses a wrong password with the error code and what to do next", async () => {
    await page.goto(`${proxy.url}/`);
    await page.waitForURL(/\/sign-in\?next=%2F$/);
    await page.getByLabel("E-mail").fill(tenant.adminEmail);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.getAttribute("data-code")).toBe("UNAUTHENTICATED");
    expect(await alert.textContent()).toMatch(/UNAUTHENTICATED.*Check the e-mail address and password/);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await shot("sign-in-error");
  });

  it("signs in and shows the tenant overview with counts, jobs and live audit events", async () => {
    await page.getByLabel("Password").fill(tenant.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: `Tenant console overview` }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
    await expect.poll(() => page.getByTestId("count-people").locator("dd").textContent()).toBe("0");
    await page.getByText("No ingest jobs yet.").waitFor();
    // The overview subscribes to audit events: the socket is open and the badge says so.
    await expect.poll(liveState).toBe("Live");
    // A change made elsewhere arrives without a reload.
    const created = await gql(
      platform.url,
      `mutation { createPeople(input: [{ name: "Live Person" }]) { people { id } } }`,
      {},
      { token: tenant.token },
    );
    expect(created.errors).toBeUndefined();
    await page.getByTestId("recent-audit").getByText("createPeople").waitFor();
    // No layout jumps while it loaded (Chromium's cumulative layout shift).
    // (Strings: this file is type-checked without the DOM library.)
    const shift = await page.evaluate<number>(`new Promise((resolve) => {
      let total = 0;
      new PerformanceObserver((list) => { for (const entry of list.getEntries()) total += entry.value; })
        .observe({ type: "layout-shift", buffered: true });
      setTimeout(() => resolve(total), 300);
    })`);
    expect(shift).toBeLessThan(0.1);
    await shot("overview");
  });

  it("shows the live connection reconnecting while the network is down, and recovers", async () => {
    proxy.cut();
    await expect.poll(liveState, { timeout: 10_000 }).toBe("Reconnecting…");
    await shot("overview-reconnecting");
    proxy.restore();
    await expect.poll(liveState, { timeout: 15_000 }).toBe("Live");
    // The subscription works again after the reconnect.
    await gql(
      platform.url,
      `mutation { createPeople(input: [{ name: "After Reconnect" }]) { people { id } } }`,
      {},
      { token: tenant.token },
    );
    await expect.poll(() => page.getByTestId("recent-audit").getByText("createPeople").count(), { timeout: 10_000 }).toBe(2);
  });

  it("ingests the people.csv golden pack through the wizard and follows its progress live to 100%", async () => {
    const expected = EXPECTED["people.csv"]!;
    await page.getByRole("navigation").getByRole("link", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "Ingest a file" }).waitFor();
    await page.getByLabel(/File to ingest/).setInputFiles(sample("people.csv").pathname);
    await expect.poll(() => page.getByLabel("Format").inputValue()).toBe("CSV");
    await expect.poll(() => page.getByRole("radio", { name: "New mapping…" }).isChecked()).toBe(true);
    await page.getByLabel("Spec (JSON; see docs/ingest.md)").fill(readFileSync(sample(expected.mapping!), "utf8"));
    await page.getByRole("button", { name: "Create mapping" }).click();
    const approval = page.getByTestId("approval");
    await approval.getByText("pending approval").waitFor();
    expect(await page.getByRole("button", { name: "Start ingest" }).isDisabled()).toBe(true);
    await page.getByLabel("Approval reason").fill("reviewed the golden pack");
    await page.getByRole("button", { name: "Approve mapping" }).click();
    await approval.getByText("approved", { exact: true }).waitFor();
    await shot("ingest-wizard");

    await page.getByRole("button", { name: "Start ingest" }).click();
    await page.waitForURL(/\/ingest\/jobs\/[^/]+$/);
    jobId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
    await expect.poll(() => page.getByTestId("job-percent").textContent(), { timeout: 60_000 }).toBe("100%");
    await page
      .getByRole("heading", { name: /people\.csv/ })
      .getByText("succeeded")
      .waitFor();
    expect(await page.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("100");
    expect(await page.getByTestId("total-recordsRead").textContent()).toBe(String(expected.recordsRead));
    expect(await page.getByTestId("total-recordsWritten").textContent()).toBe(String(expected.recordsWritten));
    expect(await page.getByTestId("total-deadLettered").textContent()).toBe(String(expected.deadLettered));
    // The progress came over the subscription: graphql-ws `next` messages for this job.
    const progress = frames
      .map((f) => JSON.parse(f) as { type: string; payload?: { data?: { ingestProgress?: { id: string; state: string } } } })
      .filter((m) => m.type === "next" && m.payload?.data?.ingestProgress?.id === jobId);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.payload!.data!.ingestProgress!.state).toBe("SUCCEEDED");
    // Dead letters with their reasons, as the golden pack says.
    const letters = page.getByTestId("dead-letter");
    await expect.poll(() => letters.count()).toBe(2);
    // Records numbered from 1 as in the pack's README (row 13 is file line 14).
    const texts = await letters.allTextContents();
    expect(texts[0]).toMatch(/^Record 13 \(line 14\) MISSING_FIELD Person email is required but field "email" is empty/);
    expect(texts[1]).toMatch(/^Record 15 \(line 16\) INVALID_VALUE confidence must be a number, got "high"/);
    await shot("ingest-job");
  });

  it("finds an entity by search, opens its page with its neighbourhood graph and provenance", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Entities" }).click();
    await page.getByLabel(/Name, e-mail, domain/).fill("acme");
    const results = page.getByRole("list", { name: "Matching entities" });
    await results.getByRole("link", { name: "Acme Corp" }).click();
    await page.getByRole("heading", { name: /Acme Corp/ }).waitFor();
    // The graph links to its members; Dana Whitfield (rows 1 and 9 of the pack) is one of them.
    const graph = page.getByRole("group", { name: "Neighbourhood graph" });
    await graph.getByRole("link", { name: "Person Dana Whitfield" }).waitFor();
    expect(await graph.getByRole("link", { name: /\(this entity\)$/ }).getAttribute("aria-label")).toBe(
      "Organization Acme Corp (this entity)",
    );
    const provenance = page.getByTestId("provenance");
    await provenance.getByRole("link", { name: jobId }).waitFor();
    expect(await provenance.textContent()).toContain("people.csv");
    await shot("entity");

    // Keyboard: the graph's nodes are links, Enter opens the person's page.
    await graph.getByRole("link", { name: "Person Dana Whitfield" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: /Dana Whitfield/ }).waitFor();
    expect(await page.getByTestId("provenance").textContent()).toMatch(/Merged spellings.*Dana\.Whitfield@ACME\.example/i);
  });

  it("jumps to an entity with the Ctrl-K command palette", async () => {
    await page.keyboard.press("Control+K");
    const dialog = page.getByRole("dialog", { name: "Command palette" });
    await dialog.waitFor();
    await page.keyboard.type("northwind");
    await dialog.getByRole("option", { name: /Northwind Traders, Ltd\./ }).waitFor();
    await shot("command-palette");
    // Screens come first in the list; move down to the entity with the arrow keys.
    const options = await dialog.getByRole("option").allTextContents();
    const index = options.findIndex((o) => o.startsWith("Northwind Traders, Ltd."));
    for (let i = 0; i < index; i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: /Northwind Traders, Ltd\./ }).waitFor();
    expect(await dialog.count()).toBe(0);
  });

  it("searches the audit log with filters kept in the URL", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("heading", { name: "Audit log" }).waitFor();
    await page.getByLabel("Action").fill("approveIngestMapping");
    await page.getByLabel("Outcome").selectOption("SUCCESS");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/audit\?action=approveIngestMapping&outcome=SUCCESS$/);
    const rows = page.getByTestId("audit-row");
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(/approveIngestMapping.*success/);
    // Its arguments, with the reason given in the wizard.
    await rows.first().getByRole("button", { name: "approveIngestMapping" }).click();
    await page.getByText(/reviewed the golden pack/).waitFor();
    await shot("audit");

    await page.getByLabel("Action").fill("noSuchAction");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText("No audit events match these filters.").waitFor();
    // Reloading the URL gives the same search.
    await page.reload();
    expect(await page.getByLabel("Action").inputValue()).toBe("noSuchAction");
  });

  it("saves the current filters under a name, keeps them over a reload, runs, deletes (with Undo) and restores them", async () => {
    const panel = page.getByRole("region", { name: "Saved queries" });
    const saveForm = page.getByRole("form", { name: "Save current filters" });
    const saved = panel.getByTestId("saved-query");
    const rows = page.getByTestId("audit-row");
    const runSaved = panel.getByRole("button", { name: "Golden approvals", exact: true });
    await panel.getByText("No saved queries yet.").waitFor();

    // The new free-text filter (case-insensitive) finds the approval by its reason.
    await page.getByLabel("Action").fill("approveIngestMapping");
    await page.getByLabel("Outcome").selectOption("");
    await page.getByLabel("Text in reasons").fill("GOLDEN");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/audit\?action=approveIngestMapping&text=GOLDEN$/);
    await expect.poll(() => rows.count()).toBe(1);

    await saveForm.getByLabel("Name", { exact: true }).fill("Golden approvals");
    expect(await saveForm.textContent()).toContain("Saves: action approveIngestMapping · text “GOLDEN”");
    await saveForm.getByRole("button", { name: "Save current filters" }).click();
    await runSaved.waitFor();
    expect(await saved.count()).toBe(1);
    expect(await panel.getByTestId("saved-notice").textContent()).toContain("Saved “Golden approvals”.");

    // A second live query of the same name is the API's CONFLICT, shown with its next step.
    await saveForm.getByLabel("Name", { exact: true }).fill("Golden approvals");
    await saveForm.getByRole("button", { name: "Save current filters" }).click();
    const saveError = saveForm.getByRole("alert");
    await expect.poll(() => saveError.getAttribute("data-code")).toBe("CONFLICT");
    expect(await saveError.textContent()).toMatch(/already exists.*CONFLICT.*Pick another name/);
    // A name the API refuses is BAD_USER_INPUT with the field named.
    await saveForm.getByLabel("Name", { exact: true }).fill("x");
    await saveForm.getByRole("button", { name: "Save current filters" }).click();
    await expect.poll(() => saveError.getAttribute("data-code")).toBe("BAD_USER_INPUT");
    expect(await saveError.textContent()).toMatch(/name/i);
    expect(await saved.count()).toBe(1);

    // Stored by the API, not the page: still there after clearing the search and reloading.
    await page.getByRole("button", { name: "Clear" }).click();
    await page.waitForURL(/\/audit$/);
    await page.reload();
    await runSaved.waitFor();
    expect(await page.getByLabel("Action").inputValue()).toBe("");

    // Clicking it puts its filters in the form and the URL, and runs it.
    await runSaved.click();
    await page.waitForURL(/\/audit\?action=approveIngestMapping&text=GOLDEN$/);
    expect(await page.getByLabel("Action").inputValue()).toBe("approveIngestMapping");
    expect(await page.getByLabel("Text in reasons").inputValue()).toBe("GOLDEN");
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(/approveIngestMapping.*success/);
    expect(await runSaved.getAttribute("aria-current")).toBe("true");
    await shot("audit-saved-queries");

    // Delete, then Undo from the keyboard (focus moves to Undo as the row goes).
    await panel.getByRole("button", { name: "Delete Golden approvals" }).click();
    await panel.getByText("No saved queries yet.").waitFor();
    await panel.getByRole("button", { name: "Undo" }).waitFor();
    await expect.poll(() => page.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe("Undo");
    await page.keyboard.press("Enter");
    await runSaved.waitFor();
    expect(await panel.getByTestId("saved-notice").textContent()).toContain("Restored “Golden approvals”.");

    // Deleted ones show on the toggle and can be restored from there.
    await panel.getByRole("button", { name: "Delete Golden approvals" }).click();
    await panel.getByText("No saved queries yet.").waitFor();
    await panel.getByLabel("Show deleted").check();
    await panel.getByRole("button", { name: "Restore Golden approvals" }).waitFor();
    expect(await saved.first().textContent()).toContain("Golden approvals (deleted)");
    await panel.getByRole("button", { name: "Restore Golden approvals" }).click();
    await panel.getByRole("button", { name: "Delete Golden approvals" }).waitFor();
    await panel.getByLabel("Show deleted").uncheck();
    await runSaved.waitFor();
    expect(await saved.count()).toBe(1);
  });

  it("exports the search on screen as a CSV file within the tenant's region", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-events-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8");
    const lines = csv.trim().split(/\r?\n/);
    expect(lines).toHaveLength(2); // header + the one approval
    expect(lines[1]).toContain("approveIngestMapping");
    expect(await page.getByTestId("export-status").textContent()).toMatch(/^Exported 1 event · \S+/);
  });

  it("fits a narrow window without sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByRole("navigation").getByRole("link", { name: "Overview" }).click();
    await page.getByRole("heading", { name: "Tenant console overview" }).waitFor();
    const nav = (await page.getByRole("navigation").boundingBox())!;
    const main = (await page.locator("main").boundingBox())!;
    expect(nav.y + nav.height).toBeLessThanOrEqual(main.y + 1);
    expect(await page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
    await shot("overview-narrow");
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("logged no errors in the browser console apart from the refused sign-in and the cut network", () => {
    const unexpected = consoleErrors.filter((e) => !/401|Unauthorized|ERR_CONNECTION|WebSocket|Failed to load resource|net::/i.test(e));
    expect(unexpected).toEqual([]);
  });
});
