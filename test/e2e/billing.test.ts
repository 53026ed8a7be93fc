/**
 * Billing in the console end to end: a FREE tenant whose questions quota is
 * used up (a live usage row seeded straight into Mongo) asks a question on the
 * Ask screen → the upgrade modal explains the quota → "Upgrade to Team" →
 * the modal closes, the question is still in the box and the answer appears
 * (the blocked action ran again by itself). Then the usage dashboard (tiles,
 * the uPlot chart) and the plan page (Team marked current).
 */
import { mkdirSync, readFileSync } from "node:fs";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { ingestFile, sample, sampleMapping } from "../support/ingest.ts";
import { seedLiveUsage } from "../support/billingUsage.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { launchBrowser, type TestBrowser } from "./support/browser.ts";

const SHOTS = new URL("../../.cache/e2e-screenshots/", import.meta.url);
const QUESTION = "Which people work for “Acme Corp”?";
/** The FREE plan's monthly NL_QUESTIONS quota (kit's plans.ts). */
const FREE_QUESTIONS = 300;

const platform = useTestPlatform("billing", { consoleDir: inject("consoleDir") });
let tenant: TestTenant;
let chromium: TestBrowser;
let page: Page;
const origin = () => new URL(platform.url).origin;
const shot = (name: string) => page.screenshot({ path: new URL(`billing-${name}.png`, SHOTS).pathname, fullPage: true });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  tenant = await platform.newTenant("billing", "FREE");
  // Something to ask about, ingested through the API (ingest has its own quota, far from used).
  const mapping = await sampleMapping(platform.url, tenant.token, "people.csv");
  const job = await ingestFile(platform.url, tenant.token, mapping, sample("people.csv"), "people.csv");
  expect(job.state).toBe("SUCCEEDED");
  // This month's questions used up: a live running total for today, as the usage recorder writes them.
  await seedLiveUsage(platform, tenant.id, "NL_QUESTIONS", FREE_QUESTIONS);
  chromium = await launchBrowser(inject("chromiumPath"));
  page = chromium.page;
});

afterAll(async () => {
  await chromium?.browser.close();
});

describe("billing in the console", () => {
  it("signs in on a FREE tenant whose questions quota is used up", async () => {
    await page.goto(`${origin()}/`);
    await page.getByLabel("E-mail").fill(tenant.adminEmail);
    await page.getByLabel("Password").fill(tenant.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Tenant billing overview" }).waitFor();
    const account = await gql<{ billingAccount: { plan: { id: string }; quotas: Array<{ metric: string; used: number; limit: number }> } }>(
      platform.url,
      `{ billingAccount { plan { id } quotas { metric used limit } } }`,
      {},
      { token: tenant.token },
    );
    expect(account.errors).toBeUndefined();
    expect(account.data!.billingAccount.plan.id).toBe("FREE");
    expect(account.data!.billingAccount.quotas.find((q) => q.metric === "NL_QUESTIONS")).toMatchObject({
      used: FREE_QUESTIONS,
      limit: FREE_QUESTIONS,
    });
  });

  it("asks a question: the upgrade modal explains the quota; upgrading to Team closes it and the question gets its answer", async () => {
    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Ask" }).click();
    const box = page.getByLabel("Your question");
    await box.fill(QUESTION);
    await page.getByRole("button", { name: "Preview" }).click();
    await page.waitForURL(/\/ask\?q=/);

    // The quota is checked when the question is asked (the preview) or when it runs: either way the modal opens.
    const modal = page.getByRole("dialog", { name: "Monthly quota used up" });
    const cypher = page.getByTestId("cypher");
    if ((await firstOf(modal, cypher)) === cypher) await runQuestion();
    await modal.waitFor();
    const details = modal.getByTestId("limit-details");
    expect(await details.getByTestId("limit-metric").textContent()).toBe("Questions");
    expect(await details.getByTestId("limit-used").textContent()).toBe(`${FREE_QUESTIONS} of ${FREE_QUESTIONS}`);
    expect(await details.getByTestId("limit-resets").textContent()).toMatch(/^\d{4}-\d{2}-01$/);
    const table = modal.getByRole("table", { name: "Plans" });
    expect(await table.locator('th[data-current="true"]').textContent()).toMatch(/^Free/);
    const columns = await table.locator("thead th[data-plan]").all();
    expect(await Promise.all(columns.map((th) => th.getAttribute("data-plan")))).toEqual(["FREE", "TEAM", "ENTERPRISE"]);
    await shot("upgrade-modal");

    await modal.getByRole("button", { name: "Upgrade to Team" }).click();
    await expect.poll(() => modal.count()).toBe(0);
    // Back where the person was, with what they typed.
    expect(new URL(page.url()).pathname).toBe("/ask");
    expect(await box.inputValue()).toBe(QUESTION);
    // The blocked action ran again by itself: the preview (or the run) now answers.
    const rows = page.getByTestId("ask-row");
    if ((await firstOf(cypher, rows.first())) === cypher) await runQuestion();
    await rows.first().waitFor();
    expect((await rows.allTextContents()).join(" ")).toContain("Dana Whitfield");
    expect(await page.getByRole("alert").count()).toBe(0);
    await shot("ask-after-upgrade");
  });

  it("shows month-to-date tiles with the queries made and a daily chart", async () => {
    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Billing" }).click();
    await page.getByRole("heading", { name: /^Usage/ }).waitFor();
    const queries = page.getByTestId("usage-tile-QUERIES").locator("dd");
    await expect.poll(async () => Number((await queries.textContent())?.replaceAll(",", "") || NaN)).toBeGreaterThan(0);
    expect(
      Number((await page.getByTestId("usage-tile-NL_QUESTIONS").locator("dd").textContent())!.replaceAll(",", "")),
    ).toBeGreaterThanOrEqual(FREE_QUESTIONS);
    const chart = page.getByTestId("usage-chart");
    await chart.locator("canvas").waitFor();
    expect(await chart.getAttribute("aria-label")).toMatch(/^Daily Queries, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}$/);
    expect(await chart.locator("canvas").evaluate((c) => (c as unknown as { width: number }).width)).toBeGreaterThan(200);
    await page.getByRole("combobox", { name: "Metric" }).selectOption("NL_QUESTIONS");
    await expect.poll(() => chart.getAttribute("aria-label")).toMatch(/^Daily Questions/);
    expect(await page.getByTestId("funnel-step").count()).toBe(5);
    await shot("usage");
  });

  it("marks Team as the current plan on the plan page", async () => {
    await page.getByRole("navigation", { name: "Billing" }).getByRole("link", { name: "Plan" }).click();
    const table = page.getByRole("table", { name: "Plans" });
    await expect.poll(() => table.locator('th[data-current="true"]').textContent()).toMatch(/^Team/);
    expect(await table.locator('th[data-current="true"]').count()).toBe(1);
    expect(await table.getByRole("button", { name: "Switch to Enterprise" }).count()).toBe(1);
    await shot("plan");
  });

  it("shows the quotas against Team's caps, saves a budget, and shows a new webhook's secret once", async () => {
    await page.getByRole("navigation", { name: "Billing" }).getByRole("link", { name: "Quotas and budget" }).click();
    const questions = page.getByTestId("quota-NL_QUESTIONS");
    await expect.poll(() => questions.textContent()).toMatch(/Questions3\d\d \/ 10,000 · 3% · resets \d{4}-\d{2}-01/);
    expect(await questions.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("3");

    const budget = page.getByRole("form", { name: "Budget" });
    await budget.getByLabel(/Monthly limit/).fill("25");
    await budget.getByLabel("Alert thresholds (%)").fill("100, 50");
    await budget.getByRole("button", { name: "Save budget" }).click();
    await expect.poll(() => page.getByTestId("budget-status").textContent()).toMatch(/^\$\d+\.\d\d of \$25\.00 · \d+% · resets /);
    expect(await budget.getByLabel("Alert thresholds (%)").inputValue()).toBe("100, 50"); // as typed; stored sorted
    const stored = await gql(platform.url, `{ billingAccount { budget { monthlyLimit thresholds } } }`, {}, { token: tenant.token });
    expect(stored.data).toEqual({ billingAccount: { budget: { monthlyLimit: 25, thresholds: [50, 100] } } });

    const channels = page.getByRole("form", { name: "Alert channels" });
    await channels.getByLabel(/Webhook URL/).fill("https://hooks.example.com/billing");
    await channels.getByLabel(/E-mail addresses/).fill("finance@example.com");
    await channels.getByRole("button", { name: "Save channels" }).click();
    const secret = page.getByTestId("webhook-secret");
    await secret.waitFor();
    expect((await secret.locator("code").textContent())!.length).toBeGreaterThan(16);
    await shot("limits");
    await page.reload();
    await page.getByTestId("quota-NL_QUESTIONS").waitFor();
    expect(await page.getByTestId("webhook-secret").count()).toBe(0); // shown once
  });

  it("creates this month's invoice, shows its lines and total, and downloads it as a PDF", async () => {
    await page.getByRole("navigation", { name: "Billing" }).getByRole("link", { name: "Invoices" }).click();
    const form = page.getByRole("form", { name: "Create an invoice" });
    expect(await form.getByLabel("Period (YYYY-MM)").inputValue()).toBe(new Date().toISOString().slice(0, 7));
    await form.getByRole("button", { name: "Create invoice" }).click();
    const detail = page.getByTestId("invoice-detail");
    await detail.getByTestId("invoice-total").waitFor();
    expect(await detail.getByTestId("invoice-total").textContent()).toMatch(/^\$\d[\d,]*\.\d\d$/);
    expect(await detail.getByTestId("invoice-line").count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId("invoice-row").count()).toBe(1);
    const [download] = await Promise.all([page.waitForEvent("download"), detail.getByRole("button", { name: "Download PDF" }).click()]);
    expect(
      readFileSync((await download.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    await shot("invoices");
  });

  it("fits a narrow window on the billing screens without sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    for (const [path, heading] of [
      ["/billing", /^Usage/],
      ["/billing/limits", /^Quotas and budget/],
      ["/billing/plan", /^Plan/],
      ["/billing/invoices", /^Invoices/],
    ] as const) {
      await page.goto(`${origin()}${path}`);
      await page.getByRole("heading", { name: heading }).first().waitFor();
      expect(await page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth"), path).toBe(true);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("tells an analyst (no billing:read) that billing needs another role", async () => {
    const email = `analyst@${tenant.slug}.test`;
    const password = "analyst-password-1";
    const user = await gql(
      platform.url,
      `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
      { input: { email, password, role: "ANALYST", tenantId: tenant.id } },
      { token: platform.operatorToken },
    );
    expect(user.errors).toBeUndefined();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Tenant billing overview" }).waitFor();
    await page.goto(`${origin()}/billing/limits`);
    const refused = page.getByRole("alert").first();
    await expect.poll(() => refused.getAttribute("data-code")).toBe("FORBIDDEN");
    expect(await refused.textContent()).toContain("Ask a tenant admin for a role that allows this.");
    expect(await page.getByRole("form", { name: "Override" }).count()).toBe(0);
  });

  it("logged no errors in the browser console", () => {
    expect(chromium.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});

/** Run (or Confirm and run, under the confidence threshold) the question on screen. */
async function runQuestion() {
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const confirm = page.getByRole("button", { name: "Confirm and run" });
  if ((await firstOf(confirm, page.getByTestId("ask-row").first(), page.getByRole("dialog"))) === confirm) await confirm.click();
}

/** The first of `locators` to appear (the others' waits are dropped without unhandled rejections). */
async function firstOf(...locators: Locator[]): Promise<Locator> {
  const waits = locators.map((l) => l.waitFor().then(() => l));
  for (const wait of waits) wait.catch(() => {});
  return Promise.race(waits);
}
