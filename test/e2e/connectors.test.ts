/**
 * Connectors in the console end to end, against the local ServiceNow Table API
 * double: an admin registers a connector with a wrong password → "Test
 * connection" names the AUTH stage; the right secret saved in the config form →
 * the test passes and the health panel counts the requests. A push during an
 * outage of the double lands in the DLQ panel with its error and the health's
 * DLQ depth; after recovery "Replay" delivers it once (the double holds one
 * incident) and the queue is empty. The rate limit saved in the form is stored.
 */
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { startServiceNowDouble, type ServiceNowDouble } from "../support/servicenowDouble.ts";
import { launchBrowser, type TestBrowser } from "./support/browser.ts";

const SHOTS = new URL("../../.cache/e2e-screenshots/", import.meta.url);

const platform = useTestPlatform("connectors_e2e", { consoleDir: inject("consoleDir") });
let double: ServiceNowDouble;
let tenant: TestTenant;
let chromium: TestBrowser;
let page: Page;
let connectorId: string;
const origin = () => new URL(platform.url).origin;
const shot = (name: string) => page.screenshot({ path: new URL(`connectors-${name}.png`, SHOTS).pathname, fullPage: true });
const api = async <T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
  const res = await gql<T>(platform.url, query, variables, { token: tenant.token });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  double = await startServiceNowDouble();
  tenant = await platform.newTenant("connectors-e2e", "TEAM");
  chromium = await launchBrowser(inject("chromiumPath"));
  page = chromium.page;
});

afterAll(async () => {
  await chromium?.browser.close();
  await double?.close();
});

describe("connectors in the console", () => {
  it("registers a ServiceNow connector; a wrong password fails the test at the AUTH stage", async () => {
    await page.goto(`${origin()}/`);
    await page.getByLabel("E-mail").fill(tenant.adminEmail);
    await page.getByLabel("Password").fill(tenant.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: /overview$/ }).waitFor();
    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Connectors" }).click();
    await page.getByRole("heading", { name: "Connectors", exact: true }).waitFor();
    expect(await page.locator(".empty").textContent()).toContain("No connectors yet.");

    const form = page.getByRole("form", { name: "Register connector" });
    await form.getByLabel("Name", { exact: true }).fill("ServiceNow double");
    await form.getByLabel("Instance URL").fill("ftp://nope");
    await form.getByRole("button", { name: "Register connector" }).click();
    await expect.poll(() => form.getByLabel("Instance URL").getAttribute("aria-invalid")).toBe("true");
    await form.getByLabel("Instance URL").fill(double.url);
    await form.getByLabel(/^Username/).fill("intelgraph");
    await form.getByLabel(/^Password/).fill("wrong-password");
    await form.getByRole("button", { name: "Register connector" }).click();
    await page.waitForURL(/\/connectors\/[^/]+$/);
    connectorId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]!);
    await page.getByRole("heading", { name: "ServiceNow double" }).waitFor();

    await page.getByRole("button", { name: "Test connection" }).click();
    const result = page.getByTestId("connection-result");
    await expect.poll(() => result.getAttribute("data-stage")).toBe("AUTH");
    expect(await result.textContent()).toMatch(/^Failed at auth\. The credentials were refused/);
    expect(await page.content()).not.toContain("wrong-password");
  });

  it("saves the right secret and a rate limit; the test passes and health counts the requests", async () => {
    const config = page.getByRole("form", { name: "Connector configuration" });
    await config.getByLabel(/^Replace secret/).fill("s3cret-pw");
    await config.getByLabel("Requests per second").fill("2");
    await config.getByLabel("Burst").fill("4");
    await config.getByRole("button", { name: "Save configuration" }).click();
    await expect.poll(() => page.getByTestId("config-status").textContent()).toBe("Saved.");
    expect(await config.getByLabel(/^Replace secret/).inputValue()).toBe("");
    const stored = await api(`query($id: ID!) { connector(id: $id) { rateLimit { ratePerSecond burst } } }`, { id: connectorId });
    expect(stored.connector.rateLimit).toEqual({ ratePerSecond: 2, burst: 4 });

    await page.getByRole("button", { name: "Test connection" }).click();
    const result = page.getByTestId("connection-result");
    await expect.poll(() => result.getAttribute("data-stage")).toBe("OK");
    expect(await result.textContent()).toMatch(/^Connected\./);
    await expect.poll(() => page.getByTestId("health-requests").textContent()).toMatch(/^[1-9]\d* \(\d+ failed\)$/);
    expect(await page.getByTestId("health-last-success").textContent()).toMatch(/^\d{4}-\d\d-\d\d /);
    await shot("connected");
  });

  it("shows a delivery dead-lettered in an outage, and replays it once after recovery", async () => {
    const { createIncidents } = await api(
      `mutation { createIncidents(input: [{ title: "Phishing wave", severity: "high" }]) { incidents { id } } }`,
    );
    const incidentId = createIncidents.incidents[0].id as string;
    double.outage(503);
    const pushed = await api(`mutation($input: PushIncidentInput!) { pushIncidentToServiceNow(input: $input) { status } }`, {
      input: { connectorId, incidentId },
    });
    expect(pushed.pushIncidentToServiceNow.status).toBe("DEAD_LETTERED");

    const dlq = page.getByRole("region", { name: "Dead-letter queue" });
    await dlq.getByRole("button", { name: "Refresh" }).click();
    const row = dlq.getByTestId("dead-letter-row");
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain(incidentId);
    expect(await row.textContent()).toMatch(/503/);
    await page.getByRole("region", { name: "Health (last hour)" }).getByRole("button", { name: "Refresh" }).click();
    await expect.poll(() => page.getByTestId("health-dlq-depth").textContent()).toBe("1");
    await shot("dead-letter");

    double.recover();
    await row.getByRole("button", { name: /^Replay / }).click();
    await expect.poll(() => page.getByTestId("dlq-notice").textContent()).toBe("Replayed: delivered.");
    await expect.poll(() => row.count()).toBe(0);
    await expect.poll(() => page.getByTestId("health-dlq-depth").textContent()).toBe("0");
    expect(double.records.size).toBe(1);
    expect(JSON.stringify([...double.records.values()])).toContain("Phishing wave");
    const deliveries = page.getByTestId("delivery-row").filter({ hasText: incidentId });
    // The replay finished the same delivery: one row, delivered, with ServiceNow's number.
    await expect.poll(() => deliveries.count()).toBe(1);
    await expect.poll(() => deliveries.textContent()).toMatch(/upsertdelivered.*INC\d+/);

    await page.getByRole("button", { name: "Sync now (pull)" }).click();
    await expect
      .poll(() => page.getByTestId("sync-notice").textContent())
      .toMatch(/^Fetched 1 incident\(s\) in 1 page\(s\), 1 upserted; cursor \d{4}-/);
    await shot("replayed");
  });

  it("lists the connector", async () => {
    await page.getByRole("link", { name: "← Connectors" }).click();
    const row = page.getByTestId("connector-row");
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain("ServiceNow double");
    expect(await row.textContent()).toContain(double.url);
  });

  it("logged no errors in the browser console", () => {
    expect(chromium.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
