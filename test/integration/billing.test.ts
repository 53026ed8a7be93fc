/**
 * Billing end to end on the real stores: metering counts each request once
 * (also when retried), rollups are idempotent and fold in late events,
 * quotas and budgets refuse with their details and nothing half-written,
 * thresholds alert once per period by webhook (signature checked), e-mail
 * (a local SMTP server) and subscription, overrides and plan changes are
 * audited, and invoice totals are usage × price.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from "@intelgraph/subgraph-billing";
import { seedLiveUsage } from "../support/billingUsage.ts";
import { gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { subscribe } from "../support/wsClient.ts";

const mails: { to: string; subject: string; text: string }[] = [];
const hooks: { body: string; signature: string }[] = [];
const extra: { SMTP_URL?: string } = {};
let smtp: SMTPServer;
let receiver: http.Server;
let receiverUrl = "";

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1] ?? "";
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), subject, text: raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  extra.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      hooks.push({ body, signature: String(req.headers[WEBHOOK_SIGNATURE_HEADER] ?? "") });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/billing`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const platform = useTestPlatform("billing", { config: extra });

const today = () => new Date().toISOString().slice(0, 10);
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

const seedUsage = (tenant: TestTenant, metric: string, quantity: number) => seedLiveUsage(platform, tenant.id, metric, quantity);

const eventCount = async (tenantId: string, metric: string) => {
  await platform.usage.flush();
  return platform.stores.mongo.db.collection("billing_usage_events").countDocuments({ tenantId, "m.metric": metric });
};

const ask = (tenant: TestTenant, mode = "RUN") =>
  gql(
    platform.url,
    `query($m: AskMode!) { askGraph(question: "list people", mode: $m, confirm: true) { ran } }`,
    { m: mode },
    { token: tenant.token },
  );

async function auditOf(tenant: TestTenant, action: string) {
  const res = await gql(
    platform.url,
    `query($f: AuditEventFilter) { auditEvents(filter: $f, first: 5) { nodes { action outcome arguments targetIds } } }`,
    { f: { action } },
    { token: tenant.token },
  );
  return res.data?.auditEvents.nodes as { action: string; outcome: string; arguments: string; targetIds: string[] }[];
}

describe("metering", () => {
  it("counts N concurrent requests exactly N times and a retried request (same Idempotency-Key) once", async () => {
    const acme = await platform.newTenant("meter");
    const before = await eventCount(acme.id, "QUERIES");
    await Promise.all(Array.from({ length: 25 }, () => gql(platform.url, `{ me { id } }`, {}, { token: acme.token })));
    const retry = { "idempotency-key": `retry-${acme.id}` };
    for (let i = 0; i < 3; i++) await gql(platform.url, `{ me { id } }`, {}, { token: acme.token, headers: retry });
    expect(await eventCount(acme.id, "QUERIES")).toBe(before + 26);
    const res = await gql(
      platform.url,
      `{ usage(metrics: [QUERIES, ROWS_RETURNED]) { day source values { metric quantity } } }`,
      {},
      { token: acme.token },
    );
    const day = (res.data?.usage as { day: string; source: string; values: { metric: string; quantity: number }[] }[]).find(
      (d) => d.day === today(),
    )!;
    expect(day.source).toBe("LIVE");
    expect(day.values.find((v) => v.metric === "QUERIES")!.quantity).toBe(before + 26);
    expect(day.values.find((v) => v.metric === "ROWS_RETURNED")!.quantity).toBeGreaterThanOrEqual(26);
  });

  it("rolls a day up idempotently and folds in late events; usage then reads the rollup", async () => {
    const acme = await platform.newTenant("rollup");
    const at = new Date(Date.now() - 86_400_000);
    for (const key of ["x1", "x2", "x2"]) platform.usage.record({ tenantId: acme.id, quantities: { EXPORTS: 1 }, key, at });
    await platform.usage.flush();
    const rows = () =>
      platform.stores.mongo.db.collection("billing_usage_rollups").find({ tenantId: acme.id }).project({ computedAt: 0 }).toArray();
    await platform.billing.rollups.run();
    const first = await rows();
    expect(first).toEqual([expect.objectContaining({ day: yesterday(), metric: "EXPORTS", quantity: 2 })]);
    await platform.billing.rollups.rollUpDay(yesterday());
    expect(await rows()).toEqual(first);
    // A late event of yesterday (and a retry of an old one) reach the store after the rollup.
    platform.usage.record({ tenantId: acme.id, quantities: { EXPORTS: 1 }, key: "x3", at });
    platform.usage.record({ tenantId: acme.id, quantities: { EXPORTS: 1 }, key: "x1", at });
    await platform.usage.flush();
    expect(await platform.billing.rollups.run()).toContain(yesterday());
    expect((await rows())[0]).toMatchObject({ quantity: 3 });
    const res = await gql(
      platform.url,
      `query($d: String!) { usage(from: $d, to: $d, metrics: [EXPORTS]) { source values { quantity } } }`,
      { d: yesterday() },
      { token: acme.token },
    );
    expect(res.data?.usage).toEqual([{ source: "ROLLUP", values: [{ quantity: 3 }] }]);
    const csv = await gql(
      platform.url,
      `query($d: String!) { usageCsv(from: $d, to: $d, metrics: [EXPORTS]) { content } }`,
      { d: yesterday() },
      { token: acme.token },
    );
    expect(csv.data?.usageCsv.content).toBe(`day,source,exports\n${yesterday()},ROLLUP,3\n`);
  });

  it("rejects a bad usage range with BAD_USER_INPUT", async () => {
    const acme = await platform.newTenant("range");
    const res = await gql(platform.url, `{ usage(from: "2026-12-31", to: "2026-01-01") { day } }`, {}, { token: acme.token });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("quotas", () => {
  it("refuses a question over the quota with its details, writes nothing for it, and an audited override or plan change lets it through", async () => {
    const acme = await platform.newTenant("quota", "FREE");
    await seedUsage(acme, "NL_QUESTIONS", 300);
    const before = await eventCount(acme.id, "NL_QUESTIONS");
    const refused = await ask(acme);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: "QUOTA_EXCEEDED",
      metric: "NL_QUESTIONS",
      used: 300,
      limit: 300,
      plan: "FREE",
    });
    expect(refused.errors?.[0]?.extensions?.["resetsAt"]).toMatch(/^\d{4}-\d{2}-01T00:00:00.000Z$/);
    expect(await eventCount(acme.id, "NL_QUESTIONS")).toBe(before);
    // The billing screens stay usable while blocked.
    const account = await gql(
      platform.url,
      `{ billingAccount { plan { id } quotas { metric used limit percent } } }`,
      {},
      { token: acme.token },
    );
    expect(account.data?.billingAccount.quotas).toContainEqual({ metric: "NL_QUESTIONS", used: 300, limit: 300, percent: 100 });

    const until = new Date(Date.now() + 3_600_000).toISOString();
    const bad = await gql(
      platform.url,
      `mutation($i: OverrideInput!) { grantBillingOverride(input: $i) { id } }`,
      { i: { kind: "QUOTA", until, reason: "short" } },
      { token: acme.token },
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const granted = await gql(
      platform.url,
      `mutation($i: OverrideInput!) { grantBillingOverride(input: $i) { id metric reason } }`,
      { i: { kind: "QUOTA", metric: "NL_QUESTIONS", until, reason: "quarter-end investigation for the board" } },
      { token: acme.token },
    );
    expect(granted.data?.grantBillingOverride).toMatchObject({ metric: "NL_QUESTIONS" });
    expect((await ask(acme)).data?.askGraph.ran).toBe(true);
    expect((await auditOf(acme, "grantBillingOverride"))[0]).toMatchObject({ outcome: "SUCCESS" });
    expect((await auditOf(acme, "grantBillingOverride"))[0]!.arguments).toContain("quarter-end investigation");

    await gql(
      platform.url,
      `mutation($id: ID!) { revokeBillingOverride(id: $id) }`,
      { id: granted.data?.grantBillingOverride.id },
      { token: acme.token },
    );
    expect((await ask(acme)).errors?.[0]?.extensions?.code).toBe("QUOTA_EXCEEDED");
    const changed = await gql(
      platform.url,
      `mutation { changePlan(plan: TEAM) { plan { id } quotas { metric limit } } }`,
      {},
      { token: acme.token },
    );
    expect(changed.data?.changePlan.plan.id).toBe("TEAM");
    expect(changed.data?.changePlan.quotas).toContainEqual({ metric: "NL_QUESTIONS", limit: 10_000 });
    expect((await ask(acme)).data?.askGraph.ran).toBe(true);
    expect((await auditOf(acme, "changePlan"))[0]).toMatchObject({ outcome: "SUCCESS", targetIds: [acme.id] });
  });

  it("refuses queries over the query quota but keeps the billing operations open", async () => {
    const acme = await platform.newTenant("queries", "FREE");
    await seedUsage(acme, "QUERIES", 50_000);
    const res = await gql(platform.url, `{ people { id } }`, {}, { token: acme.token });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "QUOTA_EXCEEDED", metric: "QUERIES", limit: 50_000 });
    const open = await gql(platform.url, `{ plans { id } billingAccount { plan { id } } }`, {}, { token: acme.token });
    expect(open.data?.plans).toHaveLength(3);
  });

  it("refuses a report over the reports quota and stores no report", async () => {
    const acme = await platform.newTenant("reports", "FREE");
    await seedUsage(acme, "REPORTS", 50);
    const res = await gql(platform.url, `mutation { createReport(input: { title: "Over quota" }) { id } }`, {}, { token: acme.token });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "QUOTA_EXCEEDED", metric: "REPORTS" });
    expect(await platform.stores.mongo.db.collection("graph_reports").countDocuments({ tenantId: acme.id })).toBe(0);
  });
});

describe("budgets", () => {
  it("alerts once per threshold by webhook, e-mail and subscription, then soft-stops expensive work until overridden", async () => {
    const acme = await platform.newTenant("budget", "TEAM");
    await gql(platform.url, `mutation { setBudget(input: { monthlyLimit: 1 }) { monthlyLimit thresholds } }`, {}, { token: acme.token });
    const channels = await gql(
      platform.url,
      `mutation($i: AlertChannelsInput!) { setBillingAlertChannels(input: $i) { webhookSecret channels { webhookUrl webhookSigned emails } } }`,
      { i: { webhookUrl: receiverUrl, emails: ["finance@acme.test"] } },
      { token: acme.token },
    );
    const secret = channels.data?.setBillingAlertChannels.webhookSecret as string;
    expect(secret).toMatch(/^[\w-]{40,}$/);
    // Sealed at rest: neither the account nor a pending delivery holds the secret in the clear.
    const db = platform.stores.mongo.db;
    expect(JSON.stringify(await db.collection("billing_accounts").findOne({ _id: acme.id as never }))).not.toContain(secret);
    const { client, sub } = await subscribe(platform.url, `subscription { budgetAlertRaised { kind threshold used limit } }`, acme.token);
    try {
      await new Promise((r) => setTimeout(r, 200));
      const hooksBefore = hooks.length;
      // TEAM: 1,000 questions included, then $0.02 each — 1,025 questions = $0.50 (50 %).
      await seedUsage(acme, "NL_QUESTIONS", 1025);
      expect(await platform.billing.alerts.evaluate(acme.id)).toBe(1);
      expect(await platform.billing.alerts.evaluate(acme.id)).toBe(0);
      expect(await sub.next()).toEqual({ data: { budgetAlertRaised: { kind: "BUDGET", threshold: 50, used: 0.5, limit: 1 } } });
      await seedUsage(acme, "NL_QUESTIONS", 1050);
      expect(await platform.billing.alerts.evaluate(acme.id)).toBe(2);
      expect(await platform.billing.alerts.evaluate(acme.id)).toBe(0);
      expect((await sub.next()).data.budgetAlertRaised.threshold).toBe(80);
      expect((await sub.next()).data.budgetAlertRaised.threshold).toBe(100);
      expect(JSON.stringify(await db.collection("billing_alert_deliveries").find({ tenantId: acme.id }).toArray())).not.toContain(secret);
      const mine = hooks.slice(hooksBefore);
      expect(mine).toHaveLength(3);
      for (const hook of mine) expect(verifyWebhookSignature(secret, hook.signature, hook.body, Math.floor(Date.now() / 1000))).toBe(true);
      expect(verifyWebhookSignature("wrong-secret", mine[0]!.signature, mine[0]!.body, Math.floor(Date.now() / 1000))).toBe(false);
      expect(mine.map((h) => JSON.parse(h.body).data.threshold)).toEqual([50, 80, 100]);
      await expect.poll(() => mails.filter((m) => m.to === "finance@acme.test").length).toBe(3);
      expect(mails.find((m) => m.to === "finance@acme.test" && m.subject.includes("100"))?.text).toContain("paused");
      const listed = await gql(platform.url, `{ billingAlerts { threshold deliveries { channel status } } }`, {}, { token: acme.token });
      expect(listed.data?.billingAlerts.map((a: { threshold: number }) => a.threshold)).toEqual([100, 80, 50]);
      expect(listed.data?.billingAlerts[0].deliveries).toEqual(
        expect.arrayContaining([
          { channel: "WEBHOOK", status: "DELIVERED" },
          { channel: "EMAIL", status: "DELIVERED" },
        ]),
      );
    } finally {
      await sub.close();
      await client.dispose();
    }
    const stopped = await ask(acme);
    expect(stopped.errors?.[0]?.extensions).toMatchObject({ code: "BUDGET_EXCEEDED", spent: 1, budget: 1, currency: "USD" });
    expect(stopped.errors?.[0]?.extensions?.["overrideBy"]).toContain("billing:manage");
    // A preview is not expensive: it still answers.
    expect((await ask(acme, "PREVIEW")).data?.askGraph.ran).toBe(false);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await gql(
      platform.url,
      `mutation($i: OverrideInput!) { grantBillingOverride(input: $i) { id } }`,
      { i: { kind: "BUDGET", until, reason: "incident response this week" } },
      { token: acme.token },
    );
    expect((await ask(acme)).data?.askGraph.ran).toBe(true);
  });
});

describe("invoices", () => {
  it("prices the month's usage: total = sum of lines = usage × price, with a receipt and PDF/CSV/JSON documents", async () => {
    const acme = await platform.newTenant("invoice", "TEAM");
    await seedUsage(acme, "NL_QUESTIONS", 1234);
    await seedUsage(acme, "EXPORTS", 150);
    const period = today().slice(0, 7);
    const res = await gql(
      platform.url,
      `mutation($p: String!) { createInvoice(period: $p) { id total subtotal lines { metric quantity included billable per unitPrice amount } receipt { id sha256 }
         pdf: document(format: PDF) { base64 contentType } csv: document(format: CSV) { base64 } } }`,
      { p: period },
      { token: acme.token },
    );
    const invoice = res.data?.createInvoice;
    const lines = invoice.lines as {
      metric: string;
      quantity: number;
      included: number;
      billable: number;
      per: number;
      unitPrice: number;
      amount: number;
    }[];
    const cents = (n: number) => Math.round(n * 100);
    expect(cents(invoice.total)).toBe(lines.reduce((sum, l) => sum + cents(l.amount), 0));
    expect(lines[0]).toMatchObject({ metric: "PLAN_FEE", amount: 49 });
    expect(lines.find((l) => l.metric === "NL_QUESTIONS")).toMatchObject({ billable: 234, amount: 4.68 });
    expect(lines.find((l) => l.metric === "EXPORTS")).toMatchObject({ billable: 50, amount: 5 });
    for (const l of lines.slice(1)) expect(cents(l.amount)).toBe(Math.round((l.billable / l.per) * l.unitPrice * 100));
    expect(invoice.receipt.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(invoice.pdf.base64, "base64").subarray(0, 5).toString()).toBe("%PDF-");
    expect(Buffer.from(invoice.csv.base64, "base64").toString()).toContain("NL_QUESTIONS");
    const again = await gql(
      platform.url,
      `mutation($p: String!) { createInvoice(period: $p) { id } }`,
      { p: period },
      { token: acme.token },
    );
    expect(again.data?.createInvoice.id).toBe(invoice.id);
    const listed = await gql(platform.url, `{ invoices { id total } }`, {}, { token: acme.token });
    expect(listed.data?.invoices).toEqual([{ id: invoice.id, total: invoice.total }]);
    expect((await auditOf(acme, "createInvoice"))[0]).toMatchObject({ outcome: "SUCCESS", targetIds: [invoice.id] });
    const future = await gql(platform.url, `mutation { createInvoice(period: "2999-01") { id } }`, {}, { token: acme.token });
    expect(future.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("cost reconciliation", () => {
  it("prices a day's measured CPU against what the ledgers attributed to each tenant, for platform admins only", async () => {
    const [a, b] = [await platform.newTenant("recon-a"), await platform.newTenant("recon-b")];
    const day = "2020-01-15";
    // Two processes' drains of that day: 100 CPU-seconds measured, 60 + 35 attributed, 5 in windows with no request.
    await platform.stores.mongo.db.collection("billing_resource_samples").insertMany([
      {
        _id: `p1|${day}` as never,
        day,
        process: "p1",
        fromMs: 0,
        toMs: 1,
        totalCpuMicros: 70e6,
        unattributedCpuMicros: 3e6,
        tenants: [
          { tenantId: a.id, cpuMicros: 60e6 },
          { tenantId: b.id, cpuMicros: 7e6 },
        ],
      },
      {
        _id: `p2|${day}` as never,
        day,
        process: "p2",
        fromMs: 0,
        toMs: 1,
        totalCpuMicros: 30e6,
        unattributedCpuMicros: 2e6,
        tenants: [{ tenantId: b.id, cpuMicros: 28e6 }],
      },
    ]);
    const res = await gql(
      platform.url,
      `query($d: String) { costReconciliation(day: $d) { day infraCost attributedCost confidence tenants { tenantId cpuSeconds } } }`,
      { d: day },
      { token: platform.operatorToken },
    );
    const recon = res.data?.costReconciliation;
    expect(recon.confidence).toBeCloseTo(0.95, 3);
    expect(recon.tenants).toEqual([
      { tenantId: a.id, cpuSeconds: 60 },
      { tenantId: b.id, cpuSeconds: 35 },
    ]);
    expect(recon.infraCost).toBeGreaterThan(recon.attributedCost);
    const refused = await gql(platform.url, `{ costReconciliation { confidence } }`, {}, { token: a.token });
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
