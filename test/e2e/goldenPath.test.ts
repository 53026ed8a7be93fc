/**
 * The analyst's golden path end to end (issue 13): on a brand-new tenant, in
 * headless Chromium against the real all-in-one platform — sign in, ingest a
 * sample pack, ask a question, add its result as evidence, write a report that
 * also cites an entity through the picker, delete that entity, see publish
 * blocked naming the link, fix it, publish, export a PDF with e-mails redacted
 * and download it; the PDF's text must hold the evidence and the residency
 * label and none of the e-mails. The flow's wall time goes to
 * .cache/golden-path-e2e.json, and to the checked-in
 * bench/results/golden-path-e2e.json when RECORD_E2E_TIMING=1 (so a test run
 * leaves the tree clean).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { EXPECTED, sample } from "../support/ingest.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { launchBrowser, type TestBrowser } from "./support/browser.ts";
import { pdfText } from "./support/pdfText.ts";

const SHOTS = new URL("../../.cache/e2e-screenshots/", import.meta.url);
const RESULT = new URL(
  process.env["RECORD_E2E_TIMING"] === "1" ? "../../bench/results/golden-path-e2e.json" : "../../.cache/golden-path-e2e.json",
  import.meta.url,
);
const QUESTION = "Which people work for “Acme Corp”?";
const EMAIL = "dana.whitfield@acme.example";

const platform = useTestPlatform("goldenpath", { consoleDir: inject("consoleDir") });
let tenant: TestTenant;
let chromium: TestBrowser;
let page: Page;
let residencyLabel = "";
let started = 0;
let reportId = "";
const steps: Array<{ step: string; ms: number }> = [];
const mark = (step: string) => steps.push({ step, ms: Math.round(performance.now() - started) });
const shot = (name: string) => page.screenshot({ path: new URL(`golden-${name}.png`, SHOTS).pathname, fullPage: true });
const api = <T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}) =>
  gql<T>(platform.url, query, variables, { token: tenant.token });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  tenant = await platform.newTenant("golden");
  const region = await api<{ myTenant: { residency: { label: string } } }>(`{ myTenant { residency { label } } }`);
  residencyLabel = region.data!.myTenant.residency.label;
  chromium = await launchBrowser(inject("chromiumPath"));
  page = chromium.page;
});

afterAll(async () => {
  await chromium?.browser.close();
});

describe("the golden path in the console", () => {
  it("signs in on a brand-new tenant", async () => {
    started = performance.now();
    await page.goto(`${new URL(platform.url).origin}/`);
    await page.getByLabel("E-mail").fill(tenant.adminEmail);
    await page.getByLabel("Password").fill(tenant.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Tenant golden overview" }).waitFor();
    mark("signed in");
  });

  it("ingests the people.csv sample pack through the wizard", async () => {
    const expected = EXPECTED["people.csv"]!;
    await page.getByRole("navigation").getByRole("link", { name: "Ingest" }).click();
    await page.getByLabel(/File to ingest/).setInputFiles(sample("people.csv").pathname);
    await expect.poll(() => page.getByRole("radio", { name: "New mapping…" }).isChecked()).toBe(true);
    await page.getByLabel("Spec (JSON; see docs/ingest.md)").fill(readFileSync(sample(expected.mapping!), "utf8"));
    await page.getByRole("button", { name: "Create mapping" }).click();
    await page.getByLabel("Approval reason").fill("golden path sample pack");
    await page.getByRole("button", { name: "Approve mapping" }).click();
    await page.getByTestId("approval").getByText("approved", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Start ingest" }).click();
    await page.waitForURL(/\/ingest\/jobs\/[^/]+$/);
    await expect.poll(() => page.getByTestId("job-percent").textContent(), { timeout: 60_000 }).toBe("100%");
    expect(await page.getByTestId("total-recordsWritten").textContent()).toBe(String(expected.recordsWritten));
    mark("ingested people.csv");
  });

  it("asks a question: interpretation, confidence, tenant-scoped Cypher, then runs it", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Ask" }).click();
    await page.getByLabel("Your question").fill(QUESTION);
    await page.getByRole("button", { name: "Preview" }).click();
    await page.waitForURL(/\/ask\?q=/);
    await page.getByTestId("cypher").waitFor();
    expect(await page.getByTestId("interpretation").textContent()).toMatch(/Acme Corp/);
    expect(await page.getByTestId("confidence").textContent()).toMatch(/Confidence \d+%/);
    expect(await page.getByTestId("cypher").textContent()).toMatch(/^MATCH .*tenantId = \$tenantId/);
    expect(JSON.parse((await page.getByTestId("parameters").textContent())!)).toMatchObject({ tenantId: tenant.id });
    expect(await page.getByTestId("ask-row").count()).toBe(0); // PREVIEW runs nothing
    await page.getByRole("button", { name: "Run", exact: true }).click();
    const confirm = page.getByRole("button", { name: "Confirm and run" });
    const rows = page.getByTestId("ask-row");
    await Promise.race([rows.first().waitFor(), confirm.waitFor()]);
    if (await confirm.isVisible()) await confirm.click();
    await rows.first().waitFor();
    expect((await rows.allTextContents()).join(" ")).toContain("Dana Whitfield");
    // The nodes and edges the rows touched, drawn as a graph whose nodes open the entities.
    const graph = page.getByRole("group", { name: "Result graph" });
    await graph.getByRole("link", { name: "Person Dana Whitfield" }).waitFor();
    await graph.getByRole("link", { name: "Organization Acme Corp" }).waitFor();
    await shot("ask");
    mark("asked and ran a question");
  });

  it("opens the Ask help with ? and closes it with Escape", async () => {
    await page.getByRole("button", { name: "Help: Ask the graph" }).click();
    const help = page.getByRole("complementary", { name: "Help: Ask the graph" });
    expect(await help.textContent()).toMatch(/Sandbox.*2 s timeout.*500 rows.*Confidence threshold.*0\.7/s);
    await page.keyboard.press("Escape");
    await expect.poll(() => help.count()).toBe(0);
  });

  it("adds the result as evidence to a new report", async () => {
    const add = page.getByRole("form", { name: "Add to report" });
    await expect.poll(() => add.locator('select[name="report"]').inputValue()).toBe("__new__");
    await add.getByLabel("New report title").fill("Acme staff review");
    await add.getByRole("button", { name: "Add to report" }).click();
    const added = page.getByTestId("added-to-report");
    await added.waitFor();
    expect(await added.textContent()).toBe("Added as Finding 1 to Acme staff review.");
    await added.getByRole("link", { name: "Acme staff review" }).click();
    await page.getByRole("heading", { name: /Acme staff review/ }).waitFor();
    reportId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
    mark("added the result as evidence");
  });

  it("writes the report: a section, a note and an annotation, and an entity cited through the evidence picker", async () => {
    await page.getByRole("button", { name: "Add section" }).click();
    const section = page.getByRole("group", { name: "Section 1" });
    await section.getByLabel("Title").fill("Summary");
    await section.getByLabel("Text (Markdown)").fill(`Acme Corp's staff, as the HR feed lists them (contact ${EMAIL}); see [[Finding 1]].`);
    const finding = page.getByRole("group", { name: "Finding 1" });
    await finding.getByRole("listitem").first().getByLabel("Note").fill("Asked in the console");
    const picker = finding.getByRole("group", { name: "Cite evidence in finding 1" });
    await picker.getByLabel("Find evidence to cite").fill("Priya");
    await picker.getByRole("button", { name: "Cite Person Priya Raman" }).click();
    await expect.poll(() => finding.getByTestId("evidence").count()).toBe(2);
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect.poll(() => page.getByTestId("save-status").textContent()).toMatch(/^Saved \(revision \d+\)\.$/);
    expect(await finding.getByTestId("evidence").nth(1).textContent()).not.toContain("not saved yet");

    const snapshot = finding.getByTestId("evidence").first();
    await snapshot.getByRole("button", { name: "Annotate" }).click();
    await snapshot.getByLabel(/Highlight/).fill("Dana Whitfield");
    await snapshot.getByLabel("Annotation").fill("listed twice in the pack, merged");
    await snapshot.getByRole("button", { name: "Save annotation" }).click();
    await snapshot.getByTestId("annotation").waitFor();
    expect(await snapshot.getByTestId("annotation").textContent()).toBe("Dana Whitfield listed twice in the pack, merged");
    await shot("report-editor");
    mark("wrote the report");
  });

  it("deletes the cited entity, and publishing is blocked naming that link", async () => {
    const people = await api<{ people: Array<{ id: string }> }>(`{ people(where: { name: { eq: "Priya Raman" } }) { id } }`);
    const priya = people.data!.people[0]!.id;
    const deleted = await api(
      `mutation($ids: [ID!]!) { deleteEntities(input: { selector: { ids: $ids }, reason: "golden path: left the company" }) { deleted } }`,
      { ids: [priya] },
    );
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data).toEqual({ deleteEntities: { deleted: 1 } });

    const validator = page.getByTestId("validator");
    await validator.getByRole("button", { name: "Check links" }).click();
    await expect.poll(() => validator.getByTestId("broken-link").count()).toBe(1);
    expect(await validator.getByTestId("broken-link").textContent()).toMatch(/^Finding 1, evidence 2 ENTITY.*Priya Raman.*deleted.*Fix: /);

    await page.getByRole("button", { name: "Publish", exact: true }).click();
    const blocked = page.getByTestId("publish-error");
    await expect.poll(() => blocked.getByRole("alert").getAttribute("data-code")).toBe("REPORT_INVALID");
    const links = blocked.getByRole("list", { name: "Links blocking publication" }).getByTestId("broken-link");
    expect(await links.count()).toBe(1);
    expect(await links.textContent()).toMatch(/^Finding 1, evidence 2 ENTITY.*Priya Raman/);
    expect(await page.getByRole("group", { name: "Finding 1" }).getByTestId("evidence").nth(1).getAttribute("data-broken")).toBe("true");
    await shot("publish-blocked");
    mark("publish blocked by the deleted entity");
  });

  it("fixes the link by removing that evidence, and publishes version 1", async () => {
    await page.getByRole("button", { name: "Remove Finding 1, evidence 2" }).click();
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect.poll(() => page.getByTestId("save-status").textContent()).toMatch(/^Saved/);
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    const published = page.getByTestId("published");
    await published.waitFor();
    expect(await published.textContent()).toMatch(/^Published version 1\./);
    await published.getByRole("link", { name: "Export it" }).click();
    await page.getByRole("heading", { name: /Acme staff review · version 1/ }).waitFor();
    mark("published version 1");
  });

  it("exports the version as a PDF with e-mails redacted and downloads it: evidence and residency in, e-mails out", async () => {
    const form = page.getByRole("form", { name: "Export version 1" });
    await expect.poll(() => form.getByLabel("Destination region").inputValue()).toBe("eu-west-1");
    await form.getByLabel("E-mail addresses").check();
    await form.getByRole("button", { name: "Export", exact: true }).click();
    const done = page.getByTestId("export-done");
    await done.waitFor();
    expect(await done.textContent()).toContain(residencyLabel);
    const [download] = await Promise.all([page.waitForEvent("download"), done.getByTestId("download-link").click()]);
    const bytes = readFileSync((await download.path())!);
    mark("downloaded the PDF");
    const wallMs = steps.at(-1)!.ms;

    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const { text, pages } = await pdfText(bytes);
    expect(text).toContain("Acme staff review");
    expect(text).toContain("Dana Whitfield"); // the snapshot's rows, cited as evidence
    expect(text).toContain("Asked in the console"); // the evidence note
    expect(text).toContain(residencyLabel);
    expect(text).toContain("[redacted e-mail]");
    expect(text).not.toMatch(/@acme\.example/i);
    expect(text).not.toContain("Priya Raman"); // the removed evidence
    await shot("export");

    const result = {
      benchmark: "golden-path-e2e",
      description:
        "Console, headless Chromium, brand-new tenant: sign in → ingest people.csv → ask → add to report → write → delete a cited entity → publish blocked → fix → publish → export PDF (e-mails redacted) → download",
      wallTimeMs: wallMs,
      steps,
      pdf: { bytes: bytes.length, pages },
      machine: { cpus: cpus().length, node: process.version },
      measuredAt: new Date().toISOString(),
    };
    mkdirSync(new URL(".", RESULT), { recursive: true });
    writeFileSync(RESULT, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`[golden path] time to first success: ${(wallMs / 1000).toFixed(1)} s (PDF ${bytes.length} bytes, ${pages} pages)`);
  });

  it("refuses another destination region with RESIDENCY_MISMATCH and stores nothing; an old export gets a new link", async () => {
    const exports = page.getByTestId("report-export");
    await expect.poll(() => exports.count()).toBe(1);
    const form = page.getByRole("form", { name: "Export version 1" });
    await form.getByLabel("Destination region").fill("us-east-1");
    await form.getByRole("button", { name: "Export", exact: true }).click();
    const refused = form.getByRole("alert");
    await expect.poll(() => refused.getAttribute("data-code")).toBe("RESIDENCY_MISMATCH");
    expect(await refused.textContent()).toContain("(eu-west-1)");
    await page.reload();
    await expect.poll(() => exports.count()).toBe(1);
    await exports
      .first()
      .getByRole("button", { name: /^New link/ })
      .click();
    const link = exports.first().getByTestId("download-link");
    await link.waitFor();
    expect(await link.getAttribute("href")).toMatch(/^\/exports\/[^/]+$/);
    expect(await exports.first().getByTestId("link-expiry").textContent()).toMatch(/^expires in 1[45] min$/);
  });

  it("opens the export help from the Ctrl-K palette", async () => {
    await page.keyboard.press("Control+K");
    const palette = page.getByRole("dialog", { name: "Command palette" });
    await palette.waitFor();
    await palette.getByRole("combobox").fill("help export");
    await expect.poll(() => palette.getByRole("option").first().textContent()).toBe("Help: Exporting a reportHelp");
    await page.keyboard.press("Enter");
    const help = page.getByRole("complementary", { name: "Help: Exporting a report" });
    await help.waitFor();
    await page.waitForURL(/\/reports$/);
    await page.getByRole("table", { name: "Reports" }).getByRole("link", { name: "Version 1" }).waitFor();
    expect(await help.textContent()).toMatch(/Residency.*RESIDENCY_MISMATCH.*15 minutes/s);
    await shot("export-help");
    await help.getByRole("button", { name: "Close" }).click();
    await expect.poll(() => help.count()).toBe(0);
  });

  it("says CONFLICT when the draft was saved elsewhere meanwhile, and reloads the saved one", async () => {
    await page.goto(`${new URL(platform.url).origin}/reports/${encodeURIComponent(reportId)}`);
    const title = page.getByRole("form", { name: "Report draft" }).getByLabel("Title");
    await title.fill("Acme staff review, second edition");
    const current = await api(`query($id: ID!) { report(id: $id) { revision sections { id title body } } }`, { id: reportId });
    const { revision, sections } = current.data!["report"];
    const elsewhere = await api(
      `mutation($id: ID!, $rev: Int!, $input: UpdateReportDraftInput!) { updateReportDraft(id: $id, expectedRevision: $rev, input: $input) { revision } }`,
      { id: reportId, rev: revision, input: { title: "Changed elsewhere", sections, findings: [] } },
    );
    expect(elsewhere.errors).toBeUndefined();
    await page.getByRole("button", { name: "Save draft" }).click();
    const conflict = page.getByRole("form", { name: "Report draft" }).getByRole("alert");
    await expect.poll(() => conflict.getAttribute("data-code")).toBe("CONFLICT");
    expect(await conflict.textContent()).toContain("Someone saved this report after you opened it");
    await page.getByRole("button", { name: "Reload the saved report" }).click();
    await expect.poll(() => title.inputValue()).toBe("Changed elsewhere");
    expect(await page.getByTestId("finding").count()).toBe(0);
  });

  it("refuses a question that asks to change data, with its code and what is allowed", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Ask" }).click();
    await page.getByLabel("Your question").fill("delete all people");
    await page.getByRole("button", { name: "Preview" }).click();
    const refused = page.getByRole("alert");
    await expect.poll(() => refused.getAttribute("data-code")).toBe("QUESTION_REFUSED");
    expect(await refused.textContent()).toContain("Ask in plain words about your own data");
    expect(await page.getByTestId("cypher").count()).toBe(0);
  });

  it("shows the tenant's confidence threshold on Ask, and lets the admin change it", async () => {
    await page.getByRole("navigation").getByRole("link", { name: "Ask" }).click();
    const line = page.getByTestId("ask-threshold");
    await expect.poll(() => line.textContent()).toContain("under confidence 0.70");
    await line.getByRole("button", { name: "Change" }).click();
    await page.getByLabel("Confidence threshold (0.3 to 1)").fill("0.8");
    await page.getByRole("form", { name: "Confidence threshold" }).getByRole("button", { name: "Save" }).click();
    await expect.poll(() => line.textContent()).toContain("under confidence 0.80");
    const stored = await gql(platform.url, `{ tenantAskSettings { confidenceThreshold } }`, {}, { token: tenant.token });
    expect(stored.data).toEqual({ tenantAskSettings: { confidenceThreshold: 0.8 } });
  });

  it("fits a narrow window on Ask, the report editor and the export screen without sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    const origin = new URL(platform.url).origin;
    for (const [path, heading] of [
      [`/ask?q=${encodeURIComponent(QUESTION)}`, "Ask the graph"],
      [`/reports/${encodeURIComponent(reportId)}`, "Changed elsewhere"],
      [`/reports/${encodeURIComponent(reportId)}/versions/1`, "Acme staff review · version 1"],
    ] as const) {
      await page.goto(`${origin}${path}`);
      await page.getByRole("heading", { name: heading }).waitFor();
      expect(await page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth"), path).toBe(true);
    }
    await shot("export-narrow");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("logged no errors in the browser console", () => {
    expect(chromium.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
