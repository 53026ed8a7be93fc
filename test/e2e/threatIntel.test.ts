/**
 * Threat intel in the console end to end: an admin (cleared to RED by default,
 * shown in the header) sees an indicator's TLP marking and confidence score in
 * the indicators list (sorted by score) and on its page with the breakdown;
 * "False positive" drops the score to 0 and "Confirm" raises it to at least 90,
 * both as the API computes them. A suppression rule for private ranges is
 * dry-run (the count and sample equal the API's dry run), refused with the
 * API's problem under the pattern field when the pattern is unsafe, created
 * off, then enabled: exactly the dry run's indicators leave the list and show
 * under "Hidden indicators" naming the rule; deleting it (after a confirm)
 * brings them back.
 */
import { mkdirSync, readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { launchBrowser, type TestBrowser } from "./support/browser.ts";

const SHOTS = new URL("../../.cache/e2e-screenshots/", import.meta.url);

const platform = useTestPlatform("intel_e2e", { consoleDir: inject("consoleDir") });
let tenant: TestTenant;
let chromium: TestBrowser;
let page: Page;
const origin = () => new URL(platform.url).origin;
const shot = (name: string) => page.screenshot({ path: new URL(`intel-${name}.png`, SHOTS).pathname, fullPage: true });
const api = async <T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
  const res = await gql<T>(platform.url, query, variables, { token: tenant.token });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};
const scoreOf = async (id: string): Promise<number> =>
  (await api<{ indicatorScore: { score: number } }>(`query($id: ID!) { indicatorScore(id: $id) { score } }`, { id })).indicatorScore.score;

const SEED = [
  { pattern: "[ipv4-addr:value = '45.33.32.156']", kind: "ipv4-addr", source: "acme-feed", marking: "AMBER", description: "C2 server" },
  { pattern: "[domain-name:value = 'update-check.biz']", kind: "domain-name", source: "acme-feed", marking: "AMBER_STRICT" },
  { pattern: "[ipv4-addr:value = '10.20.30.40']", kind: "ipv4-addr", source: "junk-feed", marking: "GREEN" },
  { pattern: "[ipv4-addr:value = '192.168.1.77']", kind: "ipv4-addr", source: "junk-feed", marking: "CLEAR" },
];
const ids: Record<string, string> = {};
const PRIVATE = () => [ids["[ipv4-addr:value = '10.20.30.40']"]!, ids["[ipv4-addr:value = '192.168.1.77']"]!].sort();
const C2 = () => ids["[ipv4-addr:value = '45.33.32.156']"]!;
const rowsFor = (text: string) => page.getByTestId("indicator-row").filter({ hasText: text });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  tenant = await platform.newTenant("intel-e2e", "TEAM");
  await api(
    `mutation { a: setSourceReliability(source: "acme-feed", grade: B) { grade } b: setSourceReliability(source: "junk-feed", grade: E) { grade } }`,
  );
  const created = await api<{ createIndicators: { indicators: Array<{ id: string; pattern: string }> } }>(
    `mutation($input: [IndicatorCreateInput!]!) { createIndicators(input: $input) { indicators { id pattern } } }`,
    { input: SEED },
  );
  for (const i of created.createIndicators.indicators) ids[i.pattern] = i.id;
  // A threat actor the C2 indicator indicates: its score is the best of its indicators'.
  await api(
    `mutation($c2: ID!) { createThreatActors(input: [{ name: "Fancy Bear", marking: AMBER, aliases: ["APT28"],
       indicatedBy: { connect: [{ where: { node: { id: { eq: $c2 } } }, edge: { confidence: 0.9, source: "acme-feed" } }] } }]) { threatActors { id } } }`,
    { c2: C2() },
  );
  const recomputed = await api<{ recomputeScores: { indicatorsScored: number } }>(`mutation { recomputeScores { indicatorsScored } }`);
  expect(recomputed.recomputeScores.indicatorsScored).toBe(SEED.length);
  chromium = await launchBrowser(inject("chromiumPath"));
  page = chromium.page;
});

afterAll(async () => {
  await chromium?.browser.close();
});

describe("threat intel in the console", () => {
  it("shows the clearance in the header and each indicator's marking and score, highest score first", async () => {
    await page.goto(`${origin()}/`);
    await page.getByLabel("E-mail").fill(tenant.adminEmail);
    await page.getByLabel("Password").fill(tenant.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: /overview$/ }).waitFor();
    expect(await page.getByTestId("clearance").textContent()).toBe("cleared to TLP:RED");

    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Indicators" }).click();
    await page.getByRole("heading", { name: "Indicators", exact: true }).waitFor();
    const rows = page.getByTestId("indicator-row");
    await expect.poll(() => rows.count()).toBe(SEED.length);
    const c2 = rows.filter({ hasText: "45.33.32.156" });
    expect(await c2.getByTestId("marking-badge").textContent()).toBe("TLP:AMBER");
    expect(await c2.textContent()).toContain("acme-feed");
    const c2Score = await scoreOf(C2());
    expect(await c2.getByTestId("score-badge").textContent()).toMatch(new RegExp(`^${c2Score} · (high|medium|low)$`));
    expect(await rows.filter({ hasText: "update-check.biz" }).getByTestId("marking-badge").textContent()).toBe("TLP:AMBER+STRICT");
    expect(await rows.filter({ hasText: "192.168.1.77" }).getByTestId("marking-badge").textContent()).toBe("TLP:CLEAR");

    const shown = (await rows.getByTestId("score-badge").allTextContents()).map((t) => Number(t.split(" ")[0]));
    const fromApi = await api<{ indicators: Array<{ score: number }> }>(`{ indicators(sort: [{ score: DESC }]) { score } }`);
    expect(shown).toEqual(fromApi.indicators.map((i) => i.score));
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
    // The sources graded B score above the ones graded E.
    expect(shown[0]).toBeGreaterThan(shown[shown.length - 1]!);

    await page.getByLabel("Sort by").selectOption("score-asc");
    await page.waitForURL(/sort=score-asc/);
    await expect
      .poll(async () => (await rows.getByTestId("score-badge").allTextContents()).map((t) => Number(t.split(" ")[0])))
      .toEqual([...shown].reverse());
    await shot("indicators");
  });

  it("refuses bands out of order under the field, and regrades a source: its indicators' scores change", async () => {
    const settings = page.locator("details.scoring-settings");
    await settings.locator("summary").click();
    const bands = settings.getByRole("form", { name: "Score bands" });
    await expect.poll(() => bands.getByLabel("High from").inputValue()).toBe("75");
    await bands.getByLabel("Low below").fill("80");
    await bands.getByRole("button", { name: "Save bands" }).click();
    await expect.poll(() => bands.getByLabel("Low below").getAttribute("aria-invalid")).toBe("true");
    expect(await bands.locator(".field-problem").textContent()).toMatch(/must be below high/);
    await bands.getByLabel("Low below").fill("30");
    expect(await bands.locator(".field-problem").count()).toBe(0);

    const junk = rowsFor("10.20.30.40");
    const before = await scoreOf(ids["[ipv4-addr:value = '10.20.30.40']"]!);
    await settings.getByLabel("Grade of junk-feed").selectOption("C");
    await expect.poll(() => page.getByTestId("scoring-notice").textContent()).toBe("junk-feed graded C: 2 indicator(s) rescored.");
    const after = await scoreOf(ids["[ipv4-addr:value = '10.20.30.40']"]!);
    expect(after).toBeGreaterThan(before);
    await expect.poll(() => junk.getByTestId("score-badge").textContent()).toMatch(new RegExp(`^${after} · `));
    await shot("scoring-settings");
  });

  it("finds a threat actor by name with its badges; its score is its indicator's, linked from the page", async () => {
    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Entities" }).click();
    await page.getByLabel(/^Name, e-mail, domain/).fill("fancy");
    const hit = page.getByRole("list", { name: "Matching entities" }).getByRole("listitem").filter({ hasText: "Fancy Bear" });
    await hit.waitFor();
    expect(await hit.locator(".kind-badge").textContent()).toBe("ThreatActor");
    expect(await hit.getByTestId("marking-badge").textContent()).toBe("TLP:AMBER");
    const c2Score = await scoreOf(C2());
    expect(await hit.getByTestId("score-badge").textContent()).toMatch(new RegExp(`^${c2Score} · `));
    await hit.getByRole("link", { name: "Fancy Bear" }).click();
    const panel = page.getByTestId("score-panel");
    await expect.poll(() => panel.textContent()).toContain("the best of 1 indicator(s) pointing at it");
    expect(await page.getByTestId("properties").textContent()).toContain("APT28");
    await panel.getByRole("link", { name: "its breakdown" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("45.33.32.156");
  });

  it("shows an indicator's score breakdown; feedback changes the score as the API computes it", async () => {
    await page.goto(`${origin()}/entities/${encodeURIComponent(C2())}`);
    const title = page.getByRole("heading", { level: 1 });
    await expect.poll(() => title.textContent()).toContain("45.33.32.156");
    expect(await title.getByTestId("marking-badge").textContent()).toBe("TLP:AMBER");
    const before = await scoreOf(C2());
    expect(await title.getByTestId("score-badge").textContent()).toMatch(new RegExp(`^${before} · `));
    const parts = page.getByTestId("score-part");
    await expect.poll(() => parts.count()).toBeGreaterThanOrEqual(5);
    expect(await parts.filter({ hasText: "Source reliability" }).textContent()).toMatch(/acme-feed|B/);
    await shot("score-breakdown");

    // The STIX bundle of this indicator: the file, and the highest marking of what it holds.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download STIX bundle" }).click(),
    ]);
    const bundle = JSON.parse(readFileSync((await download.path())!, "utf8")) as {
      type: string;
      objects: Array<{ type: string; pattern?: string }>;
    };
    expect(bundle.type).toBe("bundle");
    expect(bundle.objects.filter((o) => o.type === "indicator").map((o) => o.pattern)).toEqual(["[ipv4-addr:value = '45.33.32.156']"]);
    await expect.poll(() => page.getByTestId("stix-status").textContent()).toMatch(/: \d+ object\(s\), marked TLP:AMBER$/);

    const feedback = page.getByRole("group", { name: "Analyst feedback" });
    await feedback.getByRole("button", { name: "False positive" }).click();
    await expect.poll(() => page.getByTestId("feedback-status").textContent()).toBe("Saved. Score now 0.");
    expect(await scoreOf(C2())).toBe(0);
    await expect.poll(() => title.getByTestId("score-badge").textContent()).toBe("0 · low");
    await expect.poll(() => page.getByTestId("score-headline").getByTestId("score-badge").textContent()).toBe("0 · low");
    expect(await page.getByTestId("verdict").textContent()).toBe("False positive");
    expect(await feedback.getByRole("button", { name: "False positive" }).getAttribute("aria-pressed")).toBe("true");

    await feedback.getByRole("button", { name: "Confirm" }).click();
    await expect.poll(() => page.getByTestId("verdict").textContent()).toBe("Confirmed");
    const confirmed = await scoreOf(C2());
    expect(confirmed).toBeGreaterThanOrEqual(90);
    await expect.poll(() => title.getByTestId("score-badge").textContent()).toBe(`${confirmed} · high`);
    expect(await page.getByTestId("feedback-status").textContent()).toBe(`Saved. Score now ${confirmed}.`);
    await shot("feedback");
  });

  it("dry-runs a rule for private ranges; the count and sample are the API's", async () => {
    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Suppression rules" }).click();
    await page.getByRole("heading", { name: "Suppression rules", exact: true }).waitFor();
    expect(await page.locator(".empty").first().textContent()).toContain("No rules yet.");
    const form = page.getByRole("form", { name: "New suppression rule" });
    await form.getByRole("button", { name: "Dry run" }).click();
    expect(await form.getByTestId("problem-match").textContent()).toContain("at least one condition");

    await form.getByLabel("Rule name").fill("Private ranges");
    await form.getByLabel(/^Private ranges/).check();
    await form.getByRole("button", { name: "Dry run" }).click();
    const dry = page.getByTestId("dry-run");
    const expected = await api<{ dryRunSuppressionRule: { wouldHide: number; sample: Array<{ id: string }> } }>(
      `{ dryRunSuppressionRule(input: { allowLists: [PRIVATE_RANGES] }) { wouldHide sample { id } } }`,
    );
    expect(expected.dryRunSuppressionRule.wouldHide).toBe(2);
    await expect.poll(() => dry.getByTestId("dry-run-count").textContent()).toBe(`Would hide ${expected.dryRunSuppressionRule.wouldHide}`);
    const sampled = await dry.getByTestId("dry-run-item").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")));
    expect(sampled.sort()).toEqual(expected.dryRunSuppressionRule.sample.map((s) => s.id).sort());
    expect(sampled.sort()).toEqual(PRIVATE());
    await shot("dry-run");
  });

  it("shows the API's problem under the pattern field, then creates the rule off and enables it", async () => {
    const form = page.getByRole("form", { name: "New suppression rule" });
    await form.getByLabel(/^Pattern/).fill("(a+)+$");
    await form.getByRole("button", { name: "Create rule" }).click();
    await expect.poll(() => form.getByLabel(/^Pattern/).getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByTestId("problem-patternRegex").textContent()).toMatch(/pattern expression/);
    expect(await page.getByTestId("rule-row").count()).toBe(0);

    await form.getByLabel(/^Pattern/).fill("");
    await form.getByRole("button", { name: "Create rule" }).click();
    const row = page.getByTestId("rule-row");
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByRole("switch", { name: "Enabled: Private ranges" }).isChecked()).toBe(false);
    expect(await row.getByTestId("rule-hides").textContent()).toBe("0");

    await row.getByRole("switch", { name: "Enabled: Private ranges" }).check();
    await expect.poll(() => page.getByTestId("rules-notice").textContent()).toBe("“Private ranges” is on: what it matches is hidden.");
    await expect.poll(() => row.getByTestId("rule-hides").textContent()).toBe("2");
    await row.getByRole("button", { name: "Show hidden" }).click();
    const hidden = page.getByTestId("suppressed-row");
    await expect.poll(() => hidden.count()).toBe(2);
    expect(await hidden.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining("by Private ranges")]));
    // The stored rule's dry run: the same two, each hidden now by this rule.
    await row.getByRole("button", { name: "Dry run" }).click();
    const dry = page.getByTestId("dry-run");
    await expect.poll(() => dry.getByRole("heading").textContent()).toBe("Dry run: “Private ranges”");
    await expect.poll(() => dry.getByTestId("dry-run-count").textContent()).toBe("Would hide 2");
    const ruleId = (await row.getAttribute("data-id"))!;
    const stored = await api<{ dryRunSuppressionRule: { wouldHide: number; sample: Array<{ id: string; suppressedBy: string }> } }>(
      `query($id: ID!) { dryRunSuppressionRule(id: $id) { wouldHide sample { id suppressedBy } } }`,
      { id: ruleId },
    );
    expect(stored.dryRunSuppressionRule.sample.map((s) => s.suppressedBy)).toEqual([ruleId, ruleId]);
    expect(await dry.getByTestId("dry-run-item").allTextContents()).toEqual([
      expect.stringMatching(/Private ranges$/),
      expect.stringMatching(/Private ranges$/),
    ]);
    await shot("rule-enabled");

    const suppressed = await api<{ suppressedIndicators: { nodes: Array<{ id: string }> } }>(`{ suppressedIndicators { nodes { id } } }`);
    expect(suppressed.suppressedIndicators.nodes.map((n) => n.id).sort()).toEqual(PRIVATE());
  });

  it("leaves the suppressed indicators out of the list; deleting the rule brings them back", async () => {
    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Indicators" }).click();
    const rows = page.getByTestId("indicator-row");
    await expect.poll(() => rows.count()).toBe(SEED.length - 2);
    expect(await page.getByRole("table", { name: "Indicators" }).textContent()).not.toMatch(/10\.20\.30\.40|192\.168\.1\.77/);

    await page.goto(`${origin()}/entities/${encodeURIComponent(PRIVATE()[0]!)}`);
    // A suppressed indicator is left out of the default reads, the entity page's too.
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("No entity");

    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Suppression rules" }).click();
    const row = page.getByTestId("rule-row");
    await expect.poll(() => row.count()).toBe(1);
    await row.getByRole("button", { name: "Edit" }).click();
    const form = page.getByRole("form", { name: "Edit suppression rule" });
    expect(await form.getByLabel("Rule name").inputValue()).toBe("Private ranges");
    expect(await form.getByLabel(/^Private ranges/).isChecked()).toBe(true);
    await form.getByLabel("Rule name").fill("Private networks");
    await form.getByRole("button", { name: "Save rule" }).click();
    await expect.poll(() => page.getByTestId("rules-notice").textContent()).toBe("Saved “Private networks”.");
    await expect.poll(() => row.locator("strong").textContent()).toBe("Private networks");
    await row.getByRole("button", { name: "Delete" }).click();
    await row.getByRole("button", { name: "Yes, delete" }).click();
    await expect.poll(() => row.count()).toBe(0);
    expect(await page.getByTestId("rules-notice").textContent()).toBe("Deleted “Private networks”.");
    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Indicators" }).click();
    await expect.poll(() => page.getByTestId("indicator-row").count()).toBe(SEED.length);
  });

  it("holds an analyst cleared to GREEN to it: the header says so, AMBER indicators and actors are not shown", async () => {
    const email = `analyst-${Math.random().toString(36).slice(2, 8)}@${tenant.slug}.test`;
    const password = "pw-analyst-0123456789";
    const { createUser } = await api<{ createUser: { id: string } }>(
      `mutation($e: String!, $p: String!) { createUser(input: { email: $e, password: $p, role: ANALYST }) { id } }`,
      { e: email, p: password },
    );
    await api(`mutation($id: ID!) { setUserClearance(userId: $id, clearance: GREEN) { id } }`, { id: createUser.id });
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: /overview$/ }).waitFor();
    expect(await page.getByTestId("clearance").textContent()).toBe("cleared to TLP:GREEN");

    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Indicators" }).click();
    const rows = page.getByTestId("indicator-row");
    await expect.poll(() => rows.count()).toBe(2);
    expect((await rows.getByTestId("marking-badge").allTextContents()).sort()).toEqual(["TLP:CLEAR", "TLP:GREEN"]);
    await page.goto(`${origin()}/entities?q=fancy`);
    await expect.poll(() => page.locator(".empty").textContent()).toContain("No entities match");
    await page.goto(`${origin()}/entities/${encodeURIComponent(C2())}`);
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("marked above your clearance");
    // Suppression rules are an admin's (intel:manage): the analyst may dry-run one, not save it.
    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Suppression rules" }).click();
    const form = page.getByRole("form", { name: "New suppression rule" });
    await form.getByLabel(/^Private ranges/).check();
    await form.getByRole("button", { name: "Dry run" }).click();
    await expect.poll(() => page.getByTestId("dry-run-count").textContent()).toBe("Would hide 2");
    expect(await form.getByRole("button", { name: "Create rule" }).count()).toBe(0);
    expect(await form.textContent()).toContain("Tenant admins create and change rules");
    await shot("analyst-green");
  });

  it("fits a narrow window on the indicators and suppression rules screens without sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    for (const [link, content] of [
      ["Indicators", () => page.getByRole("table", { name: "Indicators" })],
      ["Suppression rules", () => page.getByRole("form", { name: "New suppression rule" })],
    ] as const) {
      await page.getByRole("navigation").getByRole("link", { name: link, exact: true }).click();
      await content().waitFor();
      expect(await page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth"), link).toBe(true);
    }
    await shot("suppression-narrow");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("logged no errors in the browser console", () => {
    expect(chromium.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
