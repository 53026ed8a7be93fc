/**
 * Suppression rules on the real stores: built-in allow-lists match private,
 * documentation, top-domain and CDN indicators and leave public ones alone;
 * a rule's dry run lists exactly what enabling it hides; suppressed
 * indicators leave `indicators` and show in `suppressedIndicators` with their
 * rule; disabling shows them again; sources, scores and pattern expressions
 * (validated) match as documented; rules re-apply after an ingest job; tenant
 * B never sees or changes A's rules.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { login, useTestPlatform, type TestTenant } from "../support/platform.ts";
import { call, codes, createRule, domain, ingestIndicators, ipv4, RULE_FIELDS } from "../support/isolationSuppression.ts";

const platform = useTestPlatform("suppression");

const BENIGN = [
  ipv4("10.20.30.40"),
  ipv4("192.168.1.10"),
  ipv4("192.0.2.77"),
  ipv4("198.51.100.3"),
  domain("google.com"),
  domain("accounts.google.com"),
  domain("www.example.com"),
  ipv4("104.16.132.229"),
  "[url:value = 'https://raw.githubusercontent.com/x/y.sh']",
];
const PUBLIC = [
  ipv4("45.77.12.9"),
  ipv4("172.32.0.5"),
  domain("qzxv-kpl8w.top"),
  domain("google.com.login-check.xyz"),
  "[file:hashes.'SHA-256' = 'aa55c7e1b0f3d2b3a9e27d4f1f0e6c8d7b2a1c3e4f5a6b7c8d9e0f1a2b3c4d5e']",
];
const JUNK = [ipv4("81.2.69.160"), domain("maybe-bad.info")];
/** Left without a score (the others have the scoring module's 30, or the scores set below). */
const UNSCORED = ipv4("172.32.0.5");

let a: TestTenant;
let b: TestTenant;
const idOf = new Map<string, string>();

/** Waits until `read` answers `want` (expect.poll works inside tests only, and this runs in beforeAll too). */
async function until<T>(read: () => Promise<T>, want: T, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (JSON.stringify(last) === JSON.stringify(want)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`still ${JSON.stringify(last)} after ${timeoutMs} ms, waiting for ${JSON.stringify(want)}`);
}

async function indicatorPatterns(tenant: TestTenant): Promise<string[]> {
  const res = await call(platform, tenant.token, `{ indicators(limit: 1000) { id pattern } }`);
  return (res.data!["indicators"] as Array<{ pattern: string }>).map((i) => i.pattern).sort();
}

async function suppressed(tenant: TestTenant, ruleId?: string) {
  const res = await call(
    platform,
    tenant.token,
    `query($ruleId: ID) { suppressedIndicators(ruleId: $ruleId, limit: 500) { total nodes { id pattern suppressedBy suppressedByName suppressedAt } } }`,
    { ruleId },
  );
  expect(res.errors).toBeUndefined();
  return res.data!["suppressedIndicators"] as { total: number; nodes: Array<Record<string, string>> };
}

async function dryRun(tenant: TestTenant, args: Record<string, unknown>) {
  const res = await call(
    platform,
    tenant.token,
    `query($id: ID, $input: SuppressionMatchInput) { dryRunSuppressionRule(id: $id, input: $input, sampleSize: 500) {
      ruleId scanned wouldHide alreadyHiddenByOtherRules sample { id pattern why suppressedBy } } }`,
    args,
  );
  expect(res.errors).toBeUndefined();
  return res.data!["dryRunSuppressionRule"] as {
    ruleId: string | null;
    scanned: number;
    wouldHide: number;
    alreadyHiddenByOtherRules: number;
    sample: Array<{ id: string; pattern: string; why: string }>;
  };
}

const update = (tenant: TestTenant, id: string, input: Record<string, unknown>) =>
  call(
    platform,
    tenant.token,
    `mutation($id: ID!, $input: UpdateSuppressionRuleInput!) { updateSuppressionRule(id: $id, input: $input) { ${RULE_FIELDS} } }`,
    {
      id,
      input,
    },
  );

beforeAll(async () => {
  a = await platform.newTenant("supp-a");
  b = await platform.newTenant("supp-b");
  await ingestIndicators(platform, a, "osint-feed", [...BENIGN, ...PUBLIC]);
  await ingestIndicators(platform, a, "junk-feed", JUNK);
  const total = BENIGN.length + PUBLIC.length + JUNK.length;
  // After each job, suppression marks the new indicators as not suppressed and scoring scores them.
  const scored = async () =>
    (
      await platform.stores.driver.executeQuery("MATCH (i:Indicator) WHERE i.tenantId = $t AND i.score IS NOT NULL RETURN count(i) AS n", {
        t: a.id,
      })
    ).records[0]!.get("n");
  await until(async () => (await indicatorPatterns(a)).length, total);
  await until(async () => Number(await scored()), total);
  const res = await call(platform, a.token, `{ indicators(limit: 1000) { id pattern } }`);
  for (const i of res.data!["indicators"] as Array<{ id: string; pattern: string }>) idOf.set(i.pattern, i.id);
  // Scores of our choosing over the scoring module's (30 for an ungraded source); suppression reads them as they are.
  await platform.stores.driver.executeQuery(
    `UNWIND $rows AS row MATCH (i:Indicator {id: row.id}) WHERE i.tenantId = $tenantId SET i.score = row.score`,
    {
      tenantId: a.id,
      rows: [
        { id: idOf.get(JUNK[0]!), score: 12 },
        { id: idOf.get(JUNK[1]!), score: 30 },
        { id: idOf.get(PUBLIC[0]!), score: 85 },
        { id: idOf.get(UNSCORED), score: null },
      ],
    },
  );
}, 120_000);

describe("suppression rules", () => {
  it("dry-runs the allow-lists: what enabling the rule hides is exactly what the dry run listed", async () => {
    const rule = await createRule(platform, a.token, {
      name: "benign infrastructure",
      match: { allowLists: ["PRIVATE_RANGES", "DOCUMENTATION_RANGES", "TOP_DOMAINS", "CDN_RANGES"] },
    });
    expect(rule).toMatchObject({ enabled: false, suppressedCount: 0 });
    const run = await dryRun(a, { id: rule.id });
    const expected = BENIGN.map((p) => idOf.get(p)).sort();
    expect(run).toMatchObject({ ruleId: rule.id, scanned: idOf.size, wouldHide: BENIGN.length, alreadyHiddenByOtherRules: 0 });
    expect(run.sample.map((s) => s.id).sort()).toEqual(expected);
    expect(run.sample.find((s) => s.id === idOf.get(domain("accounts.google.com")))!.why).toBe("accounts.google.com on TOP_DOMAINS");
    expect(run.sample.find((s) => s.id === idOf.get(ipv4("104.16.132.229")))!.why).toBe("104.16.132.229 on CDN_RANGES");
    expect(await indicatorPatterns(a)).toHaveLength(idOf.size); // nothing hidden yet

    const enabled = await update(a, rule.id, { enabled: true });
    expect(enabled.data!["updateSuppressionRule"]).toMatchObject({ enabled: true, suppressedCount: BENIGN.length });
    const hidden = await suppressed(a);
    expect(hidden.total).toBe(BENIGN.length);
    expect(hidden.nodes.map((n) => n.id).sort()).toEqual(expected);
    expect(hidden.nodes.every((n) => n.suppressedBy === rule.id && n.suppressedByName === "benign infrastructure" && n.suppressedAt)).toBe(
      true,
    );
    // The generated query leaves them out; the rest stays.
    expect(await indicatorPatterns(a)).toEqual([...PUBLIC, ...JUNK].sort());
    // A dry run of the enabled rule now finds them hidden by itself, not by another rule.
    expect(await dryRun(a, { id: rule.id })).toMatchObject({ wouldHide: BENIGN.length, alreadyHiddenByOtherRules: 0 });

    // The run is audited with the counts per rule (a system event beside the update's own).
    const audit = await call(
      platform,
      a.token,
      `{ auditEvents(filter: { action: "suppressionApplied", targetId: "${rule.id}" }, first: 5) { nodes { actor { kind } arguments } } }`,
    );
    const runs = (audit.data!["auditEvents"].nodes as Array<{ actor: { kind: string }; arguments: string }>).map((e) => ({
      kind: e.actor.kind,
      ...JSON.parse(e.arguments),
    }));
    expect(runs[0]).toMatchObject({ kind: "system", newlySuppressed: BENIGN.length, released: 0 });
    expect(runs[0].byRule).toEqual([{ ruleId: rule.id, name: "benign infrastructure", suppressed: BENIGN.length }]);

    // Disabling shows them again.
    await update(a, rule.id, { enabled: false });
    expect((await suppressed(a)).total).toBe(0);
    expect(await indicatorPatterns(a)).toHaveLength(idOf.size);
  });

  it("matches sources and scores (unscored never below), and counts what other rules hide already", async () => {
    expect((await dryRun(a, { input: { sources: ["junk-feed"] } })).sample.map((s) => s.id).sort()).toEqual(
      JUNK.map((p) => idOf.get(p)).sort(),
    );
    const low = await dryRun(a, { input: { scoreBelow: 30 } });
    expect(low.sample).toEqual([{ id: idOf.get(JUNK[0]!), pattern: JUNK[0], why: "score 12 < 30", suppressedBy: null }]);
    expect((await dryRun(a, { input: { scoreBelow: 101 } })).wouldHide).toBe(idOf.size - 1); // all but the unscored one

    const junk = await createRule(platform, a.token, { name: "junk feed", enabled: true, match: { sources: ["junk-feed"] } });
    expect(junk.suppressedCount).toBe(2);
    const overlap = await dryRun(a, { input: { types: ["ipv4-addr"], scoreBelow: 50 } });
    // The five benign addresses (30) and the junk one (12, hidden by the junk rule); not 85 or the unscored one.
    expect(overlap).toMatchObject({ wouldHide: 6, alreadyHiddenByOtherRules: 1 });
    // Deleting the rule shows its indicators again.
    const deleted = await call(platform, a.token, `mutation($id: ID!) { deleteSuppressionRule(id: $id) }`, { id: junk.id });
    expect(deleted.data).toEqual({ deleteSuppressionRule: junk.id });
    expect((await suppressed(a)).total).toBe(0);
  });

  it("matches pattern expressions and refuses unsafe, invalid, too long or empty ones with BAD_USER_INPUT", async () => {
    expect((await dryRun(a, { input: { patternRegex: "\\.(top|xyz)'" } })).sample.map((s) => s.pattern).sort()).toEqual(
      [domain("google.com.login-check.xyz"), domain("qzxv-kpl8w.top")].sort(),
    );
    for (const [match, message] of [
      [{ patternRegex: "(a+)+$" }, /repeats or alternates/],
      [{ patternRegex: "x".repeat(201) }, /at most 200 characters/],
      [{ patternRegex: "[unclosed" }, /not a valid regular expression/],
      [{}, /at least one condition/],
    ] as const) {
      const res = await call(
        platform,
        a.token,
        `mutation($input: CreateSuppressionRuleInput!) { createSuppressionRule(input: $input) { id } }`,
        {
          input: { name: "bad", match },
        },
      );
      expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
      expect(res.errors![0]!.message).toMatch(message);
      expect(res.errors![0]!.extensions!["problems"]).toEqual([expect.objectContaining({ path: expect.stringMatching(/^match/) })]);
    }
  });

  it("re-applies enabled rules to what a later ingest job brings", async () => {
    const rule = await createRule(platform, a.token, { name: "private", enabled: true, match: { allowLists: ["PRIVATE_RANGES"] } });
    await ingestIndicators(platform, a, "late-feed", [ipv4("10.99.0.1"), ipv4("5.6.7.8")]);
    await expect
      .poll(async () => (await suppressed(a, rule.id)).nodes.map((n) => n.pattern).sort(), { timeout: 15_000, interval: 250 })
      .toEqual([ipv4("10.20.30.40"), ipv4("10.99.0.1"), ipv4("192.168.1.10")].sort());
    expect(await indicatorPatterns(a)).toContain(ipv4("5.6.7.8"));
    await call(platform, a.token, `mutation($id: ID!) { deleteSuppressionRule(id: $id) }`, { id: rule.id });
  });

  it("the scheduled sweep applies the rules to indicators made through the generated API (no ingest event)", async () => {
    const rule = await createRule(platform, a.token, { name: "docs", enabled: true, match: { allowLists: ["DOCUMENTATION_RANGES"] } });
    const made = await call(
      platform,
      a.token,
      `mutation { createIndicators(input: [{ pattern: "${ipv4("203.0.113.200")}", kind: "stix" }, { pattern: "${ipv4("5.9.9.9")}", kind: "stix" }]) { indicators { id } } }`,
    );
    expect(made.errors).toBeUndefined();
    expect(await platform.scheduler.runNow("intel.suppression")).toBe(true);
    expect((await suppressed(a, rule.id)).nodes.map((n) => n.pattern).sort()).toEqual(
      [ipv4("192.0.2.77"), ipv4("198.51.100.3"), ipv4("203.0.113.200"), domain("www.example.com")].sort(),
    );
    expect(await indicatorPatterns(a)).toContain(ipv4("5.9.9.9"));
    await call(platform, a.token, `mutation($id: ID!) { deleteSuppressionRule(id: $id) }`, { id: rule.id });
  });

  it("lets only rule managers change rules: an analyst reads and dry-runs but gets FORBIDDEN on writes", async () => {
    const email = `analyst@${a.slug}.test`;
    await call(
      platform,
      a.token,
      `mutation($e: String!) { createUser(input: { email: $e, password: "analyst-password-1", role: ANALYST }) { id } }`,
      {
        e: email,
      },
    );
    const analyst = { ...a, token: await login(platform.url, email, "analyst-password-1") };
    expect((await call(platform, analyst.token, `{ suppressionRules { id } }`)).errors).toBeUndefined();
    expect((await dryRun(analyst, { input: { types: ["file"] } })).wouldHide).toBe(1);
    const res = await call(
      platform,
      analyst.token,
      `mutation { createSuppressionRule(input: { name: "x", match: { types: ["file"] } }) { id } }`,
    );
    expect(codes(res)).toEqual(["FORBIDDEN"]);
    expect(codes(await call(platform, analyst.token, `mutation { applySuppressionRules { scanned } }`))).toEqual(["FORBIDDEN"]);
  });

  it("applySuppressionRules re-applies every enabled rule and reports counts per rule", async () => {
    const rule = await createRule(platform, a.token, { name: "hashes", enabled: true, match: { types: ["file"] } });
    const res = await call(
      platform,
      a.token,
      `mutation { applySuppressionRules { scanned suppressed newlySuppressed released byRule { ruleId name suppressed } } }`,
    );
    expect(res.data!["applySuppressionRules"]).toMatchObject({
      scanned: idOf.size + 4,
      suppressed: 1,
      newlySuppressed: 0,
      released: 0,
      byRule: expect.arrayContaining([{ ruleId: rule.id, name: "hashes", suppressed: 1 }]),
    });
    await call(platform, a.token, `mutation($id: ID!) { deleteSuppressionRule(id: $id) }`, { id: rule.id });
  });
});

describe("tenant isolation of suppression rules", () => {
  it("B sees none of A's rules or suppressed indicators, and cannot dry-run, change or delete A's rule (NOT_FOUND)", async () => {
    const rule = await createRule(platform, a.token, { name: "A's CDN rule", enabled: true, match: { allowLists: ["CDN_RANGES"] } });
    expect(rule.suppressedCount).toBe(1);
    expect((await call(platform, b.token, `{ suppressionRules { id } }`)).data).toEqual({ suppressionRules: [] });
    expect(await suppressed(b)).toEqual({ total: 0, nodes: [] });
    expect(await suppressed(b, rule.id)).toEqual({ total: 0, nodes: [] });
    expect((await dryRun(b, { input: { allowLists: ["CDN_RANGES"] } })).scanned).toBe(0);
    const refused = [
      await call(platform, b.token, `query($id: ID) { dryRunSuppressionRule(id: $id) { wouldHide } }`, { id: rule.id }),
      await update(b, rule.id, { enabled: false }),
      await call(platform, b.token, `mutation($id: ID!) { deleteSuppressionRule(id: $id) }`, { id: rule.id }),
    ];
    for (const res of refused) expect(codes(res)).toEqual(["NOT_FOUND"]);
    // A's rule is untouched and still hides A's CDN indicator; B's apply touches nothing of A's.
    await call(platform, b.token, `mutation { applySuppressionRules { scanned } }`);
    expect((await suppressed(a, rule.id)).nodes.map((n) => n.pattern)).toEqual([ipv4("104.16.132.229")]);
  });
});
